"""The PostgreSQL store: a chain's branches on one server (psycopg 3).

Chosen by an address ``postgresql://user@host:port/dbname`` in ``--db`` or
``$RECEPTION_DB``. The password comes from the address, ``PGPASSWORD`` or ``~/.pgpass``
(libpq reads them), and TLS from libpq's own settings (``?sslmode=verify-full``, ``PGSSLMODE``);
the address is only ever shown without its password.

Each unit of work runs for the counter's branch: it starts with
``set_config('reception.branch', …, true)`` (a ``SET LOCAL``), which the row-level security
policies and the ``branch_id`` defaults read (``reception.migrations.dialect``). Writes queue
for one transaction-level advisory lock, as SQLite's ``BEGIN IMMEDIATE`` does, so case
numbers, the rotation and the day's sign-off see every earlier write; ``lock_timeout`` says
how long a unit may wait, and a wait that runs out is "busy", as on SQLite. Every write ends
with a NOTIFY on the ``reception`` channel: the other counters' live view.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError
from sqlalchemy.exc import DBAPIError as StoreFailure
from sqlmodel import Session

from reception.errors import DatabaseError

SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
CHANNEL = "reception"
#: The advisory lock every write of the chain queues for (any fixed number will do).
WRITE_LOCK = 0x5EC0
BUSY_TIMEOUT_MS = 20_000
CONNECT_TIMEOUT_S = 5
#: The branch value that reads every branch and writes none (a chain manager's report).
ALL_BRANCHES = "all"


def looks_like_url(value: object) -> bool:
    return isinstance(value, str) and "://" in value


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
    return URL.create("postgresql", username=value.username, host=value.host,
                      port=value.port, database=value.database,
                      query=query).render_as_string()


def make_engine(url: URL) -> Engine:
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=3, max_overflow=2,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                      "application_name": "reception"})

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def without_nul(_connection, _cursor, statement, parameters, _context, executemany):
        # A list of rows (executemany), or one row — also when SQLAlchemy batches the rows of
        # an insert into one statement itself and says "many" for it.
        if isinstance(parameters, list) and parameters and not isinstance(parameters[0], str):
            return statement, [_no_nul(each) for each in parameters]
        return statement, _no_nul(parameters)

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        options = connection.get_execution_options()
        if options.get("reception_snapshot"):
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        busy_ms = int(options.get("sqlite_busy_ms", BUSY_TIMEOUT_MS))
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {busy_ms}")
        branch = options.get("reception_branch")
        if branch is not None:
            connection.exec_driver_sql("SELECT set_config('reception.branch', %s, true)",
                                       (str(branch),))
        if options.get("reception_write"):
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    return engine


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
                session.execute(text("SELECT pg_notify(:channel, :branch)"),
                                {"channel": CHANNEL, "branch": str(self.branch_id)})
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


def translate(error: StoreFailure, path: str) -> DatabaseError:
    return translate_driver(error.orig if error.orig is not None else error, path)


#: SQLSTATE (or its class, the first two characters) → message key.
SQLSTATES = {
    "55P03": "db.locked",  # lock_not_available: lock_timeout ran out
    "57014": "db.locked",  # query_canceled (statement_timeout)
    "40P01": "db.locked",  # deadlock_detected: tried again, like a busy lock
    "53100": "db.disk_full",
    "25006": "db.read_only",
    "28P01": "db.auth_failed",
    "28000": "db.auth_failed",
    "3D000": "db.no_such_server_database",
    "42501": "db.not_allowed",
    "08": "db.unavailable",
    "57P": "db.unavailable",  # the server shutting down
}


def translate_driver(error: BaseException, path: str) -> DatabaseError:
    state = getattr(error, "sqlstate", None) or ""
    key = SQLSTATES.get(state) or SQLSTATES.get(state[:3]) or SQLSTATES.get(state[:2])
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if key is None and not state:
        lowered = message.lower()
        if "password" in lowered and "fail" in lowered:
            key = "db.auth_failed"
        elif "does not exist" in lowered and "database" in lowered:
            key = "db.no_such_server_database"
        else:  # no SQLSTATE: the connection itself failed (refused, reset, timed out)
            key = "db.unavailable"
    if key == "db.unavailable":
        return DatabaseError(key, path=path, reason=message.removeprefix("connection failed: "))
    if key is None:
        return DatabaseError("db.error", path=path, reason=message)
    return DatabaseError(key, path=path)


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


def branch_of_staff(session: Session, staff_id: int) -> tuple[int, str] | None:
    """(id, code) of the branch a staff member works for."""
    row = session.execute(text("SELECT b.id, b.code FROM staff s JOIN branch b "
                               "ON b.id = s.branch_id WHERE s.id = :id"),
                          {"id": staff_id}).first()
    return (row.id, row.code) if row else None
