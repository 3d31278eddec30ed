"""A damaged store — cut short, random bytes over its pages, an empty file, a text file — is
one clear line and exit 2 from the app and every sub-command; never a traceback or exit 1.
``backup`` keeps no copy that is not whole; ``check`` says what is wrong in plain words."""

import random
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from reception import cli
from tests.conftest import today
from tests.helpers import launcher
from tests.helpers.moment import child_env
from tests.helpers.records import add_customer, add_visit

# Bytes of a file: a server keeps its own pages whole. Its counterparts (check of a server's
# store, a table gone, its backup by pg_dump): tests/unit/cli/test_server_cli.py.
pytestmark = pytest.mark.sqlite_only

ROOT = Path(__file__).resolve().parents[3]
KINDS = ("truncated", "random_pages", "empty", "text")
PAGE = 4096


def run_cli(capsys, *args):
    code = cli.main(["--lang", "en", *[str(arg) for arg in args]])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def whole(db, db_path, team):
    with db.write() as session:
        for number in range(40):
            customer = add_customer(session, team.receptionist.id, name=f"顾客{number}" * 20)
            add_visit(session, team.receptionist.id, customer,
                      consultant_id=team.consultants[0].id)
    db.close()
    return db_path


def damage(path: Path, kind: str) -> Path:
    data = path.read_bytes()
    assert len(data) > 6 * PAGE
    if kind == "truncated":
        path.write_bytes(data[:len(data) // 2])
    elif kind == "random_pages":
        noise, damaged = random.Random(13), bytearray(data)
        for page in range(1, len(data) // PAGE):  # every page but the header's
            start = page * PAGE + noise.randrange(0, PAGE - 256)
            damaged[start:start + 256] = noise.randbytes(256)
        path.write_bytes(bytes(damaged))
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        path.write_text("name,phone\n张三,13800000000\n", encoding="utf-8")
    return path


COMMANDS = [
    ["report", "--date", None],
    ["report", "--date", None, "--format", "csv"],
    ["export", "--date", None],
    ["export", "--date", None, "--format", "csv"],
    ["export", "--date", None, "--list", "deals", "--format", "xlsx", "-o", "OUT"],
    ["backup", "BACKUP"],
    ["check"],
    ["import", "customers", "SHEET"],
    ["demo"],
]


def one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda argv: "-".join(argv[:1] + argv[3:]))
def test_every_sub_command_says_one_line_and_exits_2(capsys, whole, tmp_path, kind, command):
    damage(whole, kind)
    backup = tmp_path / "backups" / "copy.db"
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("姓名,电话\n王一,13800138000\n", encoding="utf-8")
    places = {None: today().isoformat(), "BACKUP": str(backup), "SHEET": str(sheet),
              "OUT": str(tmp_path / "out.xlsx")}
    argv = [places.get(arg, arg) for arg in command]
    code, out, err = run_cli(capsys, "--db", whole, *argv)
    if command[0] == "demo" and kind == "empty":
        assert code == 0  # demo fills an empty file: a new store, not a damaged one
        return
    assert code == 2, (out, err)
    if command[0] == "check" and kind in ("truncated", "random_pages"):
        # check's job is to say what is wrong: plain lines on stdout, more than one.
        assert "damaged" in out and "Restore the latest backup" in out and err == ""
        return
    line = one_error_line(err)
    expected = {"truncated": "damaged", "random_pages": "damaged", "empty": "empty",
                "text": "not an SQLite file"}[kind]
    assert expected in line
    assert not (tmp_path / "out.xlsx").exists()
    assert not backup.exists() and not list(tmp_path.glob("backups/*.partial"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_app_says_one_line_and_exits_2(whole, kind):
    damage(whole, kind)
    env = child_env(LANG="C.UTF-8")
    done = launcher.cli("--lang", "en", "--db", str(whole), env=env, cwd=ROOT)
    assert done.returncode == 2, done.stderr[-2000:]
    # Said before the screen starts: nothing drawn, one line.
    assert done.stdout == ""
    one_error_line(done.stderr)


def test_a_backup_of_a_damaged_store_is_refused_and_no_copy_is_kept(capsys, whole, tmp_path):
    # Damage deep in the data (the customers' pages), where opening the file does not look.
    with closing(sqlite3.connect(whole)) as connection:
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'customer'").fetchone()[0]
    data = bytearray(whole.read_bytes())
    start = (root - 1) * PAGE
    data[start + 8:start + 3000] = random.Random(5).randbytes(2992)
    whole.write_bytes(bytes(data))
    target = tmp_path / "copy.db"
    code, _out, err = run_cli(capsys, "--db", whole, "backup", target)
    assert code == 2
    assert "not whole and was not kept" in one_error_line(err)
    assert not target.exists() and not list(tmp_path.glob("*.partial"))


def test_a_backup_of_a_whole_store_passes_its_check(capsys, whole, tmp_path):
    code, out, err = run_cli(capsys, "--db", whole, "backup", tmp_path / "copy.db")
    assert (code, err) == (0, "")
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_check_of_a_whole_store(capsys, whole):
    code, out, err = run_cli(capsys, "--db", whole, "check")
    assert (code, err) == (0, "")
    assert out.startswith("No problems")


def test_check_names_a_damaged_index_and_broken_references(capsys, whole):
    with closing(sqlite3.connect(whole)) as connection:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("UPDATE visit SET customer_id = 9999 WHERE id IN (1, 2)")
        connection.commit()
    code, out, err = run_cli(capsys, "--db", whole, "check")
    assert code == 2 and err == ""
    assert "2 visit records refer to a customer that does not exist (rows 1, 2)" in out
    with closing(sqlite3.connect(whole)) as connection:
        # An index that no longer matches its table (what a crash mid-write can leave).
        connection.execute("PRAGMA writable_schema = ON")
        index = "ix_customer_name"
        connection.execute("UPDATE sqlite_master SET sql = replace(sql, '(name)', '(phone)') "
                           "WHERE name = ?", (index,))
        connection.commit()
    code, out, err = run_cli(capsys, "--db", whole, "check")
    assert code == 2
    assert f"Indexes do not match their data: {index}" in out


def stopped_mid_checkpoint(whole: Path, tmp_path: Path) -> Path:
    """The store as a process killed while checkpointing leaves it: rows committed to the
    write-ahead log, and of the pages copied back only the first (the header, which counts
    them all), so the file is shorter than its header says."""
    with closing(sqlite3.connect(whole)) as writer:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        with writer:
            writer.executemany(
                "INSERT INTO setting (key, value, updated_at) VALUES (?, ?, ?)",
                [(f"filler {number}", '"' + "x" * 2000 + '"', "2026-11-22 08:00:00")
                 for number in range(200)])
        killed = tmp_path / "killed.db"
        for suffix in ("", "-wal"):  # as they are at the kill, the writer still open
            shutil.copy(f"{whole}{suffix}", f"{killed}{suffix}")
    log = Path(f"{killed}-wal").read_bytes()
    page_size, frame, header = int.from_bytes(log[8:12], "big"), 32, None
    while frame + 24 + page_size <= len(log):
        if int.from_bytes(log[frame:frame + 4], "big") == 1:
            header = log[frame + 24:frame + 24 + page_size]
        frame += 24 + page_size
    with killed.open("r+b") as file:
        file.write(header)
    counted = int.from_bytes(header[28:32], "big")
    assert killed.stat().st_size < counted * page_size
    return killed


def test_a_checkpoint_cut_off_by_a_kill_is_whole_and_opens(capsys, whole, tmp_path):
    killed = stopped_mid_checkpoint(whole, tmp_path)
    code, out, err = run_cli(capsys, "--db", killed, "check")
    assert (code, err) == (0, "") and out.startswith("No problems")
    with closing(sqlite3.connect(killed)) as reader:
        assert reader.execute("SELECT count(*) FROM setting WHERE key LIKE 'filler %'"
                              ).fetchone() == (200,)
    code, out, err = run_cli(capsys, "--db", killed, "report", "--date", today())
    assert (code, err) == (0, "")


def test_the_same_file_without_its_log_is_cut_short(capsys, whole, tmp_path):
    killed = stopped_mid_checkpoint(whole, tmp_path)
    Path(f"{killed}-wal").unlink()
    code, out, err = run_cli(capsys, "--db", killed, "check")
    assert code != 0 and "cut short" in out + err, (out, err)
