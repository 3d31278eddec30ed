"""The benchmark's data on both stores: a working copy of the cached demo file at the newest
schema, and a copy of every row of it on a PostgreSQL server started for the run.

Used by ``bench.py`` (the whole benchmark on both stores) and ``search_stores.py`` (the search
alone, and whether both stores give the same rows in the same order).

The server is ``tests.helpers.postgres``'s: initdb into a temp folder as the ``postgres``
user, 127.0.0.1, fsync off. The rows go in with COPY as the superuser with the triggers off,
as a restore does, then the search's own structures are rebuilt as after a bulk load
(``search_index.resume``: last visits, pieces, the trigram indexes' pending lists, the
planner's statistics).

``quiet``: the machine's shared lock file (``/work/quiet.lock`` style): shared while data is
copied, exclusive while anything is timed, so a run holds others off only while it measures.
"""

import fcntl
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path

# Not copied: what the migrations made already, and SQLite's own search structures.
SKIPPED = ("sqlite_", "customer_search", "alembic_version")


def migrated_copy(cached: Path, work: Path) -> Path:
    """``work``: a fresh copy of ``cached`` at the newest schema (migrated here, before
    anything is timed; the copy a migration keeps aside is removed: ``cached`` is the
    original)."""
    import shutil

    from reception.db import open_database

    remove_store(work)
    shutil.copyfile(cached, work)
    open_database(work).close()
    for aside in work.parent.glob(f"{work.name}.before-*"):
        aside.unlink()
    return work


def in_child(work, *args):
    """``work(*args)`` run in a forked process, its result returned. Copying loads the
    store's code and rows; in this process they would count in the peak memory of every app
    process started from it (Linux keeps a process's peak RSS across exec)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(work, args)


def prepare(cached: Path, work: Path, server) -> tuple[str | None, dict | None]:
    """``work`` made from ``cached`` (``migrated_copy``) and, with a ``server``, copied to
    it (``copy_to_server``): the server database's address and counts, or (None, None)."""
    migrated_copy(cached, work)
    return copy_to_server(work, server) if server is not None else (None, None)


def remove_store(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def start_server():
    from tests.helpers.postgres import start_server as start

    server = start()
    if server is None:
        sys.exit("no PostgreSQL server on this machine (the Debian package postgresql)")
    return server


def copy_to_server(path: Path, server) -> tuple[str, dict]:
    """A new database on ``server`` with every row of the SQLite file at ``path``: its
    address (with the clinic role's password) and, per table, the rows copied; also
    ``server_version`` and ``seconds``."""
    from sqlalchemy import text

    from reception import search_index
    from reception.db import open_database

    started = time.perf_counter()
    name = server.create_database()
    url = server.url(name)
    open_database(url).close()  # migrated: the schema, and the one branch
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    counts: dict = {}
    with server.admin(name) as target:
        # Loading as the superuser with the triggers (and foreign-key checks) off, as a
        # restore does; the search's own structures are rebuilt below.
        target.execute("SET session_replication_role = replica")
        target.execute("SET reception.branch = '1'")
        tables = [row[0] for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not row[0].startswith(SKIPPED)]
        for table in tables:
            columns = _server_columns(target, table)
            if not columns or target.execute(f"SELECT EXISTS (SELECT 1 FROM {table})"
                                             ).fetchone()[0]:
                continue
            names = [row[1] for row in source.execute(f"PRAGMA table_info({table})")
                     if row[1] in columns]
            quoted = ", ".join(f'"{column}"' for column in names)
            with target.cursor().copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {quoted} FROM {table}"):
                    copy.write_row([_value(value, columns[column])
                                    for value, column in zip(row, names, strict=True)])
            counts[table] = target.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if "id" in columns:
                target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"max(id)) FROM {table} HAVING max(id) IS NOT NULL")
        counts["server_version"] = target.execute("SHOW server_version").fetchone()[0]
    source.close()
    database = open_database(url)
    try:
        with database.write() as session:
            search_index.pause(session)
        with database.write() as session:
            search_index.resume(session)
            session.execute(text("ANALYZE"))
    finally:
        database.close()
    with server.admin(name) as target:
        # A database restored and then used for a while: its tables vacuumed (visibility
        # maps set, so index-only scans read no table pages), as autovacuum would have.
        target.execute("VACUUM ANALYZE")
        counts["database_mb"] = target.execute(
            "SELECT pg_database_size(current_database())").fetchone()[0] / 2**20
    counts["seconds"] = time.perf_counter() - started
    return url, counts


def _server_columns(target, table: str) -> dict[str, str]:
    """The table's columns on the server and their types, without generated ones."""
    return {row[0]: row[1] for row in target.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'",
        (table,))}


def _value(value, data_type: str):
    if value is None:
        return None
    if data_type == "boolean":
        return bool(value)
    if data_type.startswith("timestamp") and isinstance(value, str) and "+" not in value:
        return value + "+00"  # SQLite keeps UTC times without their zone
    return value


class Quiet:
    """The machine's lock file, if given: ``shared()`` while copying, ``exclusive()`` while
    timing (``flock(2)``; the same open file, so one turns into the other)."""

    def __init__(self, path: Path | None) -> None:
        self.file = open(path, "a") if path else None  # noqa: SIM115 (held for the run)

    @contextmanager
    def _held(self, mode: int, what: str):
        if self.file is None:
            yield
            return
        started = time.perf_counter()
        fcntl.flock(self.file, mode)
        waited = time.perf_counter() - started
        print(f"{what} lock taken (waited {waited:.0f} s)", file=sys.stderr)
        held = time.perf_counter()
        try:
            yield
        finally:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            print(f"{what} lock held {time.perf_counter() - held:.0f} s", file=sys.stderr)

    def shared(self):
        return self._held(fcntl.LOCK_SH, "shared")

    def exclusive(self):
        return self._held(fcntl.LOCK_EX, "exclusive")
