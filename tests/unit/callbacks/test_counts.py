"""QA round: one definition of a day's callbacks (due / waiting / done) for F5, the
dashboard and the night check; nothing carried over is invisible."""

import itertools
import re
from datetime import timedelta

from sqlmodel import select

from models import Callback, Customer
from reception import callbacks
from reception.clock import clock
from reception.dashboard import callbacks_line, today_at_a_glance
from reception.demo import fill
from reception.i18n import set_language
from tests.conftest import at

# A distinct phone each (the phone is unique; a hash of the name could collide).
PHONES = itertools.count(1)


def add_callback(db, team, name, *, due_offset=-1, attempts=0, next_try=None,
                 status="open", outcome=""):
    """A callback as the list finds it after some days of work (or of the demo)."""
    with db.write() as session:
        rule = callbacks.ensure_builtin_rule(session, by=team.manager.id)
        customer = Customer(name=name, phone=f"1380000{next(PHONES):04d}",
                            created_at=clock.now_utc(),
                            first_visit_day=clock.today() + timedelta(days=due_offset - 1))
        session.add(customer)
        session.flush()
        callback = Callback(
            customer_id=customer.id, rule_id=rule.id, event_day=customer.first_visit_day,
            due_day=clock.today() + timedelta(days=due_offset), status=status,
            attempts=attempts, last_outcome=outcome,
            next_try_at=at(next_try).datetime if next_try else None,
            created_at=clock.now_utc(), created_by_id=team.manager.id)
        session.add(callback)
        session.flush()
        return callback.id


def numbers(db):
    with db.read() as session:
        listing = callbacks.day_list(session)
        glance = today_at_a_glance(session)
        return listing, glance


def test_dashboard_and_list_count_the_same_callbacks(db, team):
    never = add_callback(db, team, "从未打过")
    retry_passed = add_callback(db, team, "重拨时间已到", attempts=1, outcome="no_answer",
                                next_try="2026-11-22T09:30:00")
    later_today = add_callback(db, team, "今天稍后", due_offset=0, attempts=1,
                               outcome="busy", next_try="2026-11-22T13:00:00")
    # Carried over with tries, its next try set for tomorrow (as the demo made them).
    tomorrow = add_callback(db, team, "明天再打", due_offset=-3, attempts=2,
                            outcome="no_answer", next_try="2026-11-23T00:23:00")
    add_callback(db, team, "已回访", status="reached", attempts=1, outcome="reached")
    add_callback(db, team, "明天才到期", due_offset=1)
    listing, glance = numbers(db)
    assert [e.callback_id for e in listing.ready] == [never, retry_passed]
    assert [e.callback_id for e in listing.waiting] == [later_today, tomorrow]
    assert (listing.counts.ready, listing.counts.waiting, listing.counts.total) == (2, 2, 4)
    assert (glance.callbacks_due, glance.callbacks_ready, glance.callbacks_waiting) == (
        4, 2, 2)
    set_language("zh")
    assert callbacks_line(glance) == "今日待回访\uff1a4 位\uff08现在可打 2\uff0c稍后再打 2\uff09"
    set_language("en")
    assert callbacks_line(glance) == "Callbacks due: 4 (2 to call now, 2 for later)"
    # When the retry time comes the callback moves from "waiting" to "ready": the total
    # stays the same on both screens.
    clock.set(at("2026-11-22T13:00:00"))
    listing, glance = numbers(db)
    assert [e.callback_id for e in listing.ready] == [never, retry_passed, later_today]
    assert glance.callbacks_due == listing.counts.total == 4


def test_every_open_callback_due_is_in_exactly_one_group(db, team):
    times = [None, "2026-11-21T15:00:00", "2026-11-22T09:59:00", "2026-11-22T10:00:00",
             "2026-11-22T10:01:00", "2026-11-22T20:59:00", "2026-11-23T09:00:00",
             "2026-12-01T10:00:00"]
    ids = {add_callback(db, team, f"客{number}", due_offset=-(number % 3),
                        attempts=1 if when else 0, next_try=when)
           for number, when in enumerate(times)}
    listing, glance = numbers(db)
    ready = {e.callback_id for e in listing.ready}
    waiting = {e.callback_id for e in listing.waiting}
    assert ready | waiting == ids and not ready & waiting
    assert len(ready) == 4  # no next try, yesterday's, 09:59, and 10:00 (now)
    assert glance.callbacks_due == len(ids)


def test_night_check_finds_callbacks_not_done_even_after_a_try(db, team):
    never = add_callback(db, team, "从未打过")
    retry_missed = add_callback(db, team, "重拨没打", due_offset=0, attempts=1,
                                outcome="no_answer", next_try="2026-11-22T13:00:00")
    add_callback(db, team, "明早再打", attempts=3, outcome="busy",
                 next_try="2026-11-23T09:00:00")
    add_callback(db, team, "顾客约了下周", attempts=1, outcome="later",
                 next_try="2026-11-29T10:00:00")
    add_callback(db, team, "已回访", status="reached", attempts=1, outcome="reached")
    clock.set(at("2026-11-22T20:30:00"))
    with db.read() as session:
        found = callbacks.not_done(session, clock.today())
    assert [e.callback_id for e in found] == [never, retry_missed]
    assert found[1].attempts == 1


def test_after_the_demo_the_dashboard_and_the_list_agree(db):
    # Late at night the demo set carried-over retries to a time after midnight.
    clock.set(at("2026-11-22T23:50:00"))
    fill(db, seed=7, days=10, customers=None, visits=None)
    listing, glance = numbers(db)
    with db.read() as session:
        open_due = session.exec(select(Callback.id).where(
            Callback.status == "open", Callback.due_day <= clock.today())).all()
    assert glance.callbacks_due == listing.counts.total == len(open_due)
    # Carried-over tries are counted whether their next try has come or not.
    assert any(e.attempts for e in listing.ready + listing.waiting)
    shown = [e.callback_id for e in listing.ready + listing.waiting]
    assert sorted(shown) == sorted(open_due)


#: Half-width punctuation a zh string must not use (a colon only between ASCII letters or
#: digits, as in HH:MM or 15:30).
HALF_WIDTH = re.compile(r"[,;()!?]|(?<![0-9A-Za-z]):|:(?![0-9A-Za-z])")


def test_zh_strings_of_the_callbacks_catalogue_use_full_width_punctuation():
    from reception.i18n.callbacks import MESSAGES

    half = {key: zh for key, (zh, _en) in MESSAGES.items() if HALF_WIDTH.search(zh)}
    assert half == {}
    assert MESSAGES["callbacks.labelled"][0] == "{label}\uff1a{value}"
    assert "HH:MM" in MESSAGES["callbacks.later.bad_time"][0]  # a time keeps its colon
