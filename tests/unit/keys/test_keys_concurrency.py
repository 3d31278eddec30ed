"""Two processes take the same key at the same moment: exactly one gets it."""

import multiprocessing

from sqlmodel import select

from models import KeyEvent, KeyEventKind
from reception import keys
from tests.helpers.moment import TEST_NOW, TEST_TZ


def take_key(db_address: str, key_id: int, staff_id: int, by: int, start, results) -> None:
    """In a separate process: open the store, wait for the start signal, lend."""
    from reception.clock import clock
    from reception.db import open_database

    clock.tz = TEST_TZ
    clock.set(TEST_NOW)
    database = open_database(db_address, migrate=False)
    start.wait()
    try:
        with database.write() as session:
            keys.lend(session, key_id=key_id, staff_id=staff_id, by=by, purpose="病例")
        results.put(("won", staff_id))
    except keys.KeyLogError as refused:
        results.put((refused.message_key, staff_id))
    finally:
        database.close()


def test_two_processes_lend_the_same_key_exactly_one_wins(db, db_address, team):
    with db.write() as session:
        archive = keys.ensure_default_keys(session, by=team.manager.id)[0]
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    rivals = [team.consultants[0], team.cashier]
    workers = [
        context.Process(target=take_key, args=(db_address, archive.id, person.id,
                                               team.receptionist.id, start, results))
        for person in rivals
    ]
    for worker in workers:
        worker.start()
    start.set()
    outcomes = sorted(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert [outcome for outcome, _ in outcomes] == ["keys.already_out", "won"]
    winner = next(staff_id for outcome, staff_id in outcomes if outcome == "won")
    with db.read() as session:
        loans = session.exec(
            select(KeyEvent).where(KeyEvent.kind == KeyEventKind.OUT)).all()
        assert [loan.staff_id for loan in loans] == [winner]
        (out,) = keys.keys_out(session)
        assert out.holder.id == winner
