"""Two counters at once on one store — a SQLite file, or a PostgreSQL server — each in its own
terminal at 80×24: a walk-in registered at one shows on the other's dashboard at once, and a
server's password is never drawn."""

import time

from tests.conftest import MANAGER_PIN, PIN
from tests.helpers.tmux import Terminal, needs_tmux

pytestmark = needs_tmux
ENV = {"RECEPTION_NOW": "2026-11-22T10:00:00+08:00", "RECEPTION_TZ": "Asia/Shanghai"}


def counter(db_address: str, tmp_path, name: str) -> Terminal:
    terminal = Terminal(["--lang", "en"], {**ENV, "RECEPTION_DB": db_address,
                                           "XDG_DATA_HOME": str(tmp_path / name)})
    terminal.wait_for("Staff sign-in", timeout=30)
    return terminal


def sign_in(terminal: Terminal, name: str, pin: str) -> str:
    terminal.type(name)
    terminal.keys("Enter")
    terminal.type(pin)
    terminal.keys("Enter")
    return terminal.wait_for("Customers in the building")


def test_a_walk_in_at_one_counter_shows_at_the_other(db_address, team, tmp_path):
    front = counter(db_address, tmp_path, "front")
    back = counter(db_address, tmp_path, "back")
    try:
        sign_in(front, team.receptionist.name, PIN)
        shown = sign_in(back, team.manager.name, MANAGER_PIN)
        assert "Customers in the building (0)" in shown
        front.keys("F2")
        front.wait_for("Walk-in triage")
        front.keys("a")
        front.type("两台测试")
        front.keys("Tab")
        front.type("13812345678")
        front.keys("C-s")
        front.wait_for("consultant")
        front.keys("Enter")
        saved = time.monotonic()
        shown = back.wait_for("两台测试", timeout=10)
        assert time.monotonic() - saved < 2.0  # polled every ½ s, drawn, captured
        assert "Customers in the building (1)" in shown
        for terminal in (front, back):
            screen = terminal.screen()
            assert "owner-secret" not in screen  # a server's password is never drawn
            terminal.keys("C-q")
            terminal.wait_for("EXITED=0")
    finally:
        front.close()
        back.close()
