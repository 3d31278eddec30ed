"""The night check over "SSH": the real `reception` in tmux at 80×24, 16 colours."""

import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reception import auth
from reception import staff as staff_service
from reception.db import open_database
from tests.conftest import MANAGER_PIN, PIN, TEST_TZ, today
from tests.helpers.records import add_customer, add_visit

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _reception() -> list[str]:
    script = ROOT / ".venv" / "bin" / "reception"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reception.cli"]


class Tmux:
    def __init__(self, socket: Path, session: str) -> None:
        self.base = ["tmux", "-S", str(socket)]
        self.session = session

    def run(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, text=True,
                              check=True, timeout=20).stdout

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.session, "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def wait_until(self, shows, what: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if shows(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{what} never happened; the screen was:\n{shown}")

    def wait_for(self, text: str, timeout: float = 20) -> str:
        return self.wait_until(lambda shown: text in shown, repr(text), timeout)


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


def test_night_check_in_tmux_at_80x24(night_db, tmp_path):
    # A private tmux server (its socket in tmp_path), so other tmux users are untouched.
    tmux = Tmux(tmp_path / "tmux.sock", "night")
    env = {"RECEPTION_NOW": f"{today().isoformat()}T21:30:00+08:00", "RECEPTION_TZ": TEST_TZ,
           "TEXTUAL_COLOR_SYSTEM": "standard", "TERM": "screen", "LANG": "C.UTF-8",
           "PYTHONPATH": str(ROOT)}
    command = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + \
        shlex.join([*_reception(), "--db", str(night_db), "--lang", "en"])
    subprocess.run([*tmux.base, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24",
                    "-s", "night", command], check=True, timeout=20)
    try:
        tmux.wait_for("Cai Consultant")
        tmux.type("Nora")
        tmux.wait_until(lambda shown: "Cai Consultant" not in shown, "filtering by name")
        tmux.send("Enter")
        time.sleep(0.3)  # focus moves to the PIN field
        tmux.type(MANAGER_PIN)
        tmux.wait_for("••••••")
        tmux.send("Enter")
        tmux.wait_for("Night Nora (Manager)")  # the dashboard's status line
        tmux.wait_for("Today")
        tmux.send("F6")
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
        tmux.send("Escape")
        tmux.wait_for("Today")
    finally:
        subprocess.run([*tmux.base, "kill-server"], capture_output=True, timeout=20)
    check = open_database(night_db)
    try:
        from reception import days

        with check.read() as session:
            assert days.is_signed_off(session, today())
    finally:
        check.close()
