"""The user's keymap: applied at start with Textual's set_keymap; mistakes said in one line
and ignored; ``reception keymap`` prints the keys in force, screen by screen."""

from textual.widgets import Static

from reception import cli, i18n
from screens.app import ReceptionApp
from screens.dashboard import DashboardScreen
from screens.keymap import keymap_path
from tests.helpers.pilot import notifications


def app_with_keymap(db, staff, tmp_path, text: str) -> ReceptionApp:
    path = tmp_path / "keymap.toml"
    path.write_text(text, encoding="utf-8")
    return ReceptionApp(db, watch=False, sign_in_as=staff, keymap_path=path)


async def test_the_keymap_moves_a_binding_to_other_keys(db, team, tmp_path):
    app = app_with_keymap(db, team.receptionist, tmp_path,
                          'triage = "f9"\nhome = "ctrl+o,f12"\n"triage.first" = "z"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        shown = str(app.screen.query_one(Static).render())
        assert "F9  Walk-in triage" in shown and "F2  " not in shown
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("f9")
        await pilot.pause()
        assert type(app.screen).__name__ == "TriageScreen"
        await pilot.press("f1")
        await pilot.pause()
        assert "z  First visit" in str(app.screen.query_one(Static).render())
        await pilot.press("escape")
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert notifications(app) == []


async def test_a_broken_keymap_file_is_said_in_one_line_and_ignored(db, team, tmp_path):
    app = app_with_keymap(db, team.receptionist, tmp_path, 'triage = "f9\nhelp = [\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.is_running
        (notice,) = notifications(app)
        assert "keymap.toml is not valid TOML" in notice and "ignored" in notice
        assert "\n" not in notice and "Traceback" not in notice
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "TriageScreen"


async def test_bad_entries_are_ignored_and_the_good_ones_kept(db, team, tmp_path):
    app = app_with_keymap(db, team.receptionist, tmp_path,
                          'no_such_binding = "x"\ncalls = 3\nkeys = "f9"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (notice,) = notifications(app)
        assert "no binding called no_such_binding" in notice and "(and 1 more)" in notice
        await pilot.press("f9")
        await pilot.pause()
        assert type(app.screen).__name__ == "KeysScreen"
        await pilot.press("escape", "f3")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallScreen"


async def test_a_key_that_another_binding_keeps_is_said_and_ignored(db, team, tmp_path):
    """Textual would give F3 to triage and silently take it from the phone screen."""
    app = app_with_keymap(db, team.receptionist, tmp_path, 'triage = "f3"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (notice,) = notifications(app)
        assert "key f3 would serve both calls, triage" in notice
        await pilot.press("f3")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallScreen"
        await pilot.press("escape", "f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "TriageScreen"


def run_keymap_command(monkeypatch, tmp_path, capsys, text: str | None, *args: str):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    if text is not None:
        keymap_path().parent.mkdir(parents=True)
        keymap_path().write_text(text, encoding="utf-8")
    code = cli.main(["keymap", *args])
    return code, capsys.readouterr()


def test_reception_keymap_prints_the_keys_in_force_per_screen(monkeypatch, tmp_path, capsys):
    code, out = run_keymap_command(monkeypatch, tmp_path, capsys, 'triage = "f9"\n')
    assert code == 0 and out.err == ""
    lines = out.out.splitlines()
    assert str(tmp_path / "config" / "reception" / "keymap.toml") in lines[0]
    assert "(in use)" in lines[0]
    assert lines[2] == "Everywhere"
    triage = next(line for line in lines if line.split()[:1] == ["triage"])
    assert triage.split() == ["triage", "F9", "Triage"]
    assert any(line.split() == ["home", "Ctrl+O", "Home"] for line in lines)
    # Per screen, each with its title; a screen's own keys under it.
    walk_in = lines.index("Walk-in triage (TriageScreen)")
    assert lines[walk_in + 1].split() == ["back", "Esc", "Back"]
    assert any(line.split()[:2] == ["triage.first", "a"] for line in lines[walk_in:])
    assert "Today (DashboardScreen)" in lines


def test_reception_keymap_speaks_the_ui_language_and_names_a_mistake(monkeypatch, tmp_path,
                                                                     capsys):
    code, out = run_keymap_command(monkeypatch, tmp_path, capsys, 'nope = "x"\n', "--lang",
                                   "zh")
    assert code == 0
    lines = out.out.splitlines()
    assert "没有名为 nope 的按键" in lines[1]
    assert lines[3] == "所有画面"
    assert any(line.split() == ["help", "F1", "帮助"] for line in lines)
    i18n.set_language("en")


def test_reception_keymap_without_a_file_lists_the_default_keys(monkeypatch, tmp_path,
                                                                capsys):
    code, out = run_keymap_command(monkeypatch, tmp_path, capsys, None)
    assert code == 0
    assert "not there: the default keys" in out.out.splitlines()[0]
    assert any(line.split() == ["triage", "F2", "Triage"] for line in out.out.splitlines())
