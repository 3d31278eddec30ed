"""The night check over "SSH": the real `reception` in tmux at 80×24, 16 colours."""

import time
from pathlib import Path

import pytest

from reception import auth
from reception import staff as staff_service
from reception.db import open_database
from tests.conftest import MANAGER_PIN, PIN, TEST_TZ, today
from tests.helpers.records import add_customer, add_visit
from tests.helpers.tmux import Terminal, needs_tmux

ROOT = Path(__file__).resolve().parents[2]
pytestmark = needs_tmux


@pytest.fixture
def night_db(db_path):
    database = open_database(db_path)
    with database.write() as session:
        manager = auth.first_run_setup(session, clinic_name="Clinic", manager_name="Night Nora",
                                       pin=MANAGER_PIN)
        consultant = staff_service.add_staff(session, name="Cai Consultant", role="consultant",
                                             pin=PIN, by=manager.id)
        add_visit(session, manager.id, add_customer(session, manager.id, name="[red]x[/red]"),
                  outcome=None, consultant_id=consultant.id)
        add_visit(session, manager.id, add_customer(session, manager.id, name="Done Deng"),
                  consultant_id=consultant.id)
    database.close()
    return db_path


def test_night_check_in_tmux_at_80x24(night_db):
    env = {"RECEPTION_NOW": f"{today().isoformat()}T21:30:00+08:00", "RECEPTION_TZ": TEST_TZ,
           "TEXTUAL_COLOR_SYSTEM": "standard", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    tmux = Terminal(["--db", str(night_db), "--lang", "en"], env, term="screen")
    try:
        tmux.wait_for("Cai Consultant")
        tmux.type("Nora")
        tmux.wait_until(lambda shown: "Cai Consultant" not in shown, "filtering by name")
        tmux.keys("Enter")
        time.sleep(0.3)  # focus moves to the PIN field
        tmux.type(MANAGER_PIN)
        tmux.wait_for("••••••")
        tmux.keys("Enter")
        tmux.wait_for("Night Nora (Manager)")  # the dashboard's status line
        tmux.wait_for("Today")
        tmux.keys("F6")
        # Not "Night check": the dashboard's key line names it too.
        screen = tmux.wait_for(f"{today().isoformat()} Sun · open")
        lines = screen.splitlines()
        assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
        assert f"{today().isoformat()} Sun · open" in screen
        assert "Visits" in screen and "Cai Consultant 2" in screen
        assert "1 findings" in screen
        assert "Visit 09:00 [red]x[/red]: missing outcome" in screen
        # Sign off twice (findings remain), then the day shows read-only.
        tmux.type("s")
        tmux.wait_for("Press s again")
        tmux.type("s")
        screen = tmux.wait_for("read-only")
        assert "signed off by Night Nora" in screen
        tmux.keys("Escape")
        tmux.wait_for("Today")
    finally:
        tmux.close()
    check = open_database(night_db)
    try:
        from reception import days

        with check.read() as session:
            assert days.is_signed_off(session, today())
    finally:
        check.close()
