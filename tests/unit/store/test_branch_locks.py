"""On a server, each branch's writes queue for their own branch's lock: two branches never
wait for each other, while what is the chain's — one customer per phone, the day's case
numbers — still holds across branches."""

import threading
import time

import pytest
from sqlalchemy import text

from reception import triage
from reception.db import open_database
from reception.errors import DatabaseError


def walk_in(database, by: int, phone: str, name: str = "顾客"):
    with database.write() as session:
        visit, customer, created = triage.triage_new_customer(session, name=name, phone=phone,
                                                              by=by)
    return visit, customer, created


def test_a_held_write_in_one_branch_does_not_hold_up_another_branch(chain):
    counters, _server, _name = chain
    (east, east_manager), (west, west_manager) = counters["east"], counters["west"]
    with east.write() as held:
        triage.triage_new_customer(held, name="东客", phone="13800000001", by=east_manager)
        started = time.monotonic()
        with west.write(busy_ms=3000) as session:
            visit, _customer, created = triage.triage_new_customer(
                session, name="西客", phone="13800000002", by=west_manager)
        assert created and time.monotonic() - started < 3
        # The branch's own next write does wait for the one held (its rules need it).
        with pytest.raises(DatabaseError) as busy:
            with east.write(busy_ms=300) as session:
                session.execute(text("SELECT 1"))
        assert busy.value.message_key == "db.locked"
    with west.read() as session:
        assert session.execute(text("SELECT count(*) FROM visit")).scalar() == 1


def test_two_branches_registering_one_phone_at_once_make_one_customer(chain):
    counters, server, name = chain
    address = server.url(name)
    (east, east_manager), (west, west_manager) = counters["east"], counters["west"]
    found = {}
    with east.write() as held:
        _visit, first, created = triage.triage_new_customer(held, name="同一人",
                                                            phone="13900000009", by=east_manager)
        assert created
        # West registers the same phone now: it waits for east's unit of work, then finds
        # east's customer instead of making a second one (or being refused).
        thread = threading.Thread(target=lambda: found.update(
            west=walk_in(west, west_manager, "139 0000 0009", name="同一人")))
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()
    thread.join(20)
    _visit, second, created = found["west"]
    assert not created and second.id == first.id
    everything = open_database(address, branch="all")
    try:
        with everything.read() as session:
            assert session.execute(text("SELECT count(*) FROM customer WHERE phone = :p"),
                                   {"p": first.phone}).scalar() == 1
            assert session.execute(text("SELECT count(*) FROM visit WHERE customer_id = :c"),
                                   {"c": first.id}).scalar() == 2
    finally:
        everything.close()


def test_first_deals_at_two_branches_at_once_take_the_days_numbers_in_turn(chain):
    counters, _server, _name = chain
    (east, east_manager), (west, west_manager) = counters["east"], counters["west"]
    east_visit, _c, _n = walk_in(east, east_manager, "13700000001")
    west_visit, _c, _n = walk_in(west, west_manager, "13700000002")
    with east.write() as held:
        triage.record_outcome(held, east_visit.id, outcome="deal", items="光子嫩肤",
                              by=east_manager)
        # The day's case numbers are the chain's: west's first deal waits for east's.
        with pytest.raises(DatabaseError) as busy:
            with west.write(busy_ms=300) as session:
                triage.record_outcome(session, west_visit.id, outcome="deal", items="水光",
                                      by=west_manager)
        assert busy.value.message_key == "db.locked"
    with west.write() as session:
        triage.record_outcome(session, west_visit.id, outcome="deal", items="水光",
                              by=west_manager)
    numbers = []
    for database in (east, west):
        with database.read() as session:
            numbers += session.execute(text(
                "SELECT c.case_number FROM customer c JOIN visit v ON v.customer_id = c.id"
            )).scalars().all()
    assert sorted(int(number[8:]) for number in numbers) == [1, 2]
