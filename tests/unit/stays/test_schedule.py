"""The due-date schedule as callbacks: generated once, rebuilt on a date change keeping the
calls made, a delivery before the due date, the calls after check-out."""

from datetime import date, timedelta

from sqlmodel import select

from models import Callback, Contract
from reception import callbacks, stays
from reception.clock import clock
from reception.i18n import set_language
from reception.stay_schedule import plan
from tests.conftest import today
from tests.unit.stays.helpers import arrive_today, check_in, rooms, sign


def schedule(db, contract_id) -> list[tuple[str, date, str]]:
    with db.read() as session:
        contract = session.get(Contract, contract_id)
        return [(topic, callback.due_day, callback.status)
                for topic, callback in stays.calls_of(session, contract)]


def test_the_plan_follows_the_seed():
    contract = Contract(number="x", customer_id=1, signed_day=date(2026, 3, 1),
                        due_day=date(2026, 10, 1), days=28)
    calls = plan(contract)
    topics = [topic for topic, _day in calls]
    days_of = {topic: [day for name, day in calls if name == topic] for topic in topics}
    assert calls[0] == ("signing", date(2026, 3, 1))
    assert days_of["week"] == [date(2026, 3, 8)]
    # Monthly until the 7th month (16 weeks before the due date), then weekly.
    assert days_of["monthly"] == [date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 30)]
    weekly = days_of["weekly"]
    assert weekly[0] == date(2026, 10, 1) - timedelta(days=112)
    assert all((b - a).days == 7 for a, b in zip(weekly, weekly[1:], strict=False))
    assert days_of["month_before"] == [date(2026, 9, 1)]
    assert days_of["week_before"] == [date(2026, 9, 24)]
    assert days_of["hospital"] == [date(2026, 10, 2)]
    assert "after" not in topics
    assert len({day for _topic, day in calls}) == len(calls)  # one call a day


def test_signing_makes_the_calls_once_and_f5_says_the_line(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    made = schedule(db, contract_id)
    assert made[0] == ("signing", today(), "open")
    assert ("hospital", today() + timedelta(days=61), "open") in made
    with db.write() as session:  # idempotent, like every callback rule
        assert stays.sync(session, session.get(Contract, contract_id),
                          by=team.receptionist.id) == 0
        assert callbacks.generate(session, by=team.receptionist.id) == 0
    assert schedule(db, contract_id) == made
    set_language("zh")
    with db.read() as session:
        entry = callbacks.day_list(session, today()).ready[0]
    assert entry.customer_name == "王小红" and entry.rule_name == "签约当天温馨短信"


def test_a_due_date_change_moves_the_calls_to_come_and_keeps_those_made(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    with db.write() as session:
        signing = session.exec(select(Callback).order_by(Callback.due_day)).first()
        callbacks.record_attempt(session, signing.id, outcome="declined",
                                 by=team.receptionist.id)
    clock.advance(days=8)  # a week on: the week's call is due and still untried
    new_due = today() + timedelta(days=40)
    with db.write() as session:
        stays.update_archive(session, contract_id, {"due_day": new_due.isoformat(),
                                                    "arrival_day": ""}, by=None)
    made = schedule(db, contract_id)
    assert made[0] == ("signing", date(2026, 11, 22), "declined")  # made: it stays
    assert ("hospital", new_due + timedelta(days=1), "open") in made
    assert ("hospital", date(2026, 11, 22) + timedelta(days=61), "open") not in made
    assert ("week_before", new_due - timedelta(days=7), "open") in made
    # The week's call, due yesterday and not yet made, is still on the list (carried over).
    assert ("week", date(2026, 11, 29), "open") in made
    assert all(day >= today() for topic, day, status in made
               if status == "open" and topic != "week")


def test_a_delivery_before_the_due_date_drops_the_pregnancy_calls(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    clock.advance(days=20)
    arrive_today(db, team, contract_id)  # delivered two days ago, 40 days early
    made = schedule(db, contract_id)
    born = today() - timedelta(days=2)
    assert not [t for t, day, _s in made if t in ("weekly", "month_before", "week_before")
                and day >= born]
    # The hospital call was due yesterday: it is in the past, so it is not made late.
    assert ("hospital", born + timedelta(days=1), "open") not in made


def test_check_out_starts_the_calls_of_days_one_to_three(db, team):
    rooms(db, team)
    contract_id = sign(db, team, due_day=(today() + timedelta(days=2)).isoformat())
    arrive_today(db, team, contract_id)
    check_in(db, team, contract_id)
    clock.advance(days=28)
    with db.write() as session:
        stays.check_out(session, contract_id, {
            "items_confirmed": "y", "room_checked": "y", "survey_score": "5"}, by=None)
    after = [day for topic, day, _s in schedule(db, contract_id) if topic == "after"]
    assert after == [today() + timedelta(days=n) for n in (1, 2, 3)]
