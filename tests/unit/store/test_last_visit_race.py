"""The customer's last visit on a server stays the latest when one branch moves a visit while
another branch registers one for the same customer, each in a process of its own."""

import time
from datetime import timedelta

from models import Customer
from reception import triage
from reception.clock import clock
from tests.helpers.launcher import launch

PHONE = "13800000077"

#: Another counter's process: east moves its visit's arrival earlier (the trigger then works
#: out the customer's last visit again).
MOVE_VISIT = """
import sys
from sqlalchemy import text
from reception.db import open_database
database = open_database(sys.argv[1], branch="east")
try:
    with database.write() as session:
        session.execute(text("UPDATE visit SET arrived_at = CAST(:at AS timestamptz) "
                             "WHERE id = :id"), {"at": sys.argv[3], "id": int(sys.argv[2])})
    print("moved")
finally:
    database.close()
"""


def waiting_on_a_lock(server, name: str) -> bool:
    with server.admin(name) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = "
            "'Lock' AND query LIKE 'UPDATE visit%%'", (name,)).fetchone()[0] > 0


def test_a_visit_moved_at_one_branch_while_another_registers_one_keeps_the_latest(chain):
    counters, server, name = chain
    (east, east_manager), (west, west_manager) = counters["east"], counters["west"]
    now = clock.now_utc()
    with clock.moved_to(clock.now().shift(hours=-2)):
        with east.write() as session:
            east_visit, customer, created = triage.triage_new_customer(
                session, name="两店客", phone=PHONE, by=east_manager)
    assert created
    with west.write() as session:
        # West registers the customer's visit now and has not committed yet, while east
        # moves its own earlier visit in another process.
        west_visit, same, created = triage.triage_new_customer(
            session, name="两店客", phone=PHONE, by=west_manager)
        assert not created and same.id == customer.id
        mover = launch(MOVE_VISIT, server.url(name), str(east_visit.id),
                       (now - timedelta(hours=3)).isoformat())
        deadline = time.monotonic() + 60
        while not waiting_on_a_lock(server, name):
            assert mover.running() and time.monotonic() < deadline
            time.sleep(0.05)
    assert mover.wait(60) == 0, mover.errors()
    assert mover.lines() == ["moved"]
    with west.read() as session:
        latest = session.get(Customer, customer.id).last_visit_at
    assert latest == west_visit.arrived_at
    with server.admin(name) as connection:
        assert connection.execute(
            "SELECT c.last_visit_at = (SELECT max(arrived_at) FROM visit v WHERE "
            "v.customer_id = c.id) FROM customer c WHERE c.id = %s",
            (customer.id,)).fetchone()[0]
        assert connection.execute("SELECT arrived_at FROM visit WHERE id = %s",
                                  (east_visit.id,)).fetchone()[0] == now - timedelta(hours=3)
