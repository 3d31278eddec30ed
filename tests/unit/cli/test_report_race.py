"""`reception report`, `export` and `backup` against a store another process is writing to.

A module of its own named ``*_race.py``: the waiting lane runs it (``tests/helpers/lanes.py``).
"""

import json
import sqlite3
import subprocess
import textwrap
import time
from pathlib import Path

from reception import reconcile
from tests.conftest import today
from tests.helpers import launcher
from tests.helpers.launcher import launch
from tests.helpers.moment import child_env

ROOT = Path(__file__).resolve().parents[3]


WRITER = textwrap.dedent("""
    import sys, time
    from datetime import date
    from pathlib import Path
    from models import Customer, Visit
    from reception.clock import clock
    from reception.db import open_database

    db = open_database(sys.argv[1])
    day = date.fromisoformat(sys.argv[2])
    stop = Path(sys.argv[4])
    written = 0
    for n in range(int(sys.argv[3])):
        if stop.exists():  # the readers are done: no need to write on alone
            break
        with db.write() as session:
            customer = Customer(name=f"并发{n}", phone=f"1370000{n:04d}",
                                created_at=clock.now_utc())
            session.add(customer)
            session.flush()
            session.add(Visit(day=day, customer_id=customer.id, path="A",
                              status_since=clock.now_utc(), arrived_at=clock.now_utc(),
                              created_at=clock.now_utc()))
        written += 1
        if n == 0:
            print("ready", flush=True)
        time.sleep(0.01)
    print("done", written, flush=True)
""")


def test_report_export_backup_while_another_process_writes(db, db_address, team, tmp_path,
                                                           store_kind, request):
    env = child_env(LANG="en_US.UTF-8")
    stop = tmp_path / "stop"
    writer = launch(WRITER, db_address, today().isoformat(), "400", str(stop), env=env, cwd=ROOT)
    try:
        writer.wait_for_output()
        assert writer.lines()[0] == "ready"

        def run(*args):
            return launcher.cli("--lang", "en", *args, "--db", db_address, env=env)

        report = run("report", "--format", "json")
        assert report.returncode == 1, report.stderr
        document = json.loads(report.stdout)
        assert document["counts"]["visits"] >= 1
        assert {f["kind"] for f in document["findings"]} == {"visit_incomplete"}
        exported = run("export", "--date", today().isoformat())
        assert exported.returncode == 0, exported.stderr
        tables = json.loads(exported.stdout)["tables"]
        # One snapshot: every exported visit's customer is in the export too.
        assert {v["customer_id"] for v in tables["visit"]} <= {
            c["id"] for c in tables["customer"]}
        target = tmp_path / "backups" / "copy.db"
        backup = run("backup", str(target))
        assert backup.returncode == 0, backup.stderr
        assert "locked" not in report.stderr + exported.stderr + backup.stderr
    finally:
        stop.touch()
        code = writer.wait(timeout=60)
    assert code == 0, writer.errors()
    written = int(writer.lines()[-1].removeprefix("done "))
    assert not list(target.parent.glob("*.partial"))
    if store_kind == "postgresql":
        copied, target = restored_visits(request.getfixturevalue("postgres_server"), target)
    else:
        copied = copied_visits(target)
    assert 1 <= copied <= written
    # Reading while writing lost nothing: every visit written is there.
    with db.read() as session:
        assert reconcile.count_day(session, today()).visits == written
    # The backup answers the report like the live store does.
    started = time.monotonic()
    again = launcher.cli("--lang", "en", "report", "--db", str(target), "--format", "json",
                         env=env)
    assert again.returncode == 1 and json.loads(again.stdout)["counts"]["visits"] == copied
    assert time.monotonic() - started < 30


def copied_visits(target: Path) -> int:
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return copy.execute("SELECT count(*) FROM visit").fetchone()[0]
    finally:
        copy.close()


def restored_visits(server, dump: Path) -> tuple[int, str]:
    """The server's backup restored into a new database: (its visits, its address)."""
    from reception import cli_server

    name = server.create_database()
    subprocess.run([cli_server.pg_tool("pg_restore"), "--exit-on-error", "-h", "127.0.0.1",
                    "-p", str(server.port), "-U", server.superuser, "-d", name, str(dump)],
                   check=True, capture_output=True)
    with server.admin(name) as connection:
        copied = connection.execute("SELECT count(*) FROM visit").fetchone()[0]
    return copied, server.url(name)
