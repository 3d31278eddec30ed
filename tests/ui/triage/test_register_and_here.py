"""F2 register book and its exports; a customer already in the building is not triaged
twice (path A or C, or triaged at another counter meanwhile)."""

import pytest
from textual.widgets import DataTable, OptionList

from reception import triage
from screens.triage.consultant import ConsultantScreen
from tests.ui.triage.helpers import (
    MARKUP_NAME,
    board_rows,
    open_triage,
    plain,
    press,
    returning_customer,
    static_text,
    visits,
    walk_in,
)


async def test_register_book_lists_and_exports(make_app, db, team, tmp_path):
    returning_customer(db, team, name="老客", phone="13800000001")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await walk_in(pilot, MARKUP_NAME, "13800000002")
        await press(pilot, None, "c", *"0001")
        await pilot.pause(0.3)
        await press(pilot, None, "enter", "2")
        await press(pilot, None, "r")
        book = app.screen
        table = book.query_one("#register-table", DataTable)
        assert [plain(table.get_row_at(0)[1])] == [MARKUP_NAME]
        await press(pilot, None, "2")
        assert plain(table.get_row_at(0)[1]) == "老客" and table.row_count == 1
        await press(pilot, None, "p", "3")
        assert table.row_count == 1 and plain(table.get_row_at(0)[4]) == "光子嫩肤"
        await press(pilot, None, "s")
        exported = book.export_path()
        assert exported.exists()
        assert "光子嫩肤" in exported.read_text(encoding="utf-8-sig")
        # A consultant's month is exported under the consultant's name.
        await press(pilot, None, "5")
        assert book.export_path().name.startswith(f"register-month-{book.consultant_name}-")
        await press(pilot, None, "escape")
        assert app.screen is screen


async def test_register_book_keeps_the_day_of_month_when_paging_months(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "r")
        book = app.screen
        await press(pilot, None, "5", "p")
        assert "2026-10" in static_text(book, "#register-heading")
        await press(pilot, None, "1")
        # Back on a day list: the 22nd of the month paged to, not the 1st.
        assert "2026-10-22" in static_text(book, "#register-heading")
        await press(pilot, None, "5", "n", "n")
        assert "p/n month" in static_text(book, "#register-keys")
        await press(pilot, None, "1")
        assert "p/n day" in static_text(book, "#register-keys")
        assert "2026-12-22" in static_text(book, "#register-heading")


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
        await press(pilot, None, "c", *"5678")
        await pilot.pause(0.3)
        await press(pilot, None, "enter")
        assert isinstance(app.screen, ConsultantScreen)
        summary = static_text(app.screen, "#confirm-summary")
        assert "already here today" in summary and "陈美丽" in summary
        assert "Do not triage them again" in summary
        consultants = app.screen.query_one("#consultants", OptionList)
        assert consultants.option_count == 1
        assert "Go to this visit" in plain(consultants.get_option_at_index(0).prompt)
        # 2 (treatment only) does not start a second visit either.
        await press(pilot, None, "2")
        assert app.screen is screen
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
        await press(pilot, None, "a", *"陈小姐", "tab", *"13912345678", "ctrl+s")
        assert isinstance(app.screen, ConsultantScreen)
        assert "already here today" in static_text(app.screen, "#confirm-summary")
        await press(pilot, None, "enter")
        assert app.screen is screen
        assert screen.selected() == ("visit", here.id)
    assert len(visits(db)) == 2


async def test_customer_triaged_at_another_counter_meanwhile_jumps_to_that_visit(
        make_app, db, team):
    customer = returning_customer(db, team, phone="13912345678")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "c", *"5678")
        await pilot.pause(0.3)
        await press(pilot, None, "enter")
        assert isinstance(app.screen, ConsultantScreen)
        with db.write() as session:  # the other counter
            other = triage.start_visit(session, customer_id=customer.id, path="C1",
                                       by=team.receptionist.id)
        await press(pilot, None, "enter")
        assert app.screen is screen
        assert screen.selected() == ("visit", other.id)
    assert len(visits(db)) == 2
