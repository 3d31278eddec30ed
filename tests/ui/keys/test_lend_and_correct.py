"""F4 keys at 80×24: a typed customer kept, the correction label whole, names shown literally."""

import pytest
from textual.widgets import DataTable

from reception import i18n
from reception.clock import clock
from tests.helpers.pilot import open_area, toasts

# --- F4 keys -----------------------------------------------------------------------------


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
