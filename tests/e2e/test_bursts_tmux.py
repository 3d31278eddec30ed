"""Keys arriving in one write (a paste, an SSH link with latency, a fast typist), in a real
terminal: each lands in the field that has focus when it is handled, in order, and a PIN
is never drawn. Each burst is one `send-keys`, repeated."""

import sqlite3
import time

import pytest

from reception import auth
from reception.db import open_database
from tests.helpers.tmux import PACE_SECONDS, Terminal, needs_tmux

pytestmark = needs_tmux
ENV = {"RECEPTION_NOW": "2026-11-22T10:00:00+08:00", "RECEPTION_TZ": "Asia/Shanghai"}
PIN = "246810"
ROUNDS = 3


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "reception.db"
    with open_database(path).write() as session:
        auth.first_run_setup(session, clinic_name="科医美", manager_name="王经理", pin=PIN)
    return path


def start(store, tmp_path) -> Terminal:
    return Terminal(["--lang", "en"], {**ENV, "RECEPTION_DB": str(store),
                                       "XDG_DATA_HOME": str(tmp_path / "home")})


def burst(terminal: Terminal, *keys: str) -> None:
    """One send-keys: tmux writes them all at once."""
    terminal.keys(*keys)


def dashboard_of(terminal: Terminal, who: str) -> str:
    """The dashboard once it names who signed in: its lines come up over a few frames."""
    return terminal.wait_until(
        lambda shown: "Customers in the building" in shown and who in shown,
        f"the dashboard, signed in as {who}")


def line_with(screen: str, label: str) -> str:
    return next(line for line in screen.splitlines() if label in line)


def test_sign_in_burst_signs_in_and_never_shows_the_pin(store, tmp_path):
    for _round in range(ROUNDS):
        terminal = start(store, tmp_path)
        try:
            terminal.wait_for("Staff sign-in")
            burst(terminal, "王经理", "Enter", PIN, "Enter")
            time.sleep(PACE_SECONDS)  # the app has begun to draw what it read
            seen = terminal.screen()
            assert PIN not in seen, seen
            shown = dashboard_of(terminal, "王经理 (Manager)")
            assert PIN not in shown, shown  # the whole screen, should it ever show
            terminal.keys("C-q")
            terminal.wait_for("EXITED=0")
        finally:
            terminal.close()


def test_first_run_setup_burst(tmp_path):
    path = tmp_path / "new.db"
    terminal = Terminal(["--lang", "en"], {**ENV, "RECEPTION_DB": str(path),
                                           "XDG_DATA_HOME": str(tmp_path / "home")})
    try:
        terminal.wait_for("First-run setup")
        burst(terminal, "Clinic One", "Enter", "Wang", "Enter", PIN, "Enter", PIN, "Enter")
        shown = dashboard_of(terminal, "Wang (Manager)")
        assert PIN not in shown
    finally:
        terminal.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT name FROM staff").fetchall() == [("Wang",)]


def test_walk_in_form_burst_fills_each_field(store, tmp_path):
    terminal = start(store, tmp_path)
    try:
        terminal.wait_for("Staff sign-in")
        burst(terminal, "Enter", PIN, "Enter")
        terminal.wait_for("Customers in the building")
        for round_number in range(ROUNDS):
            name, phone = f"Burst {round_number}", f"1381234560{round_number}"
            terminal.keys("F2")
            terminal.wait_for("Walk-in triage")
            burst(terminal, "a", name, "Tab", phone, "Tab")
            shown = terminal.wait_for(phone)
            assert phone in line_with(shown, "Phone")
            assert name in line_with(shown, "Name") and phone not in line_with(shown, "Name")
            terminal.keys("C-s")  # on to the consultant step: Enter there triages
            terminal.wait_for("consultant")
            terminal.keys("Enter")
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                with sqlite3.connect(store) as connection:
                    saved = connection.execute(
                        "SELECT phone FROM customer WHERE name = ?", (name,)).fetchall()
                if saved:
                    break
                time.sleep(0.2)
            assert saved == [(phone,)]
            terminal.keys("Escape")
            terminal.keys("C-o")  # home
            terminal.wait_for("Customers in the building")
    finally:
        terminal.close()


def test_phone_call_bursts_walk_the_script_and_fill_each_form(store, tmp_path):
    """F3: digits, a form's fields and its save in one write each: the script steps on
    while each step is being written, and every field gets its own text."""
    terminal = start(store, tmp_path)
    try:
        terminal.wait_for("Staff sign-in")
        terminal.keys("Enter")  # signing in is not what this test sends in bursts
        time.sleep(1)
        terminal.keys(PIN, "Enter")
        terminal.wait_for("Customers in the building")
        terminal.keys("F3")
        terminal.wait_for("How can I help you?")
        for round_number in range(ROUNDS):
            caller, phone = f"Caller {round_number}", f"1381234561{round_number}"
            # Boss, no surname, no appointment, no matter, a message: name, phone, matter.
            burst(terminal, "1", "Enter", "1", "Enter", "1", caller, "Tab", phone, "Tab",
                  f"matter {round_number}", "Enter")
            terminal.wait_for("Call ended")
            booked_phone = f"1371234561{round_number}"
            burst(terminal, "Enter", "3", "2", booked_phone, "Tab", f"Guest {round_number}",
                  "Tab", "2026-11-23", "Tab", f"1{round_number}:30", "Tab", "Tab", "laser",
                  "Enter")
            terminal.wait_for(f"261123-0{round_number + 1}")
            terminal.keys("Enter")
            terminal.wait_for("How can I help you?")
        with sqlite3.connect(store) as connection:
            messages = connection.execute(
                "SELECT caller_name, phone, matter FROM message ORDER BY id").fetchall()
            booked = connection.execute(
                "SELECT name, phone, purpose FROM appointment ORDER BY id").fetchall()
        assert messages == [(f"Caller {n}", f"1381234561{n}", f"matter {n}")
                            for n in range(ROUNDS)]
        assert booked == [(f"Guest {n}", f"1371234561{n}", "laser") for n in range(ROUNDS)]
    finally:
        terminal.close()
