"""QA of F4 keys and F5 callbacks at 80×24 (the F6 night check's and the manager screens'
are in tests/ui/reconcile and tests/ui/staff).

Each test here proves one fix (or guards one path no other test went down): every
finding kind rendered through the screen in both languages and jumped to, hostile text,
empty and invalid input in every prompt.
"""

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input, Static

from reception import i18n
from reception.clock import clock
from tests.conftest import today
from tests.helpers.pilot import notifications

HOSTILE = "[red]x[/red] 🙂 {key} {0} \x1b[2J"
LONG = "长" * 300


def visible(text: str) -> str:
    """Control characters are shown as their symbols (ESC as ␛), never sent raw."""
    return text.replace("\x1b", "\u241b")

def cells(table: DataTable) -> list[str]:
    return [" | ".join(str(cell) for cell in table.get_row_at(index))
            for index in range(table.row_count)]


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


# --- F4 keys -----------------------------------------------------------------------------


async def open_area(app, pilot, key: str, screen_class):
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, screen_class)
    return app.screen


async def test_lend_keeps_a_typed_customer_that_matches_nobody(make_app, team, db):
    """With a purpose given, a customer typed but not in the list was silently dropped."""
    from reception import keys
    from screens.keys import KeysScreen

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"陈咨", "enter", *"取病历", "enter")
        await pilot.press(*"[red]x[/red]王", "enter")
        await pilot.pause()
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.loan.purpose == "取病历 · [red]x[/red]王"
        assert out.loan.customer_id is None
        table = app.screen.query_one("#keys-table", DataTable)
        assert "取病历 · [red]x[/red]王" in " ".join(str(c) for c in table.get_row_at(0))


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_correction_prompt_label_is_shown_whole(make_app, team, db, language):
    """The label 'Correct #1, reason:' was cut to 14 columns ('更正第 1')."""
    from rich.cells import cell_len
    from textual.widgets import Label

    from screens.keys import KeysScreen

    i18n.set_language(language)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"刘咨", "enter", *"wrong person", "ctrl+s")
        await pilot.pause()
        await pilot.press("h", "c")
        await pilot.pause()
        label = screen.query_one("#correction-row Label", Label)
        text = str(label.render())
        assert text == i18n.t("keys.field.correction_of", entry=1)
        assert label.size.width >= cell_len(text)
        assert screen.focused.id == "correction-note"


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


def toasts(app) -> list[str]:
    """The notices as notified (the app never reads them as markup)."""
    return notifications(app)


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


async def test_key_notices_show_names_literally(db, team, make_app):
    """Lend and return notices carried the staff and key names as markup ('[/]' crashed)."""
    from models import Role
    from reception import staff as staff_service
    from screens.keys import KeysScreen

    with db.write() as session:
        staff_service.add_staff(session, name="[/]咨询", role=Role.CONSULTANT, pin="1234",
                                by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"[/]咨", "enter", *"取病历", "ctrl+s")
        await pilot.pause()
        clock.advance(minutes=5)
        screen.query_one("#keys-table", DataTable).move_cursor(row=0)
        await pilot.press("r")
        await pilot.pause()
        notices = toasts(app)
        assert any("[/]咨询" in notice for notice in notices), notices
        assert len(notices) == 2
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
