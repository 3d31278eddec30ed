"""Everything reception writes is the owner's alone (files 0600, folders 0700), whatever the
umask; a copy keeps its database's stricter mode; a database others can read is warned of."""

import os
import sqlite3
import stat
from contextlib import closing, contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from reception import callbacks, cli, draft_files, register, settings
from reception.db import keep_copy, open_database
from tests.conftest import today
from tests.helpers.records import add_customer, add_visit


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(autouse=True)
def _umask_022():
    with umask(0o022):
        yield


def run_cli(capsys, *args):
    code = cli.main(["--lang", "en", *[str(arg) for arg in args]])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def store(tmp_path, team, db):
    with db.write() as session:
        customer = add_customer(session, team.receptionist.id, name="=HYPERLINK(\"x\")")
        add_visit(session, team.receptionist.id, customer,
                  consultant_id=team.consultants[0].id)
    return db


def test_a_new_database_its_wal_and_shm_and_its_folders_are_owner_only(tmp_path):
    path = tmp_path / "new" / "data" / "reception.db"
    database = open_database(path)
    try:
        with database.write() as session:  # a write: the -wal and -shm files now exist
            settings.put(session, "clinic_name", "x")
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(file.exists() for file in files)
        assert [mode(file) for file in files] == [0o600] * 3
        assert mode(path.parent) == mode(path.parent.parent) == 0o700
    finally:
        database.close()


@pytest.mark.sqlite_only  # the file's mode (a server's backup: test_server_cli)
def test_the_copy_kept_before_a_migration_is_owner_only(store, db_path):
    copy = keep_copy(db_path, "0001")
    assert mode(copy) == 0o600


@pytest.mark.sqlite_only  # the file's mode (a server's backup: test_server_cli)
def test_a_backup_is_owner_only_and_keeps_a_stricter_mode(store, db_path, tmp_path, capsys):
    store.close()
    code, _out, err = run_cli(capsys, "--db", db_path, "backup", tmp_path / "backups" / "b.db")
    assert code == 0, err
    assert mode(tmp_path / "backups" / "b.db") == 0o600
    assert mode(tmp_path / "backups") == 0o700
    os.chmod(db_path, 0o400)  # a read-only database: its copy is read-only too
    code, _out, err = run_cli(capsys, "--db", db_path, "backup", tmp_path / "ro.db")
    assert code == 0, err
    assert mode(tmp_path / "ro.db") == 0o400


def test_cli_exports_are_owner_only(store, db_address, tmp_path, capsys):
    store.close()
    day = today().isoformat()
    code, _out, err = run_cli(capsys, "--db", db_address, "export", "--date", day, "-o",
                              tmp_path / "day.json")
    assert code == 0, err
    assert mode(tmp_path / "day.json") == 0o600
    code, _out, err = run_cli(capsys, "--db", db_address, "export", "--date", day,
                              "--format", "csv", "-o", tmp_path / "csv" / "day")
    assert code == 0, err
    written = list((tmp_path / "csv").rglob("*"))
    assert written and all(mode(path) == (0o700 if path.is_dir() else 0o600)
                           for path in written)


def test_the_register_book_and_callback_summary_exports_are_owner_only(store, tmp_path):
    with store.read() as session:
        rows = register.no_deals(session, today())
        assert rows
        book = register.write_export(rows, register.DEAL_COLUMNS,
                                     tmp_path / "exports" / "register.csv")
        summary = callbacks.export_summary(session, today() - timedelta(days=30), today(),
                                           tmp_path / "exports")
    assert mode(book) == mode(summary) == 0o600
    assert mode(tmp_path / "exports") == 0o700


def test_drafts_kept_in_files_are_owner_only(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = draft_files.save("store", "triage.form", {"name": "x"}, owner_id=1)
    assert path.is_relative_to(tmp_path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


@pytest.mark.sqlite_only  # the file's mode (a server's backup: test_server_cli)
def test_a_database_others_can_read_is_warned_of_in_one_line(store, db_path, capsys):
    store.close()
    code, _out, err = run_cli(capsys, "--db", db_path, "report", "--date", today().isoformat())
    assert code in (0, 1) and err == ""
    os.chmod(db_path, 0o644)
    code, _out, err = run_cli(capsys, "--db", db_path, "report", "--date", today().isoformat())
    assert code in (0, 1)
    assert err.count("\n") == 1
    assert err.startswith("warning: other users of this computer can read") and "0644" in err


def test_a_database_made_by_another_program_keeps_its_mode(tmp_path):
    # reception does not change the mode of a file it did not make: it warns instead.
    path = tmp_path / "theirs.db"
    with closing(sqlite3.connect(path)):
        pass
    os.chmod(path, 0o640)
    open_database(path).close()
    assert mode(path) == 0o640


def test_list_exports_csv_and_xlsx_are_owner_only(store, db_address, tmp_path, capsys):
    store.close()
    day = today().isoformat()
    for args, written in [(["--list", "no-deals", "-o", tmp_path / "l" / "n.csv"], "l/n.csv"),
                          (["--list", "month", "--format", "xlsx", "-o", tmp_path / "m.xlsx"],
                           "m.xlsx"),
                          (["--format", "xlsx", "-o", tmp_path / "day.xlsx"], "day.xlsx")]:
        if written.startswith("l/"):
            (tmp_path / "l").mkdir(exist_ok=True)
        code, _out, err = run_cli(capsys, "--db", db_address, "export", "--date", day, *args)
        assert code == 0, err
        assert mode(tmp_path / written) == 0o600
