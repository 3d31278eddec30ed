"""``reception`` as a user starts it, in tmux at 80×24, on a fresh temp database."""

import sqlite3

import pytest

from tests.helpers.tmux import Terminal, needs_tmux

pytestmark = needs_tmux


@pytest.fixture
def terminal_env(tmp_path):
    return {"RECEPTION_NOW": "2026-11-22T10:00:00+08:00", "RECEPTION_TZ": "Asia/Shanghai",
            "RECEPTION_DB": str(tmp_path / "data" / "reception.db")}


def test_first_start_setup_dashboard_f_keys_and_quit(tmp_path, terminal_env):
    terminal = Terminal(["--lang", "en"], terminal_env)
    try:
        terminal.wait_for("First-run setup")
        for value in ["Clinic [red]One[/red]", "Wang"]:
            terminal.type(value)
            terminal.keys("Enter")
        terminal.type("135790")  # a manager's PIN: 6 to 12 digits
        terminal.keys("Enter")
        terminal.type("135790")
        terminal.keys("Enter")
        shown = terminal.wait_for("Customers in the building")
        assert "Wang (Manager)" in shown
        terminal.keys("F2")
        terminal.wait_for("Walk-in triage")
        terminal.keys("Escape")
        terminal.wait_for("Customers in the building")
        terminal.keys("4")
        terminal.wait_for("l lend")  # the board's own line ("Keys" is in every footer)
        terminal.keys("Escape")
        terminal.wait_for("Customers in the building")
        terminal.keys("C-q")
        terminal.wait_for("EXITED=0")
    finally:
        terminal.close()
    with sqlite3.connect(tmp_path / "data" / "reception.db") as connection:
        stored = connection.execute(
            "SELECT value FROM setting WHERE key = 'clinic_name'").fetchone()[0]
    assert stored == '"Clinic [red]One[/red]"'


def test_chinese_ui_in_a_16_colour_terminal(tmp_path, terminal_env):
    terminal = Terminal(["--lang", "zh"], terminal_env, term="screen")
    try:
        terminal.wait_for("首次设置")
        for value in ["科医美", "王经理", "135790", "135790"]:
            terminal.type(value)
            terminal.keys("Enter")
        # The dashboard, and its status line with who signed in (drawn a moment apart).
        terminal.wait_until(lambda shown: "等候中的顾客" in shown and "王经理（经理）" in shown,
                            "the dashboard and the manager signed in")
        terminal.keys("F6")
        terminal.wait_for("晚班核对")
        terminal.keys("C-q")
        terminal.wait_for("EXITED=0")
    finally:
        terminal.close()


def test_the_readme_demo_command_run_twice_opens_the_demo(tmp_path, terminal_env):
    """`reception demo --db demo.db --open` again: the data is there, so it just opens."""
    demo_path = tmp_path / "demo.db"
    for _run in range(2):
        terminal = Terminal(["demo", "--db", str(demo_path), "--open", "--lang", "en"],
                            terminal_env)
        try:
            terminal.wait_for("Staff sign-in", timeout=60)
            terminal.keys("C-q")
            terminal.wait_for("EXITED=0")
        finally:
            terminal.close()
    with sqlite3.connect(demo_path) as connection:
        staff = connection.execute("SELECT count(*) FROM staff").fetchone()[0]
    assert staff == 12  # one demo clinic, not two


def test_sign_in_typed_in_one_burst_never_shows_the_pin(tmp_path, terminal_env):
    """`name⏎PIN⏎` sent in one write (a fast typist, an SSH link with latency), repeated
    after a wrong PIN: signed in, and the PIN is never on screen in clear."""
    from reception import auth
    from reception.db import open_database

    database = open_database(terminal_env["RECEPTION_DB"])
    with database.write() as session:
        auth.first_run_setup(session, clinic_name="Clinic", manager_name="Night Nora",
                             pin="123456")  # a manager's PIN: 6 to 12 digits
    database.close()
    terminal = Terminal(["--lang", "en"], terminal_env)
    try:
        terminal.wait_for("Staff sign-in")
        terminal.keys("Nora", "Enter", "9876", "Enter")
        shown = terminal.wait_for("Wrong PIN")
        assert "9876" not in shown
        terminal.keys(*"123456", "Enter")
        shown = terminal.wait_for("Night Nora (Manager)")
        assert "123456" not in shown
        terminal.keys("C-q")
        terminal.wait_for("EXITED=0")
    finally:
        terminal.close()
