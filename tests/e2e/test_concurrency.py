"""Four processes with a mixed workload on one store (a file, or a server): nothing lost or
duplicated, unique case numbers, one holder per key, no "database is locked" reaching anyone.

The short form runs in the suite; ``RECEPTION_SOAK_SECONDS=120`` makes it a soak.
"""

import json
import os
import sqlite3
from collections import Counter

from sqlalchemy import text

from reception import keys
from tests.helpers.launcher import launch
from tests.helpers.moment import child_env

SECONDS = float(os.environ.get("RECEPTION_SOAK_SECONDS", "3"))
WORKERS = 4

WORKLOAD = r"""
import json, random, sys, time
from reception import callbacks, keys, triage
from reception.clock import clock
from reception.db import open_database
from reception.errors import ReceptionError

path, worker, seconds, receptionist, consultant, key_id = sys.argv[1:7]
worker, seconds = int(worker), float(seconds)
receptionist, consultant, key_id = int(receptionist), int(consultant), int(key_id)
database = open_database(path)
rng = random.Random(worker)
done = {"registered": [], "deals": [], "lent": 0, "returned": 0, "refused": 0, "moves": 0,
        "callbacks": 0}
visits = []
number = 0
deadline = time.monotonic() + seconds
# The time, and at least a few walk-ins and deals each, however loaded the machine is.
while time.monotonic() < deadline or number < 3 or not done["deals"]:
    action = rng.choice(["register", "register", "move", "deal", "key", "callbacks"])
    try:
        with database.write() as session:
            if action == "register":
                phone = f"13{worker}{number:08d}"
                visit, customer, created = triage.triage_new_customer(
                    session, name=f"顾客{worker}-{number}", phone=phone, by=receptionist)
                number += 1
                visits.append(visit.id)
                result = ("registered", phone)
            elif action == "move" and visits:
                triage.move_status(session, rng.choice(visits), by=receptionist)
                result = ("moves", 1)
            elif action == "deal" and visits:
                visit_id = visits.pop(rng.randrange(len(visits)))
                visit = triage.record_outcome(session, visit_id, outcome="deal", items="光子嫩肤",
                                              by=receptionist)
                result = ("deals", visit.customer_id)
            elif action == "key":
                if keys.open_loan(session, key_id) is None or rng.random() < 0.5:
                    keys.lend(session, key_id=key_id, staff_id=consultant, by=receptionist,
                              purpose=f"worker {worker}")
                    result = ("lent", 1)
                else:
                    keys.return_key(session, key_id=key_id, by=receptionist)
                    result = ("returned", 1)
            elif action == "callbacks":
                result = ("callbacks", callbacks.generate(session, by=receptionist))
            else:
                continue
    except ReceptionError as refusal:
        if refusal.message_key.startswith("db."):
            raise
        done["refused"] += 1
        continue
    name, value = result
    if isinstance(done[name], list):
        done[name].append(value)
    else:
        done[name] += value
print(json.dumps(done))
"""


def test_four_processes_mixed_workload(db, db_address, team, tmp_path):
    with db.write() as session:
        keys.ensure_default_keys(session, by=team.manager.id)
        archive = keys.archive_key(session)
    env = child_env()
    reports = []
    workers = [launch(WORKLOAD, db_address, str(n), str(SECONDS), str(team.receptionist.id),
                      str(team.consultants[n % 3].id), str(archive.id), env=env)
               for n in range(WORKERS)]
    for worker in workers:
        returncode, err = worker.wait(timeout=SECONDS + 120), worker.errors()
        assert returncode == 0, err
        assert "locked" not in err
        reports.append(json.loads(worker.output().strip().splitlines()[-1]))

    if db.dialect == "sqlite":
        with sqlite3.connect(db.path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with db.read() as session:
        run = lambda sql, **values: session.execute(text(sql), values).all()  # noqa: E731
        phones = [row[0] for row in run("SELECT phone FROM customer")]
        case_numbers = [row[0] for row in run(
            "SELECT case_number FROM customer WHERE case_number IS NOT NULL")]
        events = [tuple(row) for row in run(
            "SELECT id, kind, loan_id FROM key_event WHERE key_id = :key ORDER BY id",
            key=archive.id)]
        callbacks_made = [tuple(row) for row in run(
            "SELECT customer_id, rule_id, event_day FROM callback")]

    registered = [phone for report in reports for phone in report["registered"]]
    assert sorted(phones) == sorted(registered)  # nothing lost, nothing doubled
    assert len(registered) > WORKERS
    dealt_customers = {customer for report in reports for customer in report["deals"]}
    assert dealt_customers
    assert len(case_numbers) == len(dealt_customers) == len(set(case_numbers))
    sequences = sorted(int(number[8:]) for number in case_numbers)
    assert sequences == list(range(1, len(sequences) + 1))  # no gap, no duplicate
    # One holder at a time: every loan is closed before the next one starts.
    open_loan = None
    for event_id, kind, loan_id in events:
        if kind == "out":
            assert open_loan is None, f"key lent twice at once (event {event_id})"
            open_loan = event_id
        elif kind == "back":
            assert loan_id == open_loan
            open_loan = None
    assert sum(r["lent"] for r in reports) == Counter(k for _, k, _ in events)["out"]
    assert len(callbacks_made) == len(set(callbacks_made))
