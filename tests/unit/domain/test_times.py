"""One HH:MM parser: every form that takes a time of day reads it the same way."""

import pytest

from reception import callbacks, calls, keys, settings, times, triage
from reception.clock import clock
from reception.errors import ValidationError
from tests.conftest import at


@pytest.mark.parametrize(("typed", "expected"), [
    ("9:00", (9, 0)), ("09:00", (9, 0)), ("20:5", (20, 5)), ("23:59", (23, 59)),
    ("0:00", (0, 0)), (" 14:30 ", (14, 30)),
    # A Chinese input method types full-width digits and colon.
    ("１４：３０", (14, 30)), ("21：30", (21, 30)), ("１４:３０", (14, 30)),
])
def test_times_of_day_as_typed(typed, expected):
    assert times.parse_hhmm(typed, field="f", message="m") == expected


@pytest.mark.parametrize("typed", ["24:00", "21:60", "21", "1430", "14.30", "abc", "", "-1:00",
                                   "21:00:00", "٢١:٠٠", "12:30\x1b[2J"])
def test_not_a_time_is_refused_with_the_callers_field_and_message(typed):
    with pytest.raises(ValidationError) as refused:
        times.parse_hhmm(typed, field="departed", message="triage.time_invalid")
    assert (refused.value.field, refused.value.message_key) == ("departed", "triage.time_invalid")


@pytest.mark.parametrize(("typed", "expected"), [
    ("14:30", (14, 30)), ("14.30", (14, 30)), ("1430", (14, 30)), ("930", (9, 30)),
    ("9", (9, 0)), ("１４３０", (14, 30)), ("１４．３０", (14, 30)),
])
def test_the_phone_booking_also_takes_short_forms(typed, expected):
    assert times.parse_hhmm(typed, field="time", message="m", loose=True) == expected


def test_stored_form_and_time_of():
    assert times.hhmm("９：５", field="f", message="m") == "09:05"
    assert times.time_of("21:00").hour == 21


def test_every_form_uses_the_one_parser(db, team):
    """Full width is taken by each form that takes a time (they once had a parser each)."""
    with db.write() as session:
        assert settings.update(session, "closing_time", "２０：３０",
                               by=team.manager.id) == "20:30"
        assert keys.set_closing_time(session, "２０：４５", by=team.manager.id) == "20:45"
        assert settings.update(session, "opening_hours", "０９：００－２１：００",
                               by=team.manager.id) == ["09:00", "21:00"]
    assert calls.parse_when("", "１５：００") == at("2026-11-22T15:00").datetime
    assert clock.local(callbacks.parse_later("１５：３０")) == at("2026-11-22T15:30:00")
    with db.write() as session:
        visit, _, _ = triage.triage_new_customer(session, name="王芳", phone="13800001111",
                                                 by=team.receptionist.id)
    clock.advance(minutes=30)
    assert triage.parse_departure("１０：２０", visit) == at("2026-11-22T10:20").datetime
