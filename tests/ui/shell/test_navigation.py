"""Escape goes back one level; Ctrl+O goes home to the dashboard from anywhere."""

from screens.app import HOME_KEY
from screens.dashboard import DashboardScreen
from tests.helpers.pilot import screen_lines


async def test_escape_goes_back_one_level_not_through_every_area_visited(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("f2", "f3", "f4", "f5"):
            await pilot.press(key)
            await pilot.pause()
        assert type(app.screen).__name__ == "CallbacksScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert len(app.screen_stack) == 2


async def test_escape_from_a_sub_screen_goes_to_its_area(make_app, team):
    from screens.triage.register import RegisterScreen

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "TriageScreen"


async def test_one_key_goes_home_from_anywhere_and_the_footer_says_so(make_app, team):
    from screens.triage.register import RegisterScreen

    assert HOME_KEY == "ctrl+o"
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "^o Home" not in screen_lines(app)[-1]  # already home
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RegisterScreen)
        assert "^o Home" in screen_lines(app)[-1]
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        # From F1 (a modal over an area) too.
        await pilot.press("f4", "f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert len(app.screen_stack) == 2


async def test_f1_lists_the_home_key_among_the_global_keys(make_app, team):
    from textual.widgets import Static

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3", "f1")
        await pilot.pause()
        shown = str(app.screen.query_one(Static).render())
        assert "Ctrl+O  Home" in shown and "F2  Walk-in triage" in shown


async def test_the_home_key_is_not_offered_before_sign_in(db, team):
    from screens.app import ReceptionApp

    app = ReceptionApp(db, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert type(app.screen).__name__ == "SignInScreen"
        assert "Home" not in screen_lines(app)[-1]
