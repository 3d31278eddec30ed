"""Schema versions, managed by Alembic (scripts in ``versions/``).

Opening a store checks its revision against ``HEAD`` with one cheap query; Alembic is
only imported when there is something to upgrade. A copy of the file is kept first.
Nothing heavy is imported at module level: ``HEAD`` is read before the app's first screen.
"""

from pathlib import Path

from reception.errors import DatabaseError

# The newest revision in versions/ (a unit test keeps this in step with the scripts).
HEAD = "0010"
HERE = Path(__file__).parent


#: Search structures the store keeps itself (FTS index, pieces of names, the reversed phone).
SEARCH_PREFIX = "customer_search"
SEARCH_COLUMNS = ("phone_reversed",)


def include_name(name: str | None, type_: str, _parent: dict) -> bool:
    """Autogenerate leaves alone what SQLAlchemy models don't describe (the search index)."""
    if not name:
        return True
    if type_ in ("table", "index"):
        return not name.startswith(SEARCH_PREFIX)
    return not (type_ == "column" and name in SEARCH_COLUMNS)


def current_revision(database) -> str | None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    with database.engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as error:
            if "no such table" in str(error) or "does not exist" in str(error):
                return None
            raise


def alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    config = alembic_config(None)
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def check_current(database) -> None:
    revision = current_revision(database)
    if revision == HEAD:
        return
    if revision is not None and revision not in known_revisions():
        raise DatabaseError("db.newer_schema", path=database.path, revision=revision)
    raise DatabaseError("db.needs_upgrade", path=database.path)


def upgrade(database) -> None:
    revision = current_revision(database)
    if revision == HEAD:
        return
    if revision is not None and revision not in known_revisions():
        raise DatabaseError("db.newer_schema", path=database.path, revision=revision)
    from alembic import command

    if database.engine.dialect.name == "postgresql":
        with database.engine.connect() as connection, connection.begin():
            # Two counters starting at once: one upgrades, the other waits and finds it done.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(5386)")
            command.upgrade(alembic_config(connection), "head")
        return
    from sqlalchemy import text

    with database.engine.connect() as connection:
        has_tables = connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        ).scalar()
    if has_tables:
        database.keep_copy(revision or "unversioned")
    with database.engine.connect() as connection:
        # SQLite rebuilds a table to alter it; foreign keys must be off while it does
        # (the pragma only takes effect outside a transaction), and checked afterwards.
        driver = connection.connection.driver_connection
        driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                command.upgrade(alembic_config(connection), "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise DatabaseError("db.error", path=database.path,
                                        reason=f"foreign key check failed in {broken[0]}")
        finally:
            driver.execute("PRAGMA foreign_keys = ON")
