"""Meeting-room and VIP-room bookings: overlap refused naming the other, none in the past,
the preparation reminder 15 minutes before."""

import pytest

from reception import rooms
from reception.clock import clock
from reception.errors import ValidationError
from tests.conftest import at, today


def book(db, team, **values):
    values = {"room": "会议室", "host": "王总", **values}
    with db.write() as session:
        rooms.ensure_default_rooms(session)
        return rooms.book(session, by=team.receptionist.id, **values).id


def refused(db, team, **values) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        book(db, team, **values)
    return error.value


def test_a_booking_and_the_overlap_refused_naming_the_other(db, team):
    first = book(db, team, start="14:00", end="15:30", people="6", tea=True,
                 air_conditioning=True)
    error = refused(db, team, start="15:00", end="16:00", host="陈总")
    assert error.field == "start"
    assert str(error) == "会议室 is booked 14:00–15:30 by 王总"
    # The VIP room is another room; the meeting room right after is free.
    book(db, team, room="vip室", start="15:00", host="陈总")
    book(db, team, start="15:30", host="陈总")
    with db.read() as session:
        found = rooms.bookings(session, today())
    assert [(b.room, b.times(), b.booking.host) for b in found] == [
        ("会议室", "14:00–15:30", "王总"), ("VIP室", "15:00–16:00", "陈总"),
        ("会议室", "15:30–16:30", "陈总")]
    assert found[0].needs() == ["tea", "ac"] and found[0].booking.people == 6
    # A booking cancelled frees its time.
    with db.write() as session:
        rooms.cancel(session, first, by=team.receptionist.id)
    book(db, team, start="14:00", end="15:00", host="赵总")


def test_no_booking_in_the_past_or_ending_before_it_starts(db, team):
    error = refused(db, team, start="9:30")
    assert error.field == "start" and str(error) == (
        "2026-11-22 09:30 has passed: no booking in the past")
    assert refused(db, team, start="14:00", end="13:00").field == "end"
    assert refused(db, team, start="25:00").field == "start"
    assert refused(db, team, start="14:00", host=" ").field == "host"
    assert refused(db, team, room="厨房", start="14:00").field == "room"
    assert refused(db, team, start="14:00", people="0").field == "people"
    # Another day, typed as MM-DD.
    book(db, team, day="11-23", start="9:30")
    with db.read() as session:
        assert rooms.bookings(session, today()) == []
        (tomorrow,) = rooms.bookings(session, at("2026-11-23T00:00").date())
    assert tomorrow.times() == "09:30–10:30"


def test_the_room_is_prepared_15_minutes_before(db, team):
    booking = book(db, team, start="11:00", people="4", tea=True)
    clock.set(at("2026-11-22T10:44"))
    with db.read() as session:
        assert rooms.status_alert(session) == ""
    clock.set(at("2026-11-22T10:45"))
    with db.read() as session:
        assert rooms.status_alert(session) == (
            "Prepare 会议室: 11:00–12:00 王总, 4 people, tea")
    with db.write() as session:
        rooms.mark_prepared(session, booking, by=team.receptionist.id)
    with db.read() as session:
        assert rooms.status_alert(session) == ""
