"""On a server, the counters of one branch save side by side: a walk-in, a deal, a key lent or
returned each take the keyed lock their rule needs (the key, the visit, the customer, the
day's rotation), so only two after the same key wait for each other; the day's sign-off and
any other write still hold the whole branch. (SQLite's write lock is the whole file's.)"""

import pytest
from sqlalchemy import text

from reception import days, keys, triage
from reception.clock import clock
from reception.db import keyed_unit, open_database, whole_branch
from reception.errors import DatabaseError, DayClosedError

WAIT_MS = 400


@pytest.fixture
def counters(db, db_address, store_kind):
    """Two counters of the clinic's one branch on a server."""
    if store_kind != "postgresql":
        pytest.skip("SQLite's write lock is the whole file's: every write waits")
    other = open_database(db_address)
    yield db, other
    other.close()


def waits(database, work) -> bool:
    """Whether ``work`` in a write of ``database`` waits for a unit held elsewhere (it is
    refused as busy after WAIT_MS); when it does not, it is saved."""
    try:
        with database.write(busy_ms=WAIT_MS) as session:
            work(session)
    except DatabaseError as busy:
        assert busy.message_key == "db.locked"
        return True
    return False


def lend(key_id: int, staff_id: int, by: int):
    return lambda session: keys.lend(session, key_id=key_id, staff_id=staff_id, by=by,
                                     purpose="取物")


def test_lending_two_keys_at_once_does_not_wait_and_the_same_key_does(counters, team):
    first, second = counters
    with first.write() as session:
        archive, vip = keys.ensure_default_keys(session, by=team.manager.id)[:2]
    manager, consultant, cashier = team.manager.id, team.consultants[0].id, team.cashier.id
    with first.write() as held:
        keys.lend(held, key_id=archive.id, staff_id=consultant, by=manager, purpose="病例")
        assert not waits(second, lend(vip.id, manager, manager))
        assert waits(second, lend(archive.id, cashier, manager))
        assert waits(second, lambda session: keys.return_key(session, key_id=archive.id,
                                                             by=manager))
    # Once the first counter's loan is saved, the second is told who has the key.
    with pytest.raises(keys.KeyLogError) as refused, second.write() as session:
        lend(archive.id, cashier, manager)(session)
    assert refused.value.message_key == "keys.already_out"
    with second.read() as session:
        assert {out.key.id: out.holder.id for out in keys.keys_out(session)} == {
            archive.id: consultant, vip.id: manager}


def test_closing_two_visits_at_once_does_not_wait_and_the_same_visit_does(counters, team):
    first, second = counters
    by = team.receptionist.id
    visits = []
    for phone in ("13800000001", "13800000002"):
        with first.write() as session:
            visits.append(triage.triage_new_customer(session, name="顾客", phone=phone,
                                                     by=by)[0].id)

    def close(visit_id):
        return lambda session: triage.record_outcome(session, visit_id, outcome="no_deal",
                                                     by=by)

    with first.write() as held:
        close(visits[0])(held)
        assert not waits(second, close(visits[1]))
        assert waits(second, close(visits[0]))
    with pytest.raises(triage.TriageError) as refused, second.write() as session:
        close(visits[0])(session)
    assert refused.value.message_key == "triage.already_left"


def test_walk_ins_take_the_rotation_in_turn_and_a_chosen_consultant_does_not_wait(
        counters, team):
    first, second = counters
    by = team.receptionist.id

    def walk_in(phone, consultant_id=None):
        return lambda session: triage.triage_new_customer(
            session, name="顾客", phone=phone, by=by, consultant_id=consultant_id)

    with first.write() as held:
        taken = walk_in("13900000001")(held)[0].consultant_id
        # The desk chose the consultant: nothing to wait for.
        assert not waits(second, walk_in("13900000002", team.consultants[2].id))
        # The rotation's next pick must see the first: it waits.
        assert waits(second, walk_in("13900000003"))
    with second.write() as session:
        following = walk_in("13900000003")(session)[0].consultant_id
    assert taken is not None and following is not None and following != taken


def test_the_same_customer_triaged_at_two_counters_at_once_waits(counters, team):
    first, second = counters
    by = team.receptionist.id
    with first.write() as session:
        visit, customer, _created = triage.triage_new_customer(session, name="回头客",
                                                               phone="13700000001", by=by)
        triage.record_outcome(session, visit.id, outcome="no_deal", by=by)

    def start(session):
        return triage.start_visit(session, customer_id=customer.id, path="C1", by=by,
                                  consultant_id=team.consultants[0].id)

    with first.write() as held:
        start(held)
        assert waits(second, start)
    with pytest.raises(triage.AlreadyHereError), second.write() as session:
        start(session)
    with second.read() as session:
        assert session.execute(text("SELECT count(*) FROM visit WHERE customer_id = :c"),
                               {"c": customer.id}).scalar() == 2


def test_the_days_sign_off_waits_for_every_write_of_the_branch_and_they_for_it(
        counters, team):
    first, second = counters
    with first.write() as session:
        archive = keys.ensure_default_keys(session, by=team.manager.id)[0]
    manager = team.manager.id

    def sign_off(session):
        days.sign_off(session, clock.today(), by=manager, snapshot={})

    with first.write() as held:
        keys.lend(held, key_id=archive.id, staff_id=team.cashier.id, by=manager,
                  purpose="病例")
        assert waits(second, sign_off)
    with first.write() as held:
        sign_off(held)
        assert waits(second, lambda session: keys.return_key(session, key_id=archive.id,
                                                             by=manager))
    # Signed off: the loan cannot be closed on the day any more.
    with pytest.raises(DayClosedError), second.write() as session:
        keys.return_key(session, key_id=archive.id, by=manager)


def test_any_other_write_holds_the_whole_branch(counters, team):
    first, second = counters
    with first.write() as session:
        archive = keys.ensure_default_keys(session, by=team.manager.id)[0]
    manager, cashier = team.manager.id, team.cashier.id
    with first.write() as held:
        held.execute(text("SELECT 1"))  # a unit that did not say keyed_unit first
        assert waits(second, lend(archive.id, cashier, manager))
    with first.write() as held:
        lend(archive.id, cashier, manager)(held)
        assert waits(second, lambda session: session.execute(text("SELECT 1")))


def test_a_keyed_unit_never_takes_the_whole_branch_afterwards(counters):
    first, _second = counters
    with pytest.raises(RuntimeError), first.write() as session:
        keyed_unit(session)
        whole_branch(session)
