"""F3 booking: the day typed, the phone checked first, empty and long input at 80×24."""

from datetime import date

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, OptionList

from reception import calls
from reception.clock import clock
from reception.errors import ValidationError
from screens.calls import SAY_VALUE_CELLS
from tests.conftest import at
from tests.helpers.pilot import shown, type_into
from tests.ui.calls.test_calls import open_calls
from tests.ui.triage.helpers import plain

# --- F3: the booking form ----------------------------------------------------------------


@pytest.mark.parametrize(("today", "typed", "expected"), [
    ("2026-11-22", "31", date(2026, 12, 31)),   # November has no 31st
    ("2027-01-31", "30", date(2027, 3, 30)),    # not 28 February
    ("2026-11-22", "22", date(2026, 11, 22)),
    ("2026-11-22", "5", date(2026, 12, 5)),
    ("2026-12-31", "1", date(2027, 1, 1)),
])
def test_a_day_of_the_month_is_the_next_one_that_exists(today, typed, expected):
    clock.set(at(f"{today}T08:00"))
    when = calls.parse_when(typed, "10:00")
    assert clock.local(when).date() == expected


@pytest.mark.parametrize("typed", ["0", "32", "99"])
def test_a_day_of_the_month_out_of_range_is_refused(typed):
    with pytest.raises(ValidationError) as raised:
        calls.parse_when(typed, "10:00")
    assert raised.value.field == "day"


def test_booking_checks_the_phone_first_like_the_form(db, team):
    with db.write() as session, pytest.raises(ValidationError) as raised:
        calls.book_from_call(session, call_id=None, name="", phone="", day_text="",
                             time_text="15:00", consultant_id=None, purpose="",
                             by=team.receptionist.id)
    assert raised.value.field == "phone"


async def test_empty_booking_names_the_field_and_keeps_the_focus_on_it(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        await pilot.press("3", "2")
        await pilot.pause()
        assert app.focused.id == "book-phone"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shown(app, "#form-error").startswith("Mobile")
        # The phone prompt asked for first: typing goes where the receptionist expects.
        assert app.focused.id == "book-phone"
        await pilot.press(*"13800001111", "ctrl+s")
        await pilot.pause()
        assert shown(app, "#form-error").startswith("Name")
        assert app.focused.id == "book-name"
        assert app.screen.query_one("#book-phone", Input).value == "13800001111"


async def test_a_very_long_surname_leaves_the_words_to_say_readable(make_app, db, team):
    app = make_app(team.receptionist)
    long_name = "[red]x[/red]" + "A" * 300 + "😀"
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("1")
        await pilot.pause()
        await type_into(pilot, long_name)
        await pilot.press("enter")
        await pilot.pause()
        say = shown(app, "#say")
        # The question after the name is still there; the name is cut short, literally.
        assert say.endswith("appointment with our director, [red]x[/red]"
                            + "A" * (SAY_VALUE_CELLS - 13) + "…?")
        assert screen.query_one("#choices", OptionList).region.bottom <= 21
        assert screen.walk.values["surname"] == long_name
    with db.read() as session:
        from models import Call

        call = session.exec(select(Call)).first()
    assert call is not None


async def test_no_consultant_on_file_says_so_instead_of_a_blank_list(
        make_app, db, team, monkeypatch):
    monkeypatch.setattr(calls, "consultants_today", lambda session, day=None: [])
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("2")
        await pilot.pause()
        choices = screen.query_one("#choices", OptionList)
        assert choices.option_count == 1
        assert "No consultants on file" in plain(choices.get_option_at_index(0).prompt)
        await pilot.press("1", "enter")
        await pilot.pause()
        assert screen.walk.node.kind == "consultant"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.walk.at_start


async def test_a_long_message_is_cut_short_in_the_list_and_whole_below(make_app, db, team):
    matter = "[red]x[/red] " + "谈合作" * 100
    with db.write() as session:
        calls.take_message(session, recipient_id=team.manager.id, caller_name="王" * 50,
                           phone="13800001111", matter=matter, by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("m")
        await pilot.pause()
        table = screen.query_one("#message-list", DataTable)
        cells = [plain(cell) for cell in table.get_row_at(0)]
        assert cells[4].startswith("[red]x[/red] 谈合作") and cells[4].endswith("…")
        assert sum(column.get_render_width(table) for column in table.columns.values()) <= 78
        detail = screen.query_one("#message-detail")
        assert detail.region.height == 2 and detail.region.bottom <= 22
        assert "[red]x[/red]" in shown(app, "#message-detail")
