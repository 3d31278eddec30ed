"""Key labels are catalogue keys, translated where they are shown: the footer, F1, Ctrl+P."""

from textual.command import CommandList
from textual.widgets import Static

from reception import i18n
from screens.widgets.footer import KeyBar
from tests.helpers.pilot import screen_lines


def footer(app) -> str:
    return screen_lines(app)[-1]


def help_text(app) -> str:
    return str(app.screen.query_one(Static).render())


async def palette_text(pilot) -> str:
    await pilot.press("ctrl+p")
    options = pilot.app.screen.query_one(CommandList)
    for _ in range(20):
        await pilot.pause(0.1)
        if options.option_count:
            break
    shown = "\n".join(str(options.get_option_at_index(index).prompt)
                      for index in range(options.option_count))
    await pilot.press("escape")
    await pilot.pause()
    return shown


async def test_switching_language_in_a_running_app_changes_every_label(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "F1 Help" in footer(app) and "F2 Triage" in footer(app)
        for language, words in (("zh", ("帮助", "返回", "首次无预约", "来客分诊", "退出")),
                                ("en", ("Help", "Back", "First visit", "Walk-in triage",
                                        "Quit"))):
            i18n.set_language(language)
            await pilot.press("f2")
            await pilot.pause()
            shown = footer(app)
            assert words[0] in shown and words[1] in shown and words[2] in shown, shown
            await pilot.press("f1")
            await pilot.pause()
            assert words[2] in help_text(app) and words[4] in help_text(app)
            await pilot.press("escape")
            await pilot.pause()
            listed = await palette_text(pilot)
            assert words[3] in listed and words[4] in listed, listed
            await pilot.press("escape")
            await pilot.pause()
            assert type(app.screen).__name__ == "DashboardScreen"
            assert words[0] in footer(app)


async def test_the_app_redraws_the_footer_when_told_the_language_changed(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        i18n.set_language("zh")
        app.refresh_labels()
        await pilot.pause()
        assert "F1 帮助" in footer(app)


async def test_the_zh_footer_keeps_every_label_whole_at_80_columns(make_app, team):
    """Labels that do not fit are left out whole: none is cut inside a character."""
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ("f2", "f3", "f4", "f5", "f6", "escape"):
            await pilot.press(key)
            await pilot.pause()
            bar = app.screen.query_one(KeyBar)
            shown = footer(app)
            assert shown.rstrip().endswith("^p 命令面板"), shown
            drawn = [item for item in bar.items if f"{item.display} {item.description}" in shown]
            assert drawn, shown
            # What is drawn is exactly the whole labels, one after the other.
            words = shown.split()
            assert len(words) == 2 * (len(drawn) + 1), shown
