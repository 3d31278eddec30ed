"""The SQLite store: where the file lives, how it is opened, sessions, and migrations.

The file is the owner's alone: created 0600 (SQLite gives its ``-wal``/``-shm`` the same
mode), and so are the copies kept before a migration and backups (``reception.files``).
Every connection runs in WAL mode with foreign keys on, a busy timeout and full
synchronous commits. Write units of work start with ``BEGIN IMMEDIATE`` so two processes
queue for the write lock (tried every few ms, ``begin_immediate``) instead of failing with
"database is locked" halfway through.
"""

import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as StoreFailure
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from reception import lengths  # noqa: F401  (text too long for its column: refused at its field)
from reception.clock import clock
from reception.errors import DatabaseError
from reception.location import (
    check_file,
    looks_like_url,
    resolve_path,
    sqlite_uri,
    store_address,
)

BUSY_TIMEOUT_MS = 20_000


def make_engine(path: Path, *, read_only: bool = False, immutable: bool = False) -> Engine:
    """``immutable`` (read-only only): the file cannot change while open (a read-only disk),
    so SQLite neither locks it nor needs the ``-shm`` file it could not create there."""
    if read_only:
        # URL.create, not a URL string: a string's %-escapes would be undone once too often.
        params = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
        url = URL.create("sqlite", database=sqlite_uri(path, **params), query={"uri": "true"})
    else:
        url = f"sqlite:///{path}"
    engine = create_engine(
        url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        # We issue BEGIN ourselves (below), so the driver must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = FULL")
        if not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection) -> None:
        options = connection.get_execution_options()
        # Each unit of work says how long it may wait for the lock (the app's writer waits
        # briefly and tries again, so it can say "busy" while the lock is held).
        busy_ms = int(options.get("sqlite_busy_ms", BUSY_TIMEOUT_MS))
        begin = f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}"
        if begin == "BEGIN IMMEDIATE":
            if begin_immediate(connection.connection.dbapi_connection, busy_ms):
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {busy_ms}")
                return
            # Still held at the deadline (or not a wait): SQLite says why, at once.
            connection.exec_driver_sql(begin)
            return
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {busy_ms}")
        connection.exec_driver_sql(begin)

    return engine


#: How long a unit waiting for the write lock sleeps between two tries: a few ms at most,
#: so it takes the lock within a few ms of its release.
LOCK_POLL_S = (0.0005, 0.003)


def begin_immediate(dbapi_connection: sqlite3.Connection, busy_ms: int) -> bool:
    """``BEGIN IMMEDIATE``, trying every few ms for up to ``busy_ms``; False at the deadline.

    SQLite's own busy handler sleeps in growing steps (1, 2, 5, 10 … 25, 50, 100 ms), so a
    unit that has waited a while sleeps on well past the moment the lock went: under ten
    counters those were the slowest saves. Here each try has no busy timeout of its own and
    the sleeps between tries stay short (``LOCK_POLL_S``)."""
    deadline = time.monotonic() + busy_ms / 1000
    dbapi_connection.execute("PRAGMA busy_timeout = 0")
    while True:
        try:
            dbapi_connection.execute("BEGIN IMMEDIATE")
            return True
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                return False  # not a wait: the caller's BEGIN says what is wrong
        if time.monotonic() >= deadline:
            return False
        time.sleep(random.uniform(*LOCK_POLL_S))


def chain_lock(session: Session, rule: str, value: object = None) -> None:
    """Call inside ``db.write()``, before reading what a rule of the whole chain decides on
    (``"phone"`` and the phone: one customer per phone; ``"case_number"`` and the day):
    until the unit of work ends, no other unit (of any branch) takes the same rule and value.
    ``value`` None: the whole rule (every phone at once). On SQLite nothing: its write lock
    is already the whole file's. On a server a keyed advisory lock, taken after the
    branch's lock (``reception.server_locks``, which gives the order of several)."""
    if session.get_bind().dialect.name == "postgresql":
        from reception.server_locks import take_chain_lock

        take_chain_lock(session, rule, value)


def branch_lock(session: Session, rule: str, value: object = None) -> None:
    """As ``chain_lock``, for a rule of the unit's own branch (``"rotation"`` and the day:
    who takes the next new customer): only units of the same branch after the same value
    queue."""
    if session.get_bind().dialect.name == "postgresql":
        from reception.server_locks import take_chain_lock

        take_chain_lock(session, rule, value, branch=True)


def keyed_unit(session: Session) -> None:
    """Call first in a unit of work (before any statement) whose every rule takes a keyed
    lock of its own (``chain_lock``, ``branch_lock``): on a server the unit then holds its
    branch's write lock shared, and runs beside the branch's other such units; a unit that
    does not say so holds the branch's lock alone, as SQLite's write lock always is. After
    a statement it does nothing (the unit holds the branch alone already)."""
    if session.get_bind().dialect.name == "postgresql":
        from reception.server_locks import keyed_unit as shared

        shared(session)


def whole_branch(session: Session) -> None:
    """Call in a unit of work that must see the branch still (the day's sign-off): on a
    server no other write of the branch runs alongside. Refused (a programming error) in a
    unit that said ``keyed_unit``."""
    if session.get_bind().dialect.name == "postgresql":
        from reception.server_locks import whole_branch as alone

        alone(session)


class Database:
    """An opened store: the file, its engine, and sessions on it."""

    dialect = "sqlite"
    #: A SQLite store is a single branch.
    branch_id = 1
    branch_code = "main"
    at_sign_in = False

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work: a consistent snapshot, no write lock."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except IntegrityError:
            raise  # a rule of the schema said no: not a problem of the store
        except StoreFailure as error:  # locked, full, read-only, damaged
            raise translate_operational_error(error, self.path) from error

    @contextmanager
    def write(self, *, busy_ms: int | None = None) -> Iterator[Session]:
        """A write unit of work: holds the write lock from the start, commits at the end.

        ``busy_ms``: how long to wait for another program's write lock (default 20 s)."""
        writer = self._writer
        if busy_ms is not None:
            writer = writer.execution_options(sqlite_busy_ms=busy_ms)
        try:
            with Session(writer, expire_on_commit=False) as session:
                yield session
                session.commit()
        except IntegrityError:
            raise  # a rule of the schema said no: not a problem of the store
        except StoreFailure as error:  # locked, full, read-only, damaged
            raise translate_operational_error(error, self.path) from error

    def data_version_probe(self) -> "DataVersionProbe":
        return DataVersionProbe(self.path)

    def take_branch_of(self, branch: tuple[int, str] | None) -> None:
        """A file is a single branch: whoever signs in works for it."""

    def vanished(self) -> bool:
        """The file was moved or removed while open."""
        return not self.path.exists()

    @property
    def exports_folder(self) -> Path:
        """Where the app's exports go: beside the database."""
        return self.path.parent / "exports"

    def translate(self, error: StoreFailure) -> DatabaseError:
        return translate_operational_error(error, self.path)

    def keep_copy(self, label: str) -> Path:
        """Copy the file aside (before a migration touches it)."""
        return keep_copy(self.path, label)

    def close(self) -> None:
        self.engine.dispose()


class DataVersionProbe:
    """Tells whether another connection (any process) committed since the last look.

    SQLite bumps ``PRAGMA data_version`` on one connection when *others* commit, so a
    dedicated connection polled a few times a second gives a cheap live view.
    """

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._last = self._read()

    def _read(self) -> int:
        return self._connection.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        current = self._read()
        changed, self._last = current != self._last, current
        return changed

    def close(self) -> None:
        self._connection.close()


def translate_operational_error(error: StoreFailure, path: Path) -> DatabaseError:
    message = str(error.orig) if error.orig else str(error)
    if "locked" in message or "busy" in message:
        return DatabaseError("db.locked", path=path)
    if "readonly" in message or "read-only" in message:
        return DatabaseError("db.read_only", path=path)
    if "disk is full" in message or "database or disk is full" in message:
        return DatabaseError("db.disk_full", path=path)
    if "malformed" in message:
        return DatabaseError("db.damaged", path=path)
    if "not a database" in message:
        return DatabaseError("db.not_sqlite", path=path)
    return DatabaseError("db.error", path=path, reason=message)


def open_database(
    path: str | os.PathLike | None = None, *, read_only: bool = False, migrate: bool = True,
    immutable: bool = False, branch: str | None = None, branch_at_sign_in: bool = False,
) -> Database:
    """Open (creating and migrating as needed) the store; DatabaseError if it cannot be used.

    ``path``: a file (SQLite), or a server's address ``postgresql://…`` (``branch``: the
    code of the branch this counter runs for; see ``reception.server_store``)."""
    from reception import migrations
    from reception.files import create_private
    from reception.server_store import open_server

    chosen = store_address(path)
    if looks_like_url(chosen):
        return open_server(chosen, read_only=read_only, migrate=migrate, branch=branch,
                           branch_at_sign_in=branch_at_sign_in)
    resolved = resolve_path(chosen)
    check_file(resolved, writable=not read_only)
    if not read_only:
        try:
            create_private(resolved)  # owner-only from the start; SQLite fills the empty file
        except OSError:
            pass  # SQLite says why it cannot make the file either, in its own words
    engine = make_engine(resolved, read_only=read_only, immutable=immutable and read_only)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchone()
        database = Database(resolved, engine)
        if read_only:
            migrations.check_current(database)
        elif migrate:
            migrations.upgrade(database)
    except StoreFailure as error:  # locked, read-only, damaged, not SQLite
        engine.dispose()
        raise translate_operational_error(error, resolved) from error
    except sqlite3.DatabaseError as error:
        engine.dispose()
        raise DatabaseError("db.error", path=resolved, reason=str(error)) from error
    except DatabaseError:
        engine.dispose()
        raise
    return database


def backup(database: Database, target: Path) -> None:
    """An online backup (SQLite's backup API): consistent even while others write."""
    copy_store(database.path, target)


def keep_copy(path: Path, label: str) -> Path:
    """Copy the file aside before a migration touches it."""
    stamp = clock.now().format("YYYYMMDD-HHmmss")
    copy = path.with_name(f"{path.name}.before-{label}-{stamp}")
    copy_store(path, copy)
    return copy


def copy_store(source_path: Path, target: Path, *, source_uri: str | None = None) -> None:
    """Copy a live store page by page; only a whole copy takes the target's name.

    ``source_uri``: open the source with this SQLite URI instead (e.g. read-only).
    """
    from reception.checks import quick_check
    from reception.files import copy_mode, create_private, partial_of, private_folder

    if target.is_dir():
        raise DatabaseError("db.is_directory", path=target)
    private_folder(target.parent)
    partial = partial_of(target)
    partial.unlink(missing_ok=True)
    create_private(partial)  # owner-only before a byte is copied into it
    if source_uri is not None:
        source = sqlite3.connect(source_uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    else:
        source = sqlite3.connect(source_path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        destination = sqlite3.connect(partial)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        if "malformed" in str(error) or "not a database" in str(error):
            raise DatabaseError("db.damaged", path=source_path) from error
        raise DatabaseError("db.error", path=target, reason=str(error)) from error
    finally:
        source.close()
    # Only a whole copy takes the target's name: SQLite copies a damaged page as it is.
    # Immutable: nobody else has the copy open, and no -wal/-shm is made beside it.
    if quick_check(partial, uri=sqlite_uri(partial, mode="ro", immutable="1")):
        partial.unlink(missing_ok=True)
        raise DatabaseError("cli.backup_damaged", path=source_path)
    os.chmod(partial, copy_mode(source_path))
    os.replace(partial, target)
