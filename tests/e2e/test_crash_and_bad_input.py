"""Crashes, a full disk and hostile command-line arguments: nothing half-written, no traceback."""

import os
import random
import sqlite3
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from reception import cli, customers
from reception.db import open_database
from reception.errors import DatabaseError
from tests.helpers.launcher import launch

WRITER = """
import sys
from reception import customers
from reception.db import open_database
database = open_database(sys.argv[1])
staff_id = int(sys.argv[2])
n = int(sys.argv[3])
while True:
    with database.write() as session:
        # Two rows per unit of work: a customer and, with the same number, an audit line.
        customers.register(session, name=f"顾客{n}", phone=f"139{n:08d}", by=staff_id)
    print(n, flush=True)
    n += 1
"""


def test_writer_killed_at_random_moments_leaves_whole_records(db, db_address, team, tmp_path):
    rng = random.Random(7)
    next_number = 0
    acknowledged = set()
    for _round in range(12):
        writer = launch(WRITER, db_address, str(team.receptionist.id), str(next_number))
        writer.wait_for_output()  # started and writing
        time.sleep(rng.uniform(0.05, 0.5))
        writer.kill()
        acknowledged.update(int(line) for line in writer.lines())
        next_number += 10_000
    if db.dialect == "sqlite":
        with sqlite3.connect(db.path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with db.read() as session:
        rows = session.execute(text(
            "SELECT c.name, c.phone, (SELECT count(*) FROM audit_entry a WHERE "
            "a.record_type = 'customer' AND a.record_id = c.id) FROM customer c")).all()
    numbers = set()
    for name, phone, audit_lines in rows:
        number = int(name.removeprefix("顾客"))
        assert phone == f"139{number:08d}" and audit_lines == 1
        numbers.add(number)
    # Every write the writer saw committed survived the kill.
    assert acknowledged <= numbers
    assert len(acknowledged) > 12


@pytest.mark.sqlite_only  # a file's size limit; a server's full disk is its own SQLSTATE
def test_a_full_disk_is_one_clear_error_and_nothing_half_written(db, team):
    with db.read() as session:
        before = len(customers.search(session, "1390"))
    with pytest.raises(DatabaseError) as refused:
        with db.write() as session:
            pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()
            session.connection().exec_driver_sql(f"PRAGMA max_page_count = {pages}")
            for number in range(2000):
                customers.register(session, name="顾客" + "长" * 190, phone=f"139{number:08d}",
                                   interest="长" * 1000, by=team.receptionist.id)
    assert refused.value.message_key == "db.disk_full"
    db.close()
    with open_database(db.path).read() as session:
        assert len(customers.search(session, "1390")) == before == 0


hostile_text = st.text(min_size=0, max_size=200)
# tmp_path is shared by the examples: each example writes only under its own name.
FIXTURES_OK = [HealthCheck.function_scoped_fixture]


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES_OK)
@given(value=hostile_text)
def test_hostile_cli_arguments_give_one_line_and_no_traceback(tmp_path, capsys, value):
    if "\x00" in value:
        value = value.replace("\x00", "")
    for argv in (["report", "--date", value, "--db", str(tmp_path / "x.db")],
                 ["export", "--date", value, "--db", str(tmp_path / "x.db")],
                 ["backup", os.path.join(str(tmp_path), "nope", "..", "..", value or "x"),
                  "--db", str(tmp_path / "x.db")]):
        try:
            code = cli.main(argv)
        except SystemExit as leaving:
            code = leaving.code
        err = capsys.readouterr().err
        assert "Traceback" not in err
        if code not in (0, None):
            assert err.strip() and len(err.strip().splitlines()) == 1, err


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES_OK)
@given(path=st.text(min_size=1, max_size=80).filter(lambda p: "\x00" not in p))
def test_hostile_database_paths_give_one_line(tmp_path, capsys, path):
    target = os.path.join(str(tmp_path), "dbs", path)
    try:
        code = cli.main(["report", "--db", target, "--date", "2026-11-22"])
    except SystemExit as leaving:
        code = leaving.code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert code in (0, 1, 2)
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err
