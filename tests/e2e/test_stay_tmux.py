"""A whole stay in a real terminal (tmux, 80×24), over four mornings: the contract handed
over, the archive saying she arrives, check-in with the balance by WeChat and the deposit
in cash, the day-2 visit, a complaint answered, check-out with the deposit refunded less a
lost card, and the night check of that day clean."""

import pytest
from sqlmodel import select

from models import Contract, Payment
from reception import auth, stay_schedule, stays
from reception.db import open_database
from tests.helpers.tmux import Terminal, needs_tmux

pytestmark = needs_tmux
PIN = "246810"
#: The mornings of the stay: signing and arrival, the second day, the day she leaves.
DAY_1, DAY_2, DAY_29 = "2026-11-22", "2026-11-23", "2026-12-20"


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "reception.db"
    database = open_database(path)
    with database.write() as session:
        manager = auth.first_run_setup(session, clinic_name="Sunny Centre",
                                       manager_name="Wang", pin=PIN)
        stays.ensure_rooms(session, by=manager.id)
        # This centre phones its mothers by hand: the schedule's calls are switched off in
        # F5 (they are tested in tests/unit/stays), so the day's night check is the stay's.
        for rule in stay_schedule.ensure_rules(session, by=manager.id).values():
            rule.active = False
            session.add(rule)
    database.close()
    return path


def morning(store, tmp_path, day: str) -> Terminal:
    terminal = Terminal(["--lang", "en"], {
        "RECEPTION_NOW": f"{day}T10:00:00+08:00", "RECEPTION_TZ": "Asia/Shanghai",
        "RECEPTION_DB": str(store), "XDG_DATA_HOME": str(tmp_path / "home")})
    terminal.wait_for("Staff sign-in")
    terminal.type("Wang")
    terminal.keys("Enter")
    terminal.type(PIN)
    terminal.keys("Enter")
    terminal.wait_for("Wang (Manager)")
    terminal.keys("F7")
    terminal.wait_for("Open requests")
    return terminal


def fill(terminal: Terminal, *values: str) -> None:
    """Type each value and Enter to the next field ("" leaves a field as it is)."""
    for value in values:
        if value:
            terminal.type(value)
        terminal.keys("Enter")


def choose(terminal: Terminal, option: str) -> None:
    """Open the list with Space, type the option's first letters (the list jumps to it),
    Enter takes it and goes on to the next field."""
    closed = terminal.screen()
    terminal.keys("Space")
    opened = terminal.wait_until(lambda shown: shown != closed, "the list open over the form")
    terminal.type(option)
    terminal.keys("Enter")
    terminal.wait_until(lambda shown: shown != opened and option in shown, f"{option} taken")


def leave(terminal: Terminal) -> None:
    terminal.keys("C-q")
    terminal.wait_for("EXITED=0")
    terminal.close()


def fits(screen: str) -> None:
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)


def test_a_whole_stay(store, tmp_path):
    terminal = morning(store, tmp_path, DAY_1)
    try:
        terminal.keys("n")
        terminal.wait_for("Contract handover")
        fill(terminal, "YZ-7", "Wang Xiaohong", "13800001111", "11010519491231002X",
             "Li Ming", "husband", "13900002222", "Shanghai", "Deluxe", "", "98000",
             "88000", "20000", "", "", "", "Red House")
        fill(terminal, "", "2026-11-25", "601")  # escort (a list), due date, room
        terminal.keys("C-s")
        screen = terminal.wait_for("Contract YZ-7 handed over")
        fits(screen)
        assert "138****1111" in screen and "13800001111" not in screen
        terminal.keys("a")  # the archive: born two days early, arriving today
        terminal.wait_for("Customer archive")
        # The cursor is on the first empty field, the delivery date; Enter goes on, past
        # the lists too, to the arrival date.
        fill(terminal, "2026-11-20", *[""] * 9)
        terminal.type("2026-11-22")
        terminal.keys("C-s")
        screen = terminal.wait_for("Expected today: 1")
        assert "Arriving" in screen
        terminal.keys("i")  # check-in: balance by WeChat, the deposit in cash
        terminal.wait_for("Check-in: balance and deposit")
        choose(terminal, "WeChat")
        terminal.keys("C-s")
        screen = terminal.wait_for("occupied")
        fits(screen)
        assert "In stay" in screen
    finally:
        leave(terminal)

    terminal = morning(store, tmp_path, DAY_2)
    try:
        terminal.keys("v")
        screen = terminal.wait_for("First week's daily visit")
        assert "Day 2 morning: did she sleep well" in screen
        fill(terminal, "slept well")
        terminal.wait_for("Visit recorded")
        terminal.keys("r")  # a complaint: the kind, the department, what
        terminal.wait_for("Request or complaint")
        choose(terminal, "Complaint")
        choose(terminal, "Housekeeping")
        fill(terminal, "air conditioner noisy")
        terminal.wait_for("Complaint noted")
        terminal.keys("w")
        terminal.wait_for("Answer which request?")
        terminal.keys("Enter")
        terminal.wait_for("Answer the customer")
        fill(terminal, "fixed by housekeeping")
        choose(terminal, "Yes")  # done
        terminal.keys("C-s")
        terminal.wait_for("Open requests: 0")
    finally:
        leave(terminal)

    terminal = morning(store, tmp_path, DAY_29)
    try:
        terminal.keys("o")
        terminal.wait_for("Check-out: deposit and items")
        # Other departments' items: yes; room items: yes; one lost card; score 5.
        choose(terminal, "Yes")
        choose(terminal, "Yes")
        terminal.keys("BSpace")
        fill(terminal, "1", "", "", "", "", "5")
        terminal.keys("C-s")
        terminal.wait_for("601  cleaning")  # the refund's amounts: checked below
        terminal.keys("Escape")
        terminal.wait_for("Customers in the building")
        terminal.keys("F6")
        screen = terminal.wait_for("No findings · press s to sign off")
        fits(screen)
    finally:
        leave(terminal)

    database = open_database(store)
    try:
        with database.read() as session:
            contract = session.exec(select(Contract)).one()
            assert contract.status == "checked_out" and contract.survey_score == 5
            assert [(p.kind, p.method, p.amount) for p in session.exec(
                select(Payment).order_by(Payment.id))] == [
                ("balance", "wechat", 6_800_000), ("deposit", "cash", 200_000),
                ("refund", "cash", -180_000)]
            assert stays.visits(session, contract.id)[1].note == "slept well"
            [request] = stays.requests_of(session, contract.id)
            assert request.kind == "complaint" and request.done_at is not None
    finally:
        database.close()
