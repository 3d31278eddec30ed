"""The app shell: setup, sign-in, the dashboard and every F-key screen and back, at 80×24."""

import pytest
from textual.widgets import Input

from reception.app import AREAS
from screens.dashboard import DashboardScreen
from tests.conftest import PIN


async def test_first_run_setup_then_dashboard(db):
    from reception.app import ReceptionApp

    app = ReceptionApp(db, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for text in ["科医美", "王经理", PIN, PIN]:
            app.focused.value = text
            await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.staff.name == "王经理"


async def test_sign_in_with_wrong_then_right_pin(db, team):
    from reception.app import ReceptionApp

    app = ReceptionApp(db, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"李前台")
        await pilot.press("enter")
        await pilot.press(*"9999", "enter")
        await pilot.pause()
        assert app.staff is None
        assert app.screen.query_one("#pin", Input).value == ""
        await pilot.press(*PIN, "enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.staff.name == "李前台"


@pytest.mark.parametrize("area", [name for name, spec in AREAS.items() if spec[0]])
async def test_each_f_key_opens_its_screen_and_escape_comes_back(make_app, team, area):
    fkey, digit, target, _title, _m = AREAS[area]
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(fkey)
        await pilot.pause()
        assert type(app.screen).__name__ == target.split(":")[1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press(digit)
        await pilot.pause()
        assert type(app.screen).__name__ == target.split(":")[1]


async def test_sign_in_list_filters_by_role_too(db, team):
    from textual.widgets import OptionList

    from reception.app import ReceptionApp

    app = ReceptionApp(db, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"receptionist")
        await pilot.pause()
        options = app.screen.query_one("#staff-list", OptionList)
        assert options.option_count == 1
        assert "李前台" in str(options.get_option_at_index(0).prompt)
