"""F1 lists the keys of the screen it was pressed on, then the global keys."""

from textual.widgets import Static


async def test_f1_on_the_dashboard_lists_its_keys_and_closes(make_app, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        shown = str(app.screen.query_one(Static).render())
        for text in ["Walk-in triage", "Staff", "Rota", "Ctrl+Q", "Quit"]:
            assert text in shown
        assert "Cursor up" not in shown
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"
        await pilot.press("f1", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_f1_names_textuals_own_keys_in_the_ui_language(make_app, team):
    from reception import i18n

    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        shown = str(app.screen.query_one(Static).render())
        for english in ("Focus Next", "Focus Previous", "Copy selected text", "super+c"):
            assert english not in shown
        assert "下一项" in shown and "Shift+Tab" in shown
        # One style of key names, and one line per action.
        assert shown.count("Ctrl+C") == 1 and "Ctrl+R" in shown and "^r" not in shown


async def test_f1_offers_a_receptionist_no_manager_screens(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        shown = str(app.screen.query_one(Static).render())
        assert "Walk-in triage" in shown
        for manager_only in ("Staff", "Rota", "Key setup"):
            assert manager_only not in shown
