"""QA of F2 triage and F3 calls: the ways a receptionist could crash a screen, lose typed
text or be misled, each pinned by a test at 80×24 (or a domain test where the rule lives)."""


import pytest
from textual.widgets import DataTable, Input, OptionList

from models import Visit
from reception import triage
from reception.clock import clock
from reception.errors import ValidationError
from tests.conftest import at
from tests.ui.triage.test_triage import (
    board_rows,
    fill,
    open_triage,
    plain,
    returning_customer,
    static_text,
    visits,
)

# --- F2: a returning customer who is already in the building ------------------------------


def test_open_visit_today_finds_only_a_visit_not_ended(db, team):
    customer = returning_customer(db, team)
    with db.write() as session:
        assert triage.open_visit_today(session, customer.id) is None
        visit = triage.start_visit(session, customer_id=customer.id, path="C1",
                                   by=team.receptionist.id)
        assert triage.open_visit_today(session, customer.id).id == visit.id
        assert triage.open_visit_today(session, None) is None
        with pytest.raises(triage.AlreadyHereError) as raised:
            triage.start_visit(session, customer_id=customer.id, path="C2",
                               by=team.receptionist.id)
        assert raised.value.visit_id == visit.id
        triage.record_outcome(session, visit.id, outcome="no_deal", by=team.receptionist.id)
        assert triage.open_visit_today(session, customer.id) is None
        # Once they have left, a second visit the same day is allowed.
        again = triage.start_visit(session, customer_id=customer.id, path="C1",
                                   by=team.receptionist.id)
        assert triage.open_visit_today(session, customer.id).id == again.id


async def test_path_c_customer_already_here_warns_and_jumps_to_their_visit(make_app, db, team):
    customer = returning_customer(db, team, phone="13912345678")
    # Someone else arrived first, so the customer's row is not the first on the board.
    with db.write() as session:
        triage.triage_new_customer(session, name="别人", phone="13800007777",
                                   by=team.receptionist.id)
        here = triage.start_visit(session, customer_id=customer.id, path="C1",
                                  by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("c", *"5678")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "confirm"
        summary = static_text(screen, "#confirm-summary")
        assert "already here today" in summary and "陈美丽" in summary
        assert "Do not triage them again" in summary
        consultants = screen.query_one("#consultants", OptionList)
        assert consultants.option_count == 1
        assert "Go to this visit" in plain(consultants.get_option_at_index(0).prompt)
        # 2 (treatment only) does not start a second visit either.
        await pilot.press("2")
        await pilot.pause()
        assert screen.step == "board"
        table = screen.query_one("#board", DataTable)
        assert table.cursor_row == 1
        assert board_rows(screen)[1][0] == "陈美丽"
        assert screen.selected() == ("visit", here.id)
    assert [visit.customer_id for visit in visits(db)].count(customer.id) == 2  # yesterday+today


async def test_path_a_phone_of_someone_already_here_warns_instead_of_failing(
        make_app, db, team):
    customer = returning_customer(db, team, phone="13912345678")
    with db.write() as session:
        here = triage.start_visit(session, customer_id=customer.id, path="C1",
                                  by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"陈小姐", "tab", *"13912345678", "enter")
        await pilot.pause()
        assert screen.step == "confirm"
        assert "already here today" in static_text(screen, "#confirm-summary")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "board"
        assert screen.selected() == ("visit", here.id)
    assert len(visits(db)) == 2


async def test_customer_triaged_at_another_counter_meanwhile_jumps_to_that_visit(
        make_app, db, team):
    customer = returning_customer(db, team, phone="13912345678")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("c", *"5678")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "confirm"
        with db.write() as session:  # the other counter
            other = triage.start_visit(session, customer_id=customer.id, path="C1",
                                       by=team.receptionist.id)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "board"
        assert screen.selected() == ("visit", other.id)
    assert len(visits(db)) == 2


# --- F2: the outcome form -----------------------------------------------------------------


@pytest.mark.parametrize("raw", ["inf", "-inf", "1e400", "nan", "Infinity"])
def test_amount_overflowing_or_not_a_number_is_refused_not_a_crash(raw):
    with pytest.raises(ValidationError) as raised:
        triage.parse_amount(raw)
    assert raised.value.field == "amount"


async def test_outcome_with_a_huge_amount_is_shown_inline(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"王芳", "tab", *"13800001111", "enter", "enter")
        await pilot.pause()
        await pilot.press("o", "1", "tab", *"光子嫩肤")
        await fill(pilot, "out_amount", "1e400")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.step == "outcome"
        assert static_text(screen, "#out_amount-error") == "Invalid amount"
        assert screen.query_one("#out_items", Input).value == "光子嫩肤"
    assert visits(db)[0].outcome is None


def test_an_ended_visit_cannot_be_ended_again(db, team):
    with db.write() as session:
        visit, _customer, _ = triage.triage_new_customer(
            session, name="王芳", phone="13800001111", by=team.receptionist.id)
        triage.record_outcome(session, visit.id, outcome="no_deal", by=team.receptionist.id)
    clock.advance(minutes=30)
    with db.write() as session, pytest.raises(triage.TriageError):
        triage.record_outcome(session, visit.id, outcome="deal", items="x",
                              by=team.receptionist.id)
    with db.read() as session:
        stored = session.get(Visit, visit.id)
        assert stored.outcome == "no_deal" and stored.departed_at == at("2026-11-22T10:00")


async def test_outcome_saved_at_another_counter_first_is_not_overwritten(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"王芳", "tab", *"13800001111", "enter", "enter")
        await pilot.pause()
        await pilot.press("o", "1", "tab", *"光子嫩肤")
        await pilot.pause()
        [visit] = visits(db)
        with db.write() as session:  # the other counter ends it first
            triage.record_outcome(session, visit.id, outcome="no_deal",
                                  by=team.receptionist.id)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#out_items", Input).value == "光子嫩肤"
    [stored] = visits(db)
    assert stored.outcome == "no_deal" and stored.items == ""
