"""F5 callbacks at 80×24: the later time, notices with hostile names, the summary file name."""

from datetime import timedelta

import pytest
from textual.widgets import Input

from reception.clock import clock
from tests.conftest import today
from tests.helpers.pilot import open_area, shown, toasts

# --- F5 callbacks ------------------------------------------------------------------------


def test_later_time_must_be_the_whole_text_and_a_sane_date():
    """'0001-01-01 00:00' crashed (OverflowError); 'abc 10:00' and '99-99 10:00' were read
    as tomorrow 10:00; a mistyped year 9999 hid the callback for ever."""
    from reception import callbacks
    from reception.errors import ValidationError
    from tests.conftest import at

    for bad in ["0001-01-01 00:00", "9999-12-31 10:00", "abc 10:00", "99-99 10:00",
                "02-30 10:00", "10:00 [red]x[/red]", "24:00", "2020-01-01 10:00",
                "12:30\x1b[2J", "🙂"]:
        with pytest.raises(ValidationError):
            callbacks.parse_later(bad)
    assert clock.local(callbacks.parse_later("１５：３０")) == at("2026-11-22T15:30:00")
    assert clock.local(callbacks.parse_later("1-2 9:00")) == at("2027-01-02T09:00:00")


async def test_later_prompt_refuses_a_year_one_time_without_crashing(db, team, make_app):
    from models import CallbackAttempt, Customer
    from screens.callbacks import CallbacksScreen

    with db.write() as session:
        session.add(Customer(name="王小红", phone="13800001111", created_at=clock.now_utc(),
                             first_visit_day=today() - timedelta(days=1)))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f5", CallbacksScreen)
        await pilot.press("5")
        await pilot.pause()
        for typed in ("0001-01-01 10:00", "abc 10:00"):
            screen.query_one("#later-time", Input).value = ""
            await pilot.press(*typed, "enter")
            await pilot.pause()
            assert "HH:MM" in shown(screen, "#later-error") or "passed" in shown(
                screen, "#later-error"), typed
            assert screen.focused.id == "later-time"
        assert app.is_running
    with db.read() as session:
        from sqlmodel import select

        assert session.exec(select(CallbackAttempt)).all() == []


MARKUP_BREAKERS = ["[/]", "[/foo] x", "[@click=app.quit]点我[/]", "[red]x[/red]"]


@pytest.mark.parametrize("name", MARKUP_BREAKERS)
async def test_callback_notice_shows_a_customer_name_literally(db, team, make_app, name):
    """The 'recorded: <name> …' notice was markup: a customer named '[/]' ended the app."""
    from models import Customer
    from screens.callbacks import CallbacksScreen

    with db.write() as session:
        session.add(Customer(name=name, phone="13800001111", created_at=clock.now_utc(),
                             first_visit_day=today() - timedelta(days=1)))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(app, pilot, "f5", CallbacksScreen)
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        assert toasts(app) == [f"Recorded: {name} No answer · Next try 13:00"]
        assert app.is_running


async def test_summary_export_file_name_follows_a_new_range(db, team, make_app):
    """The offered file kept the first range's name (callbacks-20261101-20261122.csv)
    after the dates were changed, so the file's name lied about what it held."""
    from screens.callbacks import CallbacksScreen

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f5", CallbacksScreen)
        await pilot.press("s")
        await pilot.pause()
        path = screen.query_one("#summary-path", Input)
        assert path.value.endswith("callbacks-20261101-20261122.csv")
        screen.query_one("#summary-from", Input).value = ""
        await pilot.press(*"2026-10-01", "enter")
        await pilot.pause()
        assert path.value.endswith("callbacks-20261001-20261122.csv")
        # A path the user typed is kept.
        path.value = "/tmp/mine.csv"
        screen.query_one("#summary-from", Input).focus()
        screen.query_one("#summary-from", Input).value = ""
        await pilot.press(*"2026-09-01", "enter")
        await pilot.pause()
        assert path.value == "/tmp/mine.csv"
        # A bad range says so and keeps the last good name.
        screen.query_one("#summary-from", Input).value = ""
        await pilot.press(*"2026-12-31", "enter")
        await pilot.pause()
        assert shown(screen, "#summary-line") == "The end date is before the start"
        assert path.value == "/tmp/mine.csv"
