"""A closed SSH connection (SIGHUP) with a half-filled form keeps a draft; the next start
offers it back."""

import json
import os
import sqlite3
import time
from pathlib import Path

from reception import auth
from reception.db import open_database
from tests.helpers.tmux import Terminal, needs_tmux

pytestmark = needs_tmux
ENV = {"RECEPTION_NOW": "2026-11-22T10:00:00+08:00", "RECEPTION_TZ": "Asia/Shanghai"}


def apps_using(path) -> list[int]:
    """Processes whose environment names this database (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"RECEPTION_DB={path}".encode() in environment and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    return found


def sign_in(terminal: Terminal) -> None:
    terminal.wait_for("Staff sign-in")
    terminal.keys("Enter")
    terminal.type("135790")
    terminal.keys("Enter")
    terminal.wait_for("Customers in the building")


def test_hang_up_keeps_the_half_filled_form(tmp_path):
    path = tmp_path / "reception.db"
    with open_database(path).write() as session:
        auth.first_run_setup(session, clinic_name="科医美", manager_name="王经理",
                              pin="135790")
    env = {**ENV, "RECEPTION_DB": str(path)}

    terminal = Terminal(["--lang", "en"], env)
    try:
        sign_in(terminal)
        terminal.keys("F4")
        terminal.wait_for("l lend")  # the board's own line ("Keys" is in every footer)
        terminal.keys("l")
        terminal.wait_for("Who takes it")
        terminal.keys("Enter")
        terminal.type("[red]张三[/red] 的病历")
        terminal.wait_for("[red]张三[/red] 的病历")  # on screen: now the line drops
    finally:
        terminal.close()  # the terminal goes away: the app gets SIGHUP

    typed = "[red]张三[/red] 的病历"
    stored = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the app is still leaving
        time.sleep(0.1)
        with sqlite3.connect(path) as connection:
            stored = connection.execute(
                "SELECT data FROM draft WHERE form LIKE 'keys.lend.%'").fetchone()
        # A draft kept earlier (on Enter) may be read before the hang-up's own lands.
        if stored is not None and json.loads(stored[0]).get("purpose") == typed:
            break
    assert stored is not None
    assert json.loads(stored[0])["purpose"] == "[red]张三[/red] 的病历"
    # And the app is gone: no orphan left holding the store with no terminal.
    deadline = time.monotonic() + 10
    while apps_using(path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert apps_using(path) == []

    terminal = Terminal(["--lang", "en"], env)
    try:
        sign_in(terminal)
        terminal.keys("F4")
        terminal.wait_for("Lend begun and kept")
        terminal.keys("C-r")
        shown = terminal.wait_for("[red]张三[/red] 的病历")
        assert "Who takes it" in shown
    finally:
        terminal.close()
