"""The time typed for "call back later": the whole text, a sane date, full-width digits."""

import pytest

from reception import callbacks
from reception.clock import clock
from reception.errors import ValidationError
from tests.conftest import at


def test_later_time_must_be_the_whole_text_and_a_sane_date():
    """'0001-01-01 00:00' crashed (OverflowError); 'abc 10:00' and '99-99 10:00' were read
    as tomorrow 10:00; a mistyped year 9999 hid the callback for ever."""
    for bad in ["0001-01-01 00:00", "9999-12-31 10:00", "abc 10:00", "99-99 10:00",
                "02-30 10:00", "10:00 [red]x[/red]", "24:00", "2020-01-01 10:00",
                "12:30\x1b[2J", "🙂"]:
        with pytest.raises(ValidationError):
            callbacks.parse_later(bad)
    assert clock.local(callbacks.parse_later("１５：３０")) == at("2026-11-22T15:30:00")
    assert clock.local(callbacks.parse_later("1-2 9:00")) == at("2027-01-02T09:00:00")


def test_summary_range_accepts_full_width_digits_and_names_the_bad_field():
    first, last = callbacks.parse_range("２０２６-１０-０１", " 2026-10-31 ")
    assert (first.isoformat(), last.isoformat()) == ("2026-10-01", "2026-10-31")
    for typed, field, key in [(("2026-13-01", "2026-10-31"), "first", "callbacks.summary.bad_date"),
                              (("2026-10-01", ""), "last", "callbacks.summary.bad_date"),
                              (("2026-10-02", "2026-10-01"), "last",
                               "callbacks.summary.bad_range")]:
        with pytest.raises(ValidationError) as refused:
            callbacks.parse_range(*typed)
        assert (refused.value.field, refused.value.message_key) == (field, key)
