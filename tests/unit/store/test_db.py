"""The store: where the file lives, how it is opened, and every way a file can be unusable."""

import os
import sqlite3

import pytest
from sqlalchemy import text

from reception import db as store
from reception import location
from reception.db import open_database
from reception.errors import DatabaseError
from reception.location import resolve_path
from tests.helpers import launcher


def test_missing_folders_are_created_and_pragmas_set(tmp_path):
    path = tmp_path / "a" / "b" / "reception.db"
    database = open_database(path)
    with database.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == store.BUSY_TIMEOUT_MS
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
    database.close()
    assert path.exists()


def test_path_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("RECEPTION_DB", str(tmp_path / "env.db"))
    assert resolve_path(tmp_path / "cli.db") == tmp_path / "cli.db"
    assert resolve_path(None) == tmp_path / "env.db"
    monkeypatch.delenv("RECEPTION_DB")
    assert resolve_path(None) == location.default_path()


def refused(path, key, **options):
    with pytest.raises(DatabaseError) as error:
        open_database(path, **options)
    assert error.value.message_key == key
    return str(error.value)


def test_a_directory_is_refused(tmp_path):
    message = refused(tmp_path, "db.is_directory")
    assert str(tmp_path) in message and "\n" not in message
    refused(str(tmp_path / "new") + "/", "db.is_directory")


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n" * 10)
    refused(path, "db.not_sqlite")
    assert path.read_text() == "shopping list\n" * 10


def test_read_only_and_unreadable_files_are_refused(tmp_path):
    path = tmp_path / "r.db"
    open_database(path).close()
    path.chmod(0o444)
    refused(path, "db.read_only")
    path.chmod(0o000)
    refused(path, "db.unreadable")
    path.chmod(0o644)


def test_a_database_from_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    open_database(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    refused(path, "db.newer_schema")


def test_a_locked_database_gives_one_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "locked.db"
    open_database(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 200)
    try:
        refused(path, "db.locked")
    finally:
        holder.close()


@pytest.mark.parametrize("setup", ["directory", "not_sqlite", "read_only"])
def test_cli_prints_one_line_and_exits_non_zero(tmp_path, setup):
    path = tmp_path / "x.db"
    if setup == "directory":
        path.mkdir()
    elif setup == "not_sqlite":
        path.write_bytes(b"\x00garbage" * 100)
    else:
        open_database(path).close()
        path.chmod(0o444)
    before = path.read_bytes() if setup == "read_only" else None
    result = launcher.cli("--lang", "en", "report", "--db", str(path),
                          env={**os.environ, "RECEPTION_DB": ""})
    assert "Traceback" not in result.stderr
    if setup == "read_only":
        # A report only reads: a read-only copy can be reported on, and is left as it was.
        assert result.returncode == 0, result.stderr
        assert path.read_bytes() == before
        return
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")


@pytest.mark.sqlite_only  # SQLite's backup API (pg_dump: test_server_cli)
def test_online_backup_is_a_whole_database(db, team, tmp_path):
    target = tmp_path / "backups" / "copy.db"
    store.backup(db, target)
    copy = open_database(target)
    with copy.engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM staff ORDER BY id")).scalars().all()
    assert names[0] == "王经理" and len(names) == len(team.all)
    assert not target.with_name("copy.db.partial").exists()
