"""The PostgreSQL store: a chain's branches on one server (psycopg 3).

Chosen by an address ``postgresql://user@host:port/dbname`` in ``--db`` or
``$RECEPTION_DB``. The password comes from the address, ``PGPASSWORD`` or ``~/.pgpass``
(libpq reads them), and TLS from libpq's own settings (``?sslmode=verify-full``, ``PGSSLMODE``);
the address is only ever shown without its password.

Each unit of work runs for the counter's branch: it starts with
``set_config('reception.branch', …, true)`` (a ``SET LOCAL``), which the row-level security
policies and the ``branch_id`` defaults read (``reception.migrations.dialect``).

Locks: ``reception.server_locks`` (the chain's, the branch's, and keyed locks for the
rules). ``lock_timeout`` says how long a unit may wait, and a wait that runs out is "busy", as on
SQLite. Every write sends a NOTIFY on the ``reception`` channel (queued as the unit begins,
delivered only if it commits): the other counters' live view.
"""

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, IntegrityError
from sqlalchemy.exc import DBAPIError as StoreFailure
from sqlmodel import Session

from reception import server_locks
from reception.errors import DatabaseError
from reception.server_errors import translate, translate_driver
from reception.server_locks import BRANCH_LOCK, WRITE_LOCK

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
CHANNEL = "reception"
BUSY_TIMEOUT_MS = 20_000
CONNECT_TIMEOUT_S = 5
#: The branch value that reads every branch and writes none (a chain manager's report).
ALL_BRANCHES = "all"


def parse(value: str) -> URL:
    """The server's address; DatabaseError for anything but a postgresql:// address."""
    try:
        url = make_url(value)
    except ArgumentError:
        raise DatabaseError("db.unsupported_url", url=shown(value)) from None
    if url.drivername not in SCHEMES or not url.database:
        raise DatabaseError("db.unsupported_url", url=shown(value))
    return url.set(drivername="postgresql+psycopg")


def shown(value: str | URL) -> str:
    """The address as it may be printed: never with its password."""
    if isinstance(value, str):
        try:
            value = make_url(value)
        except ArgumentError:
            scheme, _, rest = value.partition("://")
            return f"{scheme}://{rest.rpartition('@')[2]}"
    query = {key: item for key, item in value.query.items() if key != "password"}
    # The scheme as given (mysql://… stays mysql://…), without a driver's name.
    scheme = value.drivername.partition("+")[0]
    return URL.create(scheme, username=value.username, host=value.host,
                      port=value.port, database=value.database,
                      query=query).render_as_string()


#: A pooled connection idle longer than this is pinged before use; one used moments ago (a
#: search per keystroke) is not: if the server went meanwhile, that fails as "unavailable".
PING_AFTER_IDLE_S = 1.0


def make_engine(url: URL) -> Engine:
    engine = create_engine(
        url, pool_size=3, max_overflow=2, pool_use_lifo=True,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                      "application_name": "reception",
                      # Every statement planned for its values, never a prepared statement's
                      # generic plan (psycopg prepares what runs often): a generic plan cannot
                      # tell what the customer search's LIKE will match and reads the table
                      # (reception.search_sql). Set as the connection starts: no round trip.
                      "options": "-c plan_cache_mode=force_custom_plan"})

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def without_nul(_connection, _cursor, statement, parameters, _context, executemany):
        # A list of rows (executemany), or one row — also when SQLAlchemy batches the rows of
        # an insert into one statement itself and says "many" for it.
        if isinstance(parameters, list) and parameters and not isinstance(parameters[0], str):
            return statement, [_no_nul(each) for each in parameters]
        return statement, _no_nul(parameters)

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # BEGIN goes with the unit's settings (below), in one round trip, not on its own;
        # psycopg's commit and rollback still end it (it asks the server whether one is open).
        dbapi_connection.autocommit = True

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record) -> None:
        record.info["reception_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, record, _proxy) -> None:
        since = record.info.get("reception_idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            dbapi_connection.execute(";")
        except Exception as error:  # the pool drops it and connects again
            raise DisconnectionError(str(error)) from error

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        # One round trip for all of it: a search per keystroke opens a unit of work each time.
        options = connection.get_execution_options()
        statements = ["BEGIN ISOLATION LEVEL REPEATABLE READ"
                      if options.get("reception_snapshot") else "BEGIN"]
        statements.append(
            f"SET LOCAL lock_timeout = {int(options.get('sqlite_busy_ms', BUSY_TIMEOUT_MS))}")
        branch = options.get("reception_branch")
        if branch is not None:
            statements.append(f"SELECT set_config('reception.branch', '{branch_value(branch)}',"
                              " true)")
        pending = None
        if options.get("reception_write"):
            if branch is None or branch_value(branch) == ALL_BRANCHES:
                # The chain's own tables: every branch's writes wait.
                statements.append(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            else:
                value = branch_value(branch)
                statements.append(f"SELECT pg_advisory_xact_lock_shared({WRITE_LOCK}), "
                                  f"pg_notify('{CHANNEL}', '{value}')")
                # The branch's own lock waits for the unit's first statement: exclusive,
                # unless the unit said first that keyed locks are all it needs.
                pending = ("pending", value)
        connection.info[BRANCH_LOCK] = None
        connection.exec_driver_sql("; ".join(statements))
        connection.info[BRANCH_LOCK] = pending

    server_locks.install(engine)
    return engine


def branch_value(branch: int | str) -> str:
    """A branch as the setting holds it: its id, or ``all`` (never anything else: it is
    written into the statement)."""
    value = str(branch)
    if value != ALL_BRANCHES and not value.isdigit():
        raise ValueError(f"not a branch: {value!r}")
    return value


#: PostgreSQL's text cannot hold NUL: it is kept as its control picture, which is also how
#: the app shows it (``reception.text.printable``).
NUL, NUL_PICTURE = "\x00", "\u2400"


def _no_nul(parameters):
    if isinstance(parameters, dict):
        if any(isinstance(value, str) and NUL in value for value in parameters.values()):
            return {key: value.replace(NUL, NUL_PICTURE) if isinstance(value, str) else value
                    for key, value in parameters.items()}
        return parameters
    if isinstance(parameters, list | tuple):
        if any(isinstance(value, str) and NUL in value for value in parameters):
            return type(parameters)(
                value.replace(NUL, NUL_PICTURE) if isinstance(value, str) else value
                for value in parameters)
    return parameters


class ServerDatabase:
    """An opened PostgreSQL store, for one branch (or, read-only, for every branch)."""

    dialect = "postgresql"

    def __init__(self, url: URL, engine: Engine, *, read_only: bool = False) -> None:
        self.url = url
        self.path = shown(url)  # what messages name: the address without its password
        self.engine = engine
        self.read_only = read_only
        self.branch_id: int | str | None = None
        self.branch_code = ""
        #: The branch is the signing-in staff member's (a counter started without one on a
        #: chain's database): until then it reads every branch and writes none.
        self.at_sign_in = False

    def for_branch(self, branch_id: int | str, code: str) -> None:
        self.branch_id, self.branch_code = branch_id, code
        self._reader = self.engine.execution_options(
            reception_branch=branch_id, reception_snapshot=True)
        self._writer = self.engine.execution_options(
            reception_branch=branch_id, reception_write=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        try:
            with Session(self._reader, expire_on_commit=False) as session:
                yield session
        except IntegrityError:
            raise
        except StoreFailure as error:
            raise translate(error, self.path) from error

    def take_branch_of(self, branch: tuple[int, str] | None) -> None:
        """The staff member signing in works for ``branch`` (id, code); None: back to no
        branch (signed out). Only for a counter whose branch is chosen at sign-in."""
        if self.at_sign_in:
            self.for_branch(*(branch or (ALL_BRANCHES, ALL_BRANCHES)))

    @contextmanager
    def write(self, *, busy_ms: int | None = None) -> Iterator[Session]:
        if self.read_only or self.branch_id == ALL_BRANCHES:
            raise DatabaseError("db.read_only", path=self.path)
        writer = self._writer
        if busy_ms is not None:
            writer = writer.execution_options(sqlite_busy_ms=busy_ms)
        try:
            with Session(writer, expire_on_commit=False) as session:
                yield session
                session.commit()
        except IntegrityError:
            raise
        except StoreFailure as error:
            raise translate(error, self.path) from error

    def vanished(self) -> bool:
        return False  # a server's database is not a file that can be moved away

    @property
    def exports_folder(self):
        """Where the app's exports go: the user data folder, on this machine."""
        from reception.location import default_path

        return default_path().parent / "exports"

    def translate(self, error: StoreFailure) -> DatabaseError:
        return translate(error, self.path)

    def data_version_probe(self) -> "NotifyProbe":
        return NotifyProbe(self.url, self.path)

    def keep_copy(self, label: str) -> None:
        """Nothing is copied before a server's schema changes: its own backups do that
        (``reception backup`` runs pg_dump). The upgrade is one transaction."""
        return None

    def close(self) -> None:
        self.engine.dispose()


class NotifyProbe:
    """Tells whether a counter wrote since the last look: LISTEN on the channel."""

    def __init__(self, url: URL, path: str) -> None:
        import psycopg

        self.path = path
        try:
            self._connection = psycopg.connect(libpq_dsn(url), autocommit=True,
                                               connect_timeout=CONNECT_TIMEOUT_S)
            self._connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as error:
            raise translate_driver(error, path) from error

    def changed(self) -> bool:
        import psycopg

        try:
            return any(True for _ in self._connection.notifies(timeout=0))
        except psycopg.Error as error:
            raise translate_driver(error, self.path) from error

    def close(self) -> None:
        self._connection.close()


def libpq_dsn(url: URL) -> str:
    """The address as libpq takes it (the password too, when the address has one)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def open_server(value: str, *, read_only: bool = False, migrate: bool = True,
                branch: str | None = None, branch_at_sign_in: bool = False
                ) -> ServerDatabase:
    """Connect, migrate (unless read-only) and choose the branch; DatabaseError otherwise."""
    from reception import migrations

    url = parse(value)
    engine = make_engine(url)
    database = ServerDatabase(url, engine, read_only=read_only)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        if read_only:
            migrations.check_current(database)
        elif migrate:
            migrations.upgrade(database)
        choose_branch(database, branch or os.environ.get("RECEPTION_BRANCH"),
                      at_sign_in=branch_at_sign_in)
    except StoreFailure as error:
        engine.dispose()
        raise translate(error, database.path) from error
    except DatabaseError:
        engine.dispose()
        raise
    return database


def choose_branch(database: ServerDatabase, code: str | None, *,
                  at_sign_in: bool = False) -> None:
    """The branch this counter runs for: ``code``, else the only one there is, else (the
    app, ``at_sign_in``) the branch of whoever signs in. ``all`` reads every branch
    (read-only)."""
    with database.engine.connect() as connection:
        branches = connection.execute(text("SELECT id, code FROM branch ORDER BY id")).all()
    codes = ", ".join(row.code for row in branches)
    if code == ALL_BRANCHES:
        database.for_branch(ALL_BRANCHES, ALL_BRANCHES)
        database.read_only = True
        return
    if code:
        for row in branches:
            if row.code == code:
                database.for_branch(row.id, row.code)
                return
        raise DatabaseError("db.no_such_branch", code=code, codes=codes, path=database.path)
    if len(branches) != 1 and at_sign_in:
        database.for_branch(ALL_BRANCHES, ALL_BRANCHES)
        database.at_sign_in = True
        return
    if len(branches) != 1:
        raise DatabaseError("db.choose_branch", codes=codes, path=database.path)
    database.for_branch(branches[0].id, branches[0].code)


def move_sequences_past_ids(connection, tables) -> None:
    """After rows were written with their ids given (the demo, a moved clinic): each
    table's sequence is moved past its largest id, so the next row numbered by the server
    does not collide. Never moved back."""
    for table in tables:
        if "id" not in table.columns:
            continue
        sequence = connection.execute(text("SELECT pg_get_serial_sequence(:table, 'id')"),
                                      {"table": table.name}).scalar()
        if sequence is None:
            continue
        last, called = connection.execute(
            text(f"SELECT last_value, is_called FROM {sequence}")).one()
        largest = connection.execute(text(f'SELECT max(id) FROM "{table.name}"')).scalar()
        following = max(last + 1 if called else last, (largest or 0) + 1)
        connection.execute(text("SELECT setval(:sequence, :value, false)"),
                           {"sequence": sequence, "value": following})


def branch_of_staff(session: Session, staff_id: int) -> tuple[int, str] | None:
    """(id, code) of the branch a staff member works for."""
    row = session.execute(text("SELECT b.id, b.code FROM staff s JOIN branch b "
                               "ON b.id = s.branch_id WHERE s.id = :id"),
                          {"id": staff_id}).first()
    return (row.id, row.code) if row else None
