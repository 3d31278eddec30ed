"""A shift at the counter in a real terminal (tmux, 80×24): the opening checklist ticked,
a delivery signed for, drinks served, the patrols missed flagged, a handover written, then
acknowledged by the next shift at sign-in, and the night check finding the missed rounds."""

import pytest

from reception import auth, handover, logbook
from reception import staff as staff_service
from reception.db import open_database
from tests.conftest import PIN, TEST_TZ, today
from tests.helpers.records import add_customer, add_visit
from tests.helpers.tmux import Terminal, needs_tmux

pytestmark = needs_tmux
MANAGER_PIN = "246810"
# 10:05: the opening duties and two patrol rounds (09:30, 10:00) are overdue.
ENV = {"RECEPTION_NOW": "2026-11-22T10:05:00+08:00", "RECEPTION_TZ": TEST_TZ}


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "reception.db"
    database = open_database(path)
    with database.write() as session:
        manager = auth.first_run_setup(session, clinic_name="科医美", manager_name="Wang",
                                       pin=MANAGER_PIN)
        for name in ("Li Morning", "Chen Evening"):
            staff_service.add_staff(session, name=name, role="receptionist", pin=PIN,
                                    by=manager.id)
        add_visit(session, manager.id, add_customer(session, manager.id, name="Hong"),
                  departed=False, outcome=None)
    database.close()
    return path


def start(store, tmp_path) -> Terminal:
    return Terminal(["--lang", "en"], {**ENV, "RECEPTION_DB": str(store),
                                       "XDG_DATA_HOME": str(tmp_path / "home")})


def sign_in(terminal: Terminal, name: str) -> None:
    terminal.wait_for("Staff sign-in")
    terminal.type(name)
    terminal.keys("Enter")
    terminal.type(PIN)
    terminal.keys("Enter")


def fits(screen: str) -> None:
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines), screen


def test_a_shift_in_tmux(store, tmp_path):
    terminal = start(store, tmp_path)
    try:
        sign_in(terminal, "Li")
        terminal.wait_for("Li Morning (Receptionist)")
        terminal.keys("F8")
        screen = terminal.wait_for("Today's checklists · 7 overdue")
        fits(screen)
        assert "09:30  Patrol" in screen and "overdue" in screen
        # The opening checklist: five ticks, each on the row under the cursor.
        for _item in range(5):
            terminal.keys("t")
            terminal.wait_for("Ticked:")
            terminal.keys("Down")
        screen = terminal.wait_for("Today's checklists · 2 overdue")
        assert "Li Morning 10:05" in screen
        # The patrols missed are flagged on the status line (once the notices have gone).
        terminal.wait_for("▲ 2 overdue (F8): Patrol 09:30")
        # A delivery signed for.
        terminal.keys("1")
        terminal.wait_for("Deliveries · today 0")
        terminal.keys("a")
        terminal.wait_for("Deliveries · new entry")
        terminal.type("SF Express")
        terminal.keys("Enter")
        terminal.type("Wang")
        terminal.keys("Enter")
        terminal.type("2")
        terminal.keys("C-s")
        screen = terminal.wait_for("Deliveries · today 1")
        assert "SF Express" in screen and "Li Morning" in screen
        # Drinks served to the customer in the building.
        terminal.keys("4")
        terminal.wait_for("Drinks served · today 0")
        terminal.keys("a")
        terminal.wait_for("Drinks served · new entry")
        terminal.type("tea")
        terminal.keys("Enter")
        terminal.type("Hong")
        terminal.keys("Enter")
        terminal.type("2")
        terminal.keys("C-s")
        terminal.wait_for("Drinks served · today 1")
        # The handover: what the app knows, and a note.
        terminal.keys("o")
        terminal.wait_for("Today's handovers")
        terminal.keys("a")
        screen = terminal.wait_for("Hand over")
        fits(screen)
        assert "Drinks served today: 2" in screen and "Customers in (1)" in screen
        assert "Checklist items not done (2)" in screen
        terminal.type("printer needs paper")
        terminal.keys("C-s")
        screen = terminal.wait_for("waiting")
        assert "printer needs paper" in screen
        terminal.keys("C-q")
        terminal.wait_for("EXITED=0")
    finally:
        terminal.close()

    # The next shift signs in: the handover is in front of her; her PIN acknowledges it.
    terminal = start(store, tmp_path)
    try:
        sign_in(terminal, "Chen")
        screen = terminal.wait_for("Handover from Li Morning")
        fits(screen)
        assert "Note: printer needs paper" in screen and "Drinks served today: 2" in screen
        terminal.type("0000")
        terminal.keys("Enter")
        terminal.wait_for("Wrong PIN for Chen Evening")
        terminal.type(PIN)
        terminal.keys("Enter")
        terminal.wait_for("Li Morning's handover acknowledged")
        # The night check lists the patrol rounds missed.
        terminal.keys("F6")
        screen = terminal.wait_for("Checklist not done: Patrol 09:30")
        fits(screen)
        assert "Checklist not done: Patrol 10:00" in screen
        terminal.keys("C-q")
        terminal.wait_for("EXITED=0")
    finally:
        terminal.close()

    database = open_database(store)
    try:
        with database.read() as session:
            (note,) = handover.of_day(session, today())
            assert note.acknowledged_by == "Chen Evening"
            assert logbook.drinks_served(session, today()) == 2
    finally:
        database.close()
