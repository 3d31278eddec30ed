"""The manager's key setup (dashboard `k`) and the lend form's draft."""

from sqlmodel import select
from textual.widgets import Checkbox, DataTable, Input, SelectionList, Static

from models import RoomKey
from reception import keys, settings
from screens.keys import KeySetupScreen, KeysScreen
from tests.helpers.pilot import rows


async def test_manager_adds_a_key_and_sets_the_closing_time(make_app, team, db):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KeySetupScreen)
        table = screen.query_one("#setup-table", DataTable)
        assert [row[0] for row in rows(table)] == [keys.ARCHIVE_NAME, keys.VIP_NAME]
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"药房")
        roles = screen.query_one("#setup-roles", SelectionList)
        roles.focus()
        await pilot.press("down", "down", "space")  # doctor
        screen.query_one("#setup-limit", Input).value = "15"
        screen.query_one("#setup-approval", Checkbox).value = True
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [row[0] for row in rows(table)][-1] == "药房"
        with db.read() as session:
            added = session.exec(select(RoomKey).where(RoomKey.name == "药房")).one()
        assert (added.roles_allowed, added.limit_minutes, added.needs_manager_approval) == (
            "doctor", 15, True)
        assert added.created_by_id == team.manager.id

        # Editing shows the key's roles ticked; an empty role list is refused.
        table.move_cursor(row=0)
        await pilot.press("e")
        await pilot.pause()
        assert sorted(roles.selected) == ["cashier", "consultant"]
        roles.deselect_all()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "at least one role" in str(screen.query_one("#setup-error", Static).render())
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("o")
        closing = screen.query_one("#setup-closing", Input)
        assert closing.has_focus
        closing.value = "20:30"
        await pilot.press("enter")
        await pilot.pause()
        with db.read() as session:
            assert settings.get(session, "closing_time") == "20:30"
            archive = session.get(RoomKey, keys.archive_key(session).id)
        assert archive.roles_allowed == "consultant,cashier"


async def test_receptionist_cannot_open_key_setup(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert not isinstance(app.screen, KeySetupScreen)


async def test_half_typed_lend_is_offered_back_after_a_quit(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4", "down", "l")
        await pilot.press(*"张咨", "enter", *"[b]王小红[/b] 的病例")
        await pilot.pause()
        await app.action_quit()
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KeysScreen) and screen.view == "overview"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.view == "lend"
        assert screen.query_one("#lend-purpose", Input).value == "[b]王小红[/b] 的病例"
        assert keys.VIP_NAME in str(screen.query_one("#lend-heading", Static).render())
