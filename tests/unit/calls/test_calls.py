"""The call log, messages to relay and bookings made on the phone."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import AuditEntry, Call, DayEvent, Message
from reception import appointments, calls, customers, dashboard, staff
from reception.clock import clock
from reception.errors import DayClosedError, ValidationError
from tests.conftest import at, today


def test_call_logged_from_first_step_to_its_end(db, team):
    by = team.receptionist.id
    started = clock.now_utc()
    clock.advance(seconds=20)
    with db.write() as session:
        call = calls.start_call(session, by=by, path=["greeting", "boss_surname"],
                                started_at=started)
    with db.write() as session:
        calls.record_step(session, call.id, path=["greeting", "boss_surname", "boss_check"],
                          caller_name="王")
    with db.write() as session:
        calls.end_call(session, call.id, path=["greeting", "boss_surname", "boss_check",
                                               "boss_transfer"], outcome="transferred", by=by)
    with db.read() as session:
        stored = session.get(Call, call.id)
        assert calls.call_path(stored) == ["greeting", "boss_surname", "boss_check",
                                           "boss_transfer"]
        assert stored.outcome == "transferred" and stored.taken_by_id == by
        assert stored.started_at == started and stored.ended_at > started
        assert stored.caller_name == "王" and stored.day == today()
        assert [c.id for c in calls.calls_of_day(session, today())] == [call.id]
    with db.write() as session, pytest.raises(calls.CallError):
        calls.end_call(session, call.id, path=[], outcome="x", by=by)


def test_abandon_logs_even_an_unlogged_call(db, team):
    with db.write() as session:
        call = calls.abandon_call(session, None, path=["greeting"], by=team.receptionist.id)
    with db.read() as session:
        stored = session.get(Call, call.id)
        assert stored.outcome == calls.ABANDONED and stored.ended_at is not None


def test_ended_call_can_be_reopened_by_a_step_back_but_not_an_abandoned_one(db, team):
    by = team.receptionist.id
    with db.write() as session:
        call = calls.start_call(session, by=by, path=["greeting", "other_note"])
        calls.end_call(session, call.id, path=["greeting", "other_note", "goodbye_note"],
                       outcome="note", by=by)
        calls.record_step(session, call.id, path=["greeting", "other_note"], reopen=True, by=by)
        assert call.ended_at is None and call.outcome == ""
        calls.end_call(session, call.id, path=["greeting"], outcome="abandoned", by=by)
        with pytest.raises(calls.CallError):
            calls.record_step(session, call.id, path=["greeting"], reopen=True, by=by)


def test_message_stays_listed_until_relayed(db, team):
    boss = team.manager
    with db.write() as session:
        message = calls.take_message(session, recipient_id=boss.id,
                                     caller_name="[red]王[/red]", phone="138 0000 1111",
                                     matter="合作 🤝", by=team.receptionist.id)
    with db.read() as session:
        pending = calls.unrelayed(session)
        assert [row.message_id for row in pending] == [message.id]
        assert pending[0].phone == "13800001111" and pending[0].recipient == boss.name
        mine = calls.unrelayed(session, recipient_id=boss.id)
        assert [m.message_id for m in mine] == [message.id]
        assert calls.unrelayed(session, recipient_id=team.consultants[0].id) == []
        glance = dashboard.today_at_a_glance(session)
        assert [m.message_id for m in glance.messages] == [message.id]
    clock.advance(minutes=30)
    with db.write() as session:
        calls.mark_relayed(session, message.id, by=team.cashier.id)
    with db.read() as session:
        stored = session.get(Message, message.id)
        assert stored.relayed_by_id == team.cashier.id
        assert stored.relayed_at == clock.now_utc()
        assert calls.unrelayed(session) == []
        assert dashboard.today_at_a_glance(session).messages == []
        assert calls.message_row(session, message.id).relayed_by == team.cashier.name
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "message_relayed")
                            ).first().record_id == message.id
    with db.write() as session, pytest.raises(calls.CallError):
        calls.mark_relayed(session, message.id, by=team.cashier.id)


@pytest.mark.parametrize(("fields", "field"), [
    ({"recipient_id": None}, "recipient"),
    ({"matter": " "}, "matter"),
    ({"caller_name": "", "phone": ""}, "caller_name"),
    ({"phone": "12345"}, "phone"),
])
def test_message_rules(db, team, fields, field):
    values = {"recipient_id": team.manager.id, "caller_name": "王", "phone": "13800001111",
              "matter": "合作", **fields}
    with db.write() as session, pytest.raises(ValidationError) as caught:
        calls.take_message(session, by=team.receptionist.id, **values)
    assert caught.value.field == field


def test_writes_refused_on_a_signed_off_day(db, team):
    with db.write() as session:
        session.add(DayEvent(day=today(), kind="signoff", created_at=clock.now_utc(),
                             created_by_id=team.manager.id))
    with db.write() as session, pytest.raises(DayClosedError):
        calls.start_call(session, by=team.receptionist.id, path=["greeting", "other_note"])
    with db.write() as session, pytest.raises(DayClosedError):
        calls.take_message(session, recipient_id=team.manager.id, caller_name="王", phone="",
                           matter="x", by=team.receptionist.id)


def test_consultants_today_follow_the_rota(db, team):
    off = team.consultants[2]
    with db.write() as session:
        staff.set_rota(session, today(), [c.id for c in team.consultants[:2]],
                       by=team.manager.id)
    with db.read() as session:
        listed = calls.consultants_today(session)
        assert [(c.staff_id, c.on_duty) for c in listed] == [
            (team.consultants[0].id, True), (team.consultants[1].id, True), (off.id, False)]
        assert calls.boss(session).id == team.manager.id


def test_booking_from_a_call_is_found_by_triage(db, team):
    with db.write() as session:
        customer, _ = customers.register(session, name="张小明", phone="13900002222",
                                         by=team.receptionist.id)
        call = calls.start_call(session, by=team.receptionist.id, path=["greeting", "book"])
        appointment = calls.book_from_call(
            session, call_id=call.id, name="张小明", phone="139-0000-2222", day_text="11-23",
            time_text="1430", consultant_id=team.consultants[1].id, purpose="祛斑",
            by=team.receptionist.id)
    tomorrow = today() + timedelta(days=1)
    assert appointment.number == f"{tomorrow:%y%m%d}-01"
    assert appointment.scheduled_at == at("2026-11-23T14:30").datetime
    with db.read() as session:
        found = appointments.find_for_day(session, tomorrow, "01")
        assert [a.id for a in found] == [appointment.id]
        assert found[0].customer_id == customer.id and found[0].call_id == call.id
        assert appointments.find_for_day(session, tomorrow, "张小明")[0].purpose == "祛斑"


@pytest.mark.parametrize(("day_text", "time_text", "key"), [
    ("2026-11-22", "09:30", "calls.book.in_past"),
    ("2026-11-22", "22:00", "calls.book.closed"),
    ("tomorrow", "10:00", "calls.book.bad_day"),
    ("2026-11-23", "25:00", "calls.book.bad_time"),
    ("2026-02-30", "10:00", "calls.book.bad_day"),
])
def test_booking_time_rules(db, team, day_text, time_text, key):
    with db.write() as session, pytest.raises(ValidationError) as caught:
        calls.book_from_call(session, call_id=None, name="新客", phone="13900003333",
                             day_text=day_text, time_text=time_text, consultant_id=None,
                             purpose="", by=team.receptionist.id)
    assert caught.value.message_key == key


def test_parse_when_short_forms():
    assert calls.parse_when("", "15:00") == at("2026-11-22T15:00").datetime
    assert calls.parse_when("25", "9") == at("2026-11-25T09:00").datetime
    assert calls.parse_when("3", "9:05") == at("2026-12-03T09:05").datetime
    assert calls.parse_when("1-5", "10:00") == at("2027-01-05T10:00").datetime


def test_withdraw_a_call_taken_back_to_the_start(db, team):
    by = team.receptionist.id
    with db.write() as session:
        wrong_key = calls.start_call(session, by=by, path=["greeting", "enquiry"]).id
        with_message = calls.start_call(session, by=by, path=["greeting", "boss_message"]).id
        calls.take_message(session, recipient_id=team.manager.id, caller_name="王", phone="",
                           matter="回电", by=by, call_id=with_message)
        ended = calls.start_call(session, by=by, path=["greeting", "other_note"]).id
        calls.end_call(session, ended, path=["greeting", "goodbye"], outcome="note", by=by)
    with db.write() as session:
        calls.withdraw_call(session, wrong_key, by=by)
    for call_id, key in ((with_message, "calls.cannot_withdraw"),
                         (ended, "calls.already_ended")):
        with db.write() as session, pytest.raises(calls.CallError) as raised:
            calls.withdraw_call(session, call_id, by=by)
        assert raised.value.message_key == key
    with db.read() as session:
        assert [c.id for c in calls.calls_of_day(session, today())] == [with_message, ended]
        withdrawn = session.exec(select(AuditEntry).where(
            AuditEntry.action == "call_withdrawn")).one()
        assert withdrawn.record_id == wrong_key and "enquiry" in withdrawn.detail
