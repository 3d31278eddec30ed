"""``reception move-store --from FILE --to postgresql://…``: a clinic's SQLite file onto a
server, as the first branch (``main``) of an empty database.

- The source is read-only (as it stands when nobody has it open) and must be whole
  (``quick_check``) and at this program's schema revision.
- The target is checked before anything is written to it: a database with no tables at
  all, or a store at this revision holding nothing but what a new store holds (its one
  branch, ``main``). A database with tables of its own, or a store at another revision, is
  refused untouched. Only then is a new database migrated (one transaction of its own), and
  the check made again inside the copy's transaction, under the chain's write lock.
- Every row of every table of the models is copied in ONE transaction, in the order the
  references need, with its id; the rows are then counted and compared table by table, the
  sequences moved past the copied ids, and the search's upkeep (paused for the copy, like a
  bulk load) catches up. Anything wrong and nothing is kept: the transaction is rolled back.
- The branch row takes the source's name; the store-kept columns (last visits, the reversed
  phone) are made by the server itself.
"""

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel

import models  # noqa: F401 - every table registered
from models import Branch
from reception import migrations, search_index
from reception.errors import ReceptionError

BATCH_ROWS = 5_000
#: Tables the migrations fill in a new store (compared, not copied as new rows).
MADE_BY_MIGRATION = {"branch"}


class MoveError(ReceptionError):
    """The clinic cannot be moved (nothing was copied)."""


@dataclass
class Moved:
    source: Path
    target: str  # the address without its password
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def tables() -> list:
    return list(SQLModel.metadata.sorted_tables)  # parents before children


def check_source(path: Path) -> None:
    """Whole, and at this program's revision; MoveError otherwise."""
    from reception.checks import quick_check
    from reception.cli_store import nobody_has_open
    from reception.location import schema_revision, sqlite_uri

    immutable = nobody_has_open(path)
    params = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
    if quick_check(path, uri=sqlite_uri(path, **params)):
        raise MoveError("move.source_damaged", source=path)
    revision = schema_revision(path, immutable=immutable)
    if revision != migrations.HEAD:
        raise MoveError("move.source_revision", source=path, revision=revision or "-",
                        head=migrations.HEAD)


def source_engine(path: Path):
    from reception.cli_store import nobody_has_open
    from reception.location import sqlite_uri

    params = {"mode": "ro", **({"immutable": "1"} if nobody_has_open(path) else {})}
    url = URL.create("sqlite", database=sqlite_uri(path, **params), query={"uri": "true"})
    return create_engine(url)


def first_not_empty(connection) -> tuple[str, int] | None:
    """The first table of the target that holds rows a new store does not."""
    for table in tables():
        count = connection.execute(select(func.count()).select_from(table)).scalar()
        if table.name == "branch":
            count -= connection.execute(text(
                "SELECT count(*) FROM branch WHERE id = 1 AND code = 'main'")).scalar()
        if count:
            return table.name, count
    return None


def check_target(database) -> None:
    """Read-only: MoveError unless the target may take the clinic (see the module)."""
    revision = migrations.current_revision(database)
    with database.engine.connect() as connection, connection.begin():
        if revision is None:
            # Nothing of ours: it must have no tables at all (nor views) in any schema.
            other = connection.execute(text(
                "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND left(n.nspname, 3) <> 'pg_' ORDER BY 1 LIMIT 1")).scalar()
            if other is not None:
                raise MoveError("move.target_foreign", table=other, target=database.path)
            return
        if revision != migrations.HEAD:
            raise MoveError("move.target_revision", revision=revision, head=migrations.HEAD,
                            target=database.path)
        connection.exec_driver_sql("SELECT set_config('reception.branch', 'all', true)")
        taken = first_not_empty(connection)
    if taken is not None:
        raise MoveError("move.target_not_empty", table=taken[0], count=taken[1],
                        target=database.path)


def copy_rows(source, target, table) -> int:
    """Every row of ``table``, in id order, in batches; the number copied."""
    columns = [column for column in table.columns]
    key = list(table.primary_key.columns) or columns[:1]
    copied = 0
    result = source.execute(select(*columns).order_by(*key)).mappings()
    while batch := result.fetchmany(BATCH_ROWS):
        target.execute(insert(table), [dict(row) for row in batch])
        copied += len(batch)
    return copied


def move(source_path: Path, target_address: str) -> Moved:
    """Copy the clinic at ``source_path`` into the empty database at ``target_address``."""
    from reception.server_store import (
        WRITE_LOCK,
        ServerDatabase,
        make_engine,
        move_sequences_past_ids,
        parse,
        translate,
    )

    check_source(source_path)
    url = parse(target_address)
    database = ServerDatabase(url, make_engine(url))
    moved = Moved(source_path, database.path)
    reader = source_engine(source_path)
    try:
        check_target(database)  # nothing written to it before it is known to be empty
        # A new database is migrated to this revision (one transaction of its own).
        migrations.upgrade(database)
        with reader.connect() as source, database.engine.connect() as target:
            # One snapshot of the file for the whole copy, even if a counter writes to it.
            source.exec_driver_sql("BEGIN")
            with target.begin():
                target.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                # Every branch's rows seen, to be sure there are still none.
                target.exec_driver_sql("SELECT set_config('reception.branch', 'all', true)")
                taken = first_not_empty(target)
                if taken is not None:
                    raise MoveError("move.target_not_empty", table=taken[0], count=taken[1],
                                    target=database.path)
                # The rows are the first branch's (row-level security checks each one).
                target.exec_driver_sql("SELECT set_config('reception.branch', '1', true)")
                session = Session(bind=target)
                search_index.pause(session)
                session.flush()
                for table in tables():
                    if table.name in MADE_BY_MIGRATION:
                        continue
                    moved.counts[table.name] = copy_rows(source, target, table)
                moved.counts["branch"] = copy_branch(source, target)
                compare_counts(source, target, moved)
                move_sequences_past_ids(target, tables())
                search_index.resume(session)
                session.flush()
    except DBAPIError as error:
        if type(error.orig).__module__.startswith("sqlite3"):
            from reception.db import translate_operational_error

            raise translate_operational_error(error, source_path) from error
        raise translate(error, database.path) from error
    finally:
        reader.dispose()
        database.close()
    return moved


def copy_branch(source, target) -> int:
    """The source's one branch is the target's ``main``: its name and date are taken."""
    row = source.execute(select(Branch.__table__).where(Branch.__table__.c.id == 1)
                         ).mappings().first()
    if row is not None:
        target.execute(Branch.__table__.update().where(Branch.__table__.c.id == 1).values(
            code=row["code"], name=row["name"], created_at=row["created_at"]))
    return source.execute(select(func.count()).select_from(Branch.__table__)).scalar()


def compare_counts(source, target, moved: Moved) -> None:
    for table in tables():
        there = source.execute(select(func.count()).select_from(table)).scalar()
        here = target.execute(select(func.count()).select_from(table)).scalar()
        if there != here or moved.counts.get(table.name) != there:
            raise MoveError("move.count_mismatch", table=table.name, source=there, target=here)


def move_command(source: str, target: str) -> int:
    """``reception move-store``: one line when moved; MoveError/DatabaseError otherwise."""
    from reception.cli_store import existing_database, one_line
    from reception.i18n import t
    from reception.location import looks_like_url
    from reception.server_store import parse

    if looks_like_url(source) or not looks_like_url(target):
        raise MoveError("move.source_not_file")
    parse(target)  # an unsupported address: refused before anything is read
    moved = move(existing_database(source, damaged_ok=True), target)
    print(one_line(t("move.done", source=moved.source, rows=moved.rows, target=moved.target,
                     tables=len(moved.counts))))
    return 0
