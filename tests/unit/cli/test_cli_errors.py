"""QA round, the command line: report, export and backup read a database and never create,
migrate or write one; their errors are one translated line; dates, folders, signed-off and
future days are named for what they are."""

import errno
import hashlib
import json
import os
import sqlite3
import subprocess
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command

from models import Callback, CallbackRule, KeyEvent, RoomKey
from reception import cli, i18n, migrations, reconcile
from reception.clock import clock
from reception.db import make_engine
from reception.location import Reason, diagnose, explain, os_reason
from tests.conftest import TEST_NOW, today
from tests.helpers import launcher
from tests.helpers.moment import child_env
from tests.helpers.records import add_customer, add_visit

ROOT = Path(__file__).resolve().parents[3]


def run_cli(capsys, *args, lang="en"):
    code = cli.main(["--lang", lang, *[str(arg) for arg in args]])
    out, err = capsys.readouterr()
    return code, out, err


def tree(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def one_visit(db, db_address, team, store_kind):
    with db.write() as session:
        customer = add_customer(session, team.receptionist.id, name="完整")
        add_visit(session, team.receptionist.id, customer,
                  consultant_id=team.consultants[0].id)
    db.close()  # as after the app has quit: no -wal file beside it
    return Path(db_address) if store_kind == "sqlite" else db_address


# --- 1. a database that does not exist is refused, nothing is created ----------------------


@pytest.mark.parametrize("argv", [
    ["report", "--date", "2026-11-21"],
    ["export", "--date", "2026-11-21"],
    ["export", "--date", "2026-11-21", "--format", "csv"],
    ["backup", "{tmp}/copy.db"],
])
@pytest.mark.parametrize("where", ["nodir/x.db", "x.db"])
def test_a_missing_database_is_refused_and_nothing_created(capsys, tmp_path, argv, where):
    before = tree(tmp_path)
    path = tmp_path / where
    argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    code, out, err = run_cli(capsys, *argv, "--db", path)
    assert (code, out, err) == (2, "", f"error: no such database: {path}\n")
    assert tree(tmp_path) == before
    code, _, err = run_cli(capsys, *argv, "--db", path, lang="zh")
    assert (code, err) == (2, f"错误:没有这个数据库:{path}\n")
    assert tree(tmp_path) == before


def test_a_missing_database_from_the_environment_is_refused_too(capsys, tmp_path, monkeypatch):
    path = tmp_path / "nodir" / "x.db"
    monkeypatch.setenv("RECEPTION_DB", str(path))
    code, _, err = run_cli(capsys, "report")
    assert (code, err) == (2, f"error: no such database: {path}\n")
    assert not path.parent.exists()


def test_an_empty_file_is_not_reported_as_an_empty_day(capsys, tmp_path):
    path = tmp_path / "x.db"
    path.touch()
    code, out, err = run_cli(capsys, "report", "--db", path)
    assert (code, out, err) == (2, "", f"error: the database file is empty: {path}\n")
    assert tree(tmp_path) == {"x.db"} and path.stat().st_size == 0


def test_demo_still_creates_its_folder_and_database(tmp_path, monkeypatch):
    from reception import demo

    calls = []
    monkeypatch.setattr(demo, "fill", lambda database, **kw: calls.append(database.path))
    path = tmp_path / "new" / "demo.db"
    assert cli.main(["--lang", "en", "demo", "--db", str(path)]) == 0
    assert calls == [path] and path.exists()


# --- 2. a read-only file is read, not migrated ------------------------------------------------


@pytest.mark.sqlite_only  # a file's mode, folder or name
def test_a_read_only_file_can_be_reported_and_exported(capsys, one_visit):
    one_visit.chmod(0o400)  # the owner's only: no warning that others can read it
    before, files = digest(one_visit), tree(one_visit.parent)
    try:
        code, out, err = run_cli(capsys, "report", "--db", one_visit, "--date", today())
        assert (code, err) == (0, "")
        assert "Visits: 1" in out
        code, out, err = run_cli(capsys, "export", "--db", one_visit, "--date", today(),
                                 lang="zh")
        assert (code, err) == (0, "")
        assert len(json.loads(out)["tables"]["visit"]) == 1
        # Read as it stands: no -wal/-shm made beside it, not a byte changed.
        assert tree(one_visit.parent) == files and digest(one_visit) == before
        # The TUI still refuses it (it would have to write).
        code, out, err = run_cli(capsys, "--db", one_visit)
        assert (code, err) == (2, f"error: The database file is read-only: {one_visit}\n")
    finally:
        one_visit.chmod(0o600)


def test_reading_while_the_app_has_it_open_takes_sqlite_locks(capsys, db, db_address, team,
                                                              store_kind):
    # The fixture's database is open (a -wal file exists): read like any connection.
    with db.write() as session:
        add_visit(session, team.receptionist.id, add_customer(session, team.receptionist.id),
                  consultant_id=team.consultants[0].id)
    if store_kind == "sqlite":
        assert Path(f"{db_address}-wal").exists()
    code, out, err = run_cli(capsys, "report", "--db", db_address, "--format", "json")
    assert (code, err) == (0, "") and json.loads(out)["counts"]["visits"] == 1


def old_database(path: Path) -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrations.alembic_config(None))
    previous = script.get_revision(migrations.HEAD).down_revision
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), previous)
    engine.dispose()
    return previous


@pytest.mark.parametrize("argv", [["report"], ["export", "--date", "2026-11-22"]])
def test_an_older_schema_is_named_not_migrated(capsys, tmp_path, argv):
    path = tmp_path / "old.db"
    revision = old_database(path)
    before, files = digest(path), tree(tmp_path)
    code, out, err = run_cli(capsys, *argv, "--db", path)
    assert (code, out) == (2, "")
    assert err == (f"error: the database is from an older reception (schema {revision}) and "
                   f"must be upgraded before it can be read: open it once with reception "
                   f"--db {path} (a copy is kept first)\n")
    assert digest(path) == before and tree(tmp_path) == files


def test_a_sqlite_file_of_another_program_is_named(capsys, tmp_path):
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
    code, _, err = run_cli(capsys, "report", "--db", path)
    assert (code, err) == (2, f"error: not a reception database (it has no schema version): "
                              f"{path}\n")


def test_a_backup_copies_an_older_database_as_it_is(capsys, tmp_path):
    path = tmp_path / "old.db"
    revision = old_database(path)
    code, out, _ = run_cli(capsys, "backup", tmp_path / "copy.db", "--db", path)
    assert code == 0 and out == f"Backed up to {tmp_path / 'copy.db'}\n"
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)
    assert not [name for name in tree(tmp_path) if ".before-" in name]


@pytest.fixture
def read_only_disk(tmp_path, one_visit):
    """The database's folder mounted read-only (needs root: a bind mount)."""
    if os.geteuid() != 0 or not Path("/proc/mounts").exists():
        pytest.skip("a read-only mount needs root")
    mount = tmp_path / "ro"
    mount.mkdir()
    source = tmp_path / "src"
    source.mkdir()
    os.replace(one_visit, source / "x.db")
    bind = subprocess.run(["mount", "--bind", str(source), str(mount)], capture_output=True)
    if bind.returncode:
        pytest.skip("mount is not allowed here")
    try:
        remount = subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)],
                                 capture_output=True)
        if remount.returncode:
            pytest.skip("a read-only remount is not allowed here")
        yield mount / "x.db"
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], check=True)
            pytest.fail("the read-only mount was still in use: a file left open")


@pytest.mark.sqlite_only  # a file's mode, folder or name
def test_a_database_on_a_read_only_disk_is_read(capsys, read_only_disk, tmp_path):
    code, out, err = run_cli(capsys, "report", "--db", read_only_disk, "--date", today())
    assert (code, err) == (0, "") and "Visits: 1" in out
    code, out, err = run_cli(capsys, "export", "--db", read_only_disk, "--date", today())
    assert (code, err) == (0, "") and len(json.loads(out)["tables"]["visit"]) == 1
    code, out, err = run_cli(capsys, "backup", tmp_path / "copy.db", "--db", read_only_disk)
    assert (code, err) == (0, "")
    # Writing there is refused in words, naming the backup file.
    target = read_only_disk.parent / "copy.db"
    code, _, err = run_cli(capsys, "backup", target, "--db", tmp_path / "copy.db", lang="zh")
    assert (code, err) == (2, f"错误:无法使用 {target}:所在磁盘是只读的\n")


# --- 3. OS and SQLite reasons in the user's language ------------------------------------------


@pytest.mark.parametrize(("number", "zh", "en"), [
    (errno.ENOENT, "路径中的文件夹不存在", "a folder on the path does not exist"),
    (errno.EACCES, "没有权限", "permission denied"),
    (errno.EROFS, "所在磁盘是只读的", "the disk is read-only"),
    (errno.ENOSPC, "磁盘已满", "the disk is full"),
    (errno.EISDIR, "这是一个文件夹", "it is a folder"),
])
def test_os_reasons_are_translated(number, zh, en):
    error = OSError(number, os.strerror(number), "/x")
    reason = os_reason(error)
    assert (t_in("zh", reason), t_in("en", reason)) == (zh, en)
    # The same words found in a message that kept only the OS's English text.
    assert t_in("zh", explain(os.strerror(number))) == zh


def t_in(language: str, reason) -> str:
    i18n.set_language(language)
    try:
        return f"{reason}"
    finally:
        i18n.set_language("en")


def test_sqlite_reasons_are_translated_and_unknown_text_kept(tmp_path):
    assert t_in("zh", explain("database or disk is full")) == "磁盘已满"
    assert t_in("zh", explain("unable to open database file", tmp_path / "no" / "x.db")) \
        == "路径中的文件夹不存在"
    (tmp_path / "file").touch()
    assert diagnose(tmp_path / "file" / "x.db").key == "cli.reason.not_folder"
    assert str(explain("something new")) == "something new"
    assert str(Reason(None, "raw")) == "raw"


def test_cannot_create_under_a_file_is_said_in_chinese(capsys, tmp_path):
    (tmp_path / "afile").write_text("x")
    path = tmp_path / "afile" / "x.db"
    code, _, err = run_cli(capsys, "demo", "--db", path, lang="zh")
    assert (code, err) == (2, f"错误:无法创建数据库 {path}:路径中有一段不是文件夹\n")


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_sqlite_cannot_open_is_said_in_chinese(capsys):
    code, _, err = run_cli(capsys, "demo", "--db", "/proc/x.db", lang="zh")
    assert code == 2
    assert err in ("错误:数据库错误 /proc/x.db:无法打开这个文件\n",
                   "错误:无法创建数据库 /proc/x.db:没有权限\n")
    assert "unable" not in err and "No such" not in err


@pytest.mark.sqlite_only  # a file's mode, folder or name
def test_backup_under_a_file_names_the_backup(capsys, one_visit, tmp_path):
    target = one_visit / "copy.db"
    code, out, err = run_cli(capsys, "backup", target, "--db", one_visit, lang="zh")
    assert (code, out, err) == (2, "", f"错误:无法使用 {target}:路径中有一段不是文件夹\n")


# --- 4. the right words ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "en", "zh"), [
    ("2026-13-01", "error: no such date: 2026-13-01", "错误:没有这一天:2026-13-01"),
    ("2026-02-30", "error: no such date: 2026-02-30", "错误:没有这一天:2026-02-30"),
    ("2026/02/03", "error: Dates are YYYY-MM-DD: 2026/02/03",
     "错误:日期格式应为 YYYY-MM-DD:2026/02/03"),
    ("9999-12-31", "error: the date must be from 2000-01-01 to 2099-12-31: 9999-12-31",
     "错误:日期应在 2000-01-01 到 2099-12-31 之间:9999-12-31"),
])
@pytest.mark.parametrize("command", ["report", "export"])
def test_dates_are_named_for_what_is_wrong(capsys, one_visit, value, en, zh, command,
                                          tmp_path):
    files = tree(tmp_path)  # the database's folder (SQLite)
    code, out, err = run_cli(capsys, command, "--db", one_visit, "--date", value)
    assert (code, out, err) == (2, "", en + "\n")
    code, out, err = run_cli(capsys, command, "--db", one_visit, "--date", value, lang="zh")
    assert (code, out, err) == (2, "", zh + "\n")
    assert tree(tmp_path) == files


@pytest.mark.sqlite_only  # a file's mode, folder or name
def test_backup_into_a_folder_writes_a_dated_file_there(capsys, one_visit, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, err = run_cli(capsys, "backup", folder, "--db", one_visit)
    first = folder / "reception-20261122-1000.db"
    assert (code, out, err) == (0, f"Backed up to {first}\n", "")
    with closing(sqlite3.connect(first)) as copy:
        assert copy.execute("SELECT count(*) FROM visit").fetchone() == (1,)
    # A second one in the same minute keeps the first.
    code, out, _ = run_cli(capsys, "backup", f"{folder}/", "--db", one_visit, lang="zh")
    second = folder / "reception-20261122-1000-2.db"
    assert (code, out) == (0, f"已备份到 {second}\n")
    assert tree(folder) == {first.name, second.name}


@pytest.mark.sqlite_only  # a file's mode, folder or name
def test_backup_onto_the_database_itself_is_refused(capsys, one_visit):
    before = digest(one_visit)
    code, out, err = run_cli(capsys, "backup", one_visit, "--db", one_visit)
    assert (code, out) == (2, "")
    assert err == f"error: the backup cannot be the database itself: {one_visit}\n"
    assert digest(one_visit) == before


def test_a_signed_off_day_says_so_at_the_end(capsys, db, db_address, team):
    yesterday = today() - timedelta(days=1)
    clock.set("2026-11-21T21:30:00+08:00", frozen=True)
    with db.write() as session:
        add_visit(session, team.receptionist.id, add_customer(session, team.receptionist.id),
                  day=yesterday, consultant_id=team.consultants[0].id)
        reconcile.sign_off(session, yesterday, by=team.manager.id)
    clock.set(TEST_NOW, frozen=True)
    code, out, err = run_cli(capsys, "report", "--db", db_address, "--date", yesterday)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1] == "No findings. Signed off by 王经理 at 2026-11-21 21:30 (read-only)."
    assert "can be signed off" not in out
    code, out, _ = run_cli(capsys, "report", "--db", db_address, "--date", yesterday,
                           lang="zh")
    assert out.splitlines()[-1] == "没有问题。2026-11-21 21:30 已由 王经理 签核(只读)。"


def test_a_day_not_signed_off_still_invites_signing(capsys, one_visit):
    code, out, _ = run_cli(capsys, "report", "--db", one_visit, "--date", today())
    assert code == 0 and out.splitlines()[-1] == "No findings: the day can be signed off."


def test_report_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as leaving:
        cli.main(["report", "--help"])
    assert leaving.value.code == 0
    text = capsys.readouterr().out
    assert "exit status:\n  0  the day has no findings\n  1  findings are listed\n" in text
    with pytest.raises(SystemExit):
        cli.main(["backup", "--help"])
    assert "reception-YYYYMMDD-HHMM.db" in " ".join(capsys.readouterr().out.split())


# --- 5. a day after today ---------------------------------------------------------------------


@pytest.fixture
def live_state(db, db_address, team):
    """A key out now and a callback due today, not tried: today's findings."""
    with db.write() as session:
        key = RoomKey(name="档案室", roles_allowed="consultant", created_at=clock.now_utc())
        session.add(key)
        session.flush()
        session.add(KeyEvent(key_id=key.id, kind="out", day=today(), at=clock.now_utc(),
                             staff_id=team.consultants[0].id, created_at=clock.now_utc()))
        rule = CallbackRule(name="次日回访", event="first_visit", created_at=clock.now_utc())
        session.add(rule)
        session.flush()
        customer = add_customer(session, team.receptionist.id, name="回访客")
        session.add(Callback(customer_id=customer.id, rule_id=rule.id,
                             event_day=today() - timedelta(days=1), due_day=today(),
                             created_at=clock.now_utc()))
    return db_address


def test_a_future_day_is_said_to_be_in_the_future(capsys, live_state):
    code, out, err = run_cli(capsys, "report", "--db", live_state, "--date", "2027-01-01")
    assert err == ""
    assert out.splitlines()[:2] == ["Night check 2027-01-01",
                                    "note: 2027-01-01 is in the future (today is 2026-11-22)"]
    code, out, err = run_cli(capsys, "report", "--db", live_state, "--date", "2027-01-01",
                             "--format", "json", lang="zh")
    assert err == "注意:2027-01-01 是未来的日期(今天是 2026-11-22)\n"
    assert json.loads(out)["day"] == "2027-01-01"
    # Today is not in the future.
    code, out, err = run_cli(capsys, "report", "--db", live_state)
    assert code == 1 and "future" not in out + err


def test_a_future_day_has_no_findings_about_live_state(capsys, live_state):
    code, out, _ = run_cli(capsys, "report", "--db", live_state, "--date", "2027-01-01",
                           "--format", "json")
    assert json.loads(out)["findings"] == [] and code == 0


# --- a real process: one line on stderr, the exit code, nothing created -----------------------


def test_as_a_real_process(tmp_path):
    env = child_env(LANG="zh_CN.UTF-8", RECEPTION_DB="")
    path = tmp_path / "nodir" / "x.db"
    result = launcher.cli("report", "--date", "2026-11-21", "--db", str(path), env=env,
                          cwd=ROOT)
    assert (result.returncode, result.stdout, result.stderr) == (
        2, "", f"错误:没有这个数据库:{path}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.sqlite_only  # a file's mode, folder or name
def test_a_database_whose_path_has_uri_characters_is_read(capsys, one_visit, tmp_path):
    # ? # % in a folder's name: the read-only SQLite URI escapes them (they named another
    # file, or nothing, before).
    folder = tmp_path / "a #1?b%41 c"
    folder.mkdir()
    path = folder / "x.db"
    os.replace(one_visit, path)
    code, out, err = run_cli(capsys, "report", "--db", path, "--date", today())
    assert (code, err) == (0, "") and "Visits: 1" in out
    assert tree(folder) == {"x.db"}
