"""F2 walk-in triage through the keyboard, at 80×24: every path, the board, drafts, hostile text."""

from rich.cells import cell_len
from rich.text import Text
from sqlmodel import select
from textual.widgets import DataTable, Input, OptionList, Static

from models import Appointment, CaseFileRequest, Customer, Draft, Visit, Visitor
from reception import appointments, reconcile, triage
from reception.clock import clock
from screens.dashboard import DashboardScreen
from screens.triage import TriageScreen
from screens.widgets.results import ResultList
from tests.conftest import at, today
from tests.helpers.pilot import notifications

MARKUP_NAME = "[red]x[/red]"
LONG_NAME = "长" * 40 + "N" * 60  # 100 characters, 140 cells


def plain(cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def board_key(db, name: str) -> str:
    with db.read() as session:
        customer = session.exec(select(Customer).where(Customer.name == name)).one()
        visit = session.exec(select(Visit).where(Visit.customer_id == customer.id)).one()
    return f"visit:{visit.id}"


def board_rows(screen) -> list[list[str]]:
    table = screen.query_one("#board", DataTable)
    return [[plain(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def static_text(screen, selector) -> str:
    return plain(screen.query_one(selector, Static).render())


def visits(db) -> list[Visit]:
    with db.read() as session:
        return list(session.exec(select(Visit).order_by(Visit.id)).all())


def customer_named(db, name) -> Customer | None:
    with db.read() as session:
        return session.exec(select(Customer).where(Customer.name == name)).first()


def returning_customer(db, team, *, name="陈美丽", phone="13912345678", consultant=None):
    """A customer who came yesterday (with ``consultant``) and closed a deal."""
    consultant = consultant or team.consultants[1]
    clock.set(at("2026-11-21T15:00"))
    with db.write() as session:
        visit, customer, _ = triage.triage_new_customer(
            session, name=name, phone=phone, consultant_id=consultant.id,
            by=team.receptionist.id)
        triage.record_outcome(session, visit.id, outcome="deal", items="光子嫩肤",
                              by=team.receptionist.id)
    clock.set(at("2026-11-22T10:00"))
    return customer


async def open_triage(pilot, keys_log=None):
    await pilot.pause()
    await press(pilot, keys_log, "f2")
    assert isinstance(pilot.app.screen, TriageScreen)
    return pilot.app.screen


async def press(pilot, keys_log, *keys):
    if keys_log is not None:
        keys_log.extend(keys)
    await pilot.press(*keys)
    await pilot.pause()


async def fill(pilot, input_id, text):
    widget = pilot.app.screen.query_one(f"#{input_id}", Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    if text:
        await pilot.press(*text)
    await pilot.pause()


# --- path A ------------------------------------------------------------------------------


async def test_path_a_first_visit_registers_and_goes_to_next_consultant(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        assert "appointment" in static_text(screen, "#questions")
        await pilot.press("a")
        await pilot.pause()
        assert screen.step == "customer"
        await pilot.press(*"林小红", "tab", *"13800001111")
        await fill(pilot, "cust_interest", "祛斑")
        await fill(pilot, "cust_source", "朋友介绍")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "confirm"
        first = plain(screen.query_one("#consultants", OptionList).get_option_at_index(0).prompt)
        assert team.consultants[0].name in first and "suggested" in first
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "board"
        rows = board_rows(screen)
        assert rows[0][0] == "林小红" and rows[0][1] == "138****1111"
        assert rows[0][3] == "With consultant" and rows[0][4] == team.consultants[0].name
    [visit] = visits(db)
    assert (visit.path, visit.is_new, visit.purpose) == ("A", True, "祛斑")
    assert visit.consultant_id == team.consultants[0].id and visit.status == "with_consultant"
    customer = customer_named(db, "林小红")
    assert customer.phone == "13800001111" and customer.source == "朋友介绍"
    with db.read() as session:
        assert session.exec(select(Draft)).first() is None


async def test_receptionist_overrides_the_rotation(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"王芳", "tab", *"13800002222", "enter")
        await pilot.pause()
        assert screen.step == "confirm"
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert screen.step == "board"
        assert board_rows(screen)[0][4] == team.consultants[2].name
    [visit] = visits(db)
    assert visit.consultant_id == team.consultants[2].id


async def test_invalid_phone_and_missing_name_are_shown_inline_and_nothing_saved(
        make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", "tab", *"12345", "enter")
        await pilot.pause()
        assert screen.step == "customer"
        assert screen.query_one("#cust_name-error").display
        assert static_text(screen, "#cust_name-error") == "Required"
        assert "Invalid phone" in static_text(screen, "#cust_phone-error")
        assert app.focused.id == "cust_name"
        await pilot.press(*"王芳")
        await pilot.pause()
        assert not screen.query_one("#cust_name-error").display
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "customer"
        assert app.focused.id == "cust_phone"
    assert visits(db) == []
    with db.read() as session:
        assert session.exec(select(Customer)).first() is None


async def test_duplicate_phone_finds_the_existing_customer(make_app, db, team):
    existing = returning_customer(db, team, name="陈美丽", phone="13912345678")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"陈小姐", "tab", *"139 1234 5678")
        await pilot.pause()
        assert "陈美丽" in static_text(screen, "#cust_phone-note")
        await pilot.press("enter")
        await pilot.pause()
        # Their own consultant is proposed, not the rotation's next.
        first = plain(screen.query_one("#consultants", OptionList).get_option_at_index(0).prompt)
        assert team.consultants[1].name in first
        await pilot.press("enter")
        await pilot.pause()
        assert board_rows(screen)[0][0] == "陈美丽"
    with db.read() as session:
        assert len(session.exec(select(Customer)).all()) == 1
    today_visit = visits(db)[-1]
    assert today_visit.customer_id == existing.id
    assert (today_visit.path, today_visit.is_new) == ("C1", False)


# --- path B ------------------------------------------------------------------------------


async def test_path_b_booked_appointment_arrived_and_triaged_in_six_keys(make_app, db, team):
    with db.write() as session:
        appointment = appointments.book(
            session, scheduled_at=at("2026-11-22T10:30").datetime, name="赵雪",
            phone="13900002222", consultant_id=team.consultants[2].id, purpose="水光针",
            by=team.receptionist.id)
    app = make_app(team.receptionist)
    keys: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot, keys)
        await press(pilot, keys, "b", "1")
        await pilot.pause(0.3)
        assert "赵雪" in plain(screen.query_one("#results", ResultList).row(0))
        await press(pilot, keys, "enter")
        assert screen.step == "customer"
        assert screen.query_one("#cust_name", Input).value == "赵雪"
        assert "水光针" in static_text(screen, "#appointment-line")
        await press(pilot, keys, "enter")
        assert screen.step == "confirm"
        await press(pilot, keys, "enter")
        assert screen.step == "board"
        assert board_rows(screen)[0][4] == team.consultants[2].name
    # F2 b 1 Enter Enter Enter: F2 counted.
    assert keys == ["f2", "b", "1", "enter", "enter", "enter"]
    assert len(keys) <= 8
    with db.read() as session:
        stored = session.get(Appointment, appointment.id)
        assert stored.status == "arrived" and stored.customer_id is not None
    [visit] = visits(db)
    assert (visit.path, visit.appointment_id) == ("B", appointment.id)
    assert visit.consultant_id == team.consultants[2].id


async def test_path_b_no_match_says_so(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("b", *"99")
        await pilot.pause(0.3)
        results = screen.query_one("#results", ResultList)
        assert "No booked appointment" in results.note
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "search"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.step == "board"


# --- path C ------------------------------------------------------------------------------


async def test_path_c1_returning_by_last_four_digits_in_eight_keys(make_app, db, team):
    customer = returning_customer(db, team, phone="13912345678",
                                  consultant=team.consultants[1])
    # Another customer sharing other digits, to show the search is by any part.
    returning_customer(db, team, name="别人", phone="13800009999",
                       consultant=team.consultants[0])
    app = make_app(team.receptionist)
    keys: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot, keys)
        await press(pilot, keys, "c", *"5678")
        await pilot.pause(0.3)
        results = screen.query_one("#results", ResultList)
        assert results.row_count == 1
        assert "139****5678" in plain(results.row(0))
        await press(pilot, keys, "enter")
        assert screen.step == "confirm"
        assert "陈美丽" in static_text(screen, "#confirm-summary")
        await press(pilot, keys, "enter")
        assert screen.step == "board"
        assert board_rows(screen)[0][4] == team.consultants[1].name
    # F2 c 5 6 7 8 Enter Enter: 8 keys with F2 counted (7 without).
    assert keys == ["f2", "c", "5", "6", "7", "8", "enter", "enter"]
    assert len(keys) <= 8
    today_visit = visits(db)[-1]
    assert today_visit.customer_id == customer.id
    assert (today_visit.path, today_visit.is_new, today_visit.status) == (
        "C1", False, "with_consultant")
    assert today_visit.consultant_id == team.consultants[1].id


async def test_path_c2_treatment_only_requests_the_case_file(make_app, db, team):
    customer = returning_customer(db, team, consultant=team.consultants[1])
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("c", *customer.case_number)
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert screen.step == "board"
        assert board_rows(screen)[0][3] == "Treatment"
    today_visit = visits(db)[-1]
    assert (today_visit.path, today_visit.status) == ("C2", "in_treatment")
    with db.read() as session:
        request = session.exec(select(CaseFileRequest)).one()
    assert (request.customer_id, request.consultant_id, request.visit_id) == (
        customer.id, team.consultants[1].id, today_visit.id)


async def test_path_c2_without_a_case_number_asks_for_no_file(make_app, db, team):
    with db.write() as session:
        visit, customer, _ = triage.triage_new_customer(
            session, name="未成交", phone="13700005555", by=team.receptionist.id)
        triage.record_outcome(session, visit.id, outcome="no_deal", by=team.receptionist.id)
    clock.advance(days=1)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("c", *"5555")
        await pilot.pause(0.3)
        await pilot.press("enter", "2")
        await pilot.pause()
        assert screen.step == "board"
        assert any("no case file to fetch" in note for note in notifications(app))
    with db.read() as session:
        assert session.exec(select(CaseFileRequest)).first() is None


async def test_after_a_departure_the_cursor_stays_where_it_was(make_app, db, team):
    with db.write() as session:
        for name, phone in (("甲", "13700000001"), ("乙", "13700000002"), ("丙", "13700000003")):
            triage.triage_new_customer(session, name=name, phone=phone, by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        assert [row[0] for row in board_rows(screen)] == ["甲", "乙", "丙"]
        await pilot.press("down", "o", "2", "enter")
        await pilot.pause()
        assert [row[0] for row in board_rows(screen)] == ["甲", "丙"]
        # The next key acts on the customer below the one who left, not on the first row.
        assert screen.selected_key() == board_key(db, "丙")


async def test_results_line_up_whatever_the_name_widths(make_app, db, team):
    for name, phone in (("王芳", "13700001230"), ("欧阳娜娜", "13700001231"),
                        ("Amy Li", "13700001232")):
        returning_customer(db, team, name=name, phone=phone)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("c", *"0000123")
        await pilot.pause(0.3)
        results = screen.query_one("#results", ResultList)
        assert results.row_count == 3
        # The masked phone starts in the same terminal column on every row.
        columns = {cell_len(results.row(index).plain.split("137****")[0])
                   for index in range(results.row_count)}
        assert len(columns) == 1


async def test_search_by_name_shows_markup_literally(make_app, db, team):
    returning_customer(db, team, name=MARKUP_NAME, phone="13700001234")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("c", *"[red")
        await pilot.pause(0.3)
        option = plain(screen.query_one("#results", ResultList).row(0))
        assert option.startswith(MARKUP_NAME)
        await pilot.press("enter")
        await pilot.pause()
        assert MARKUP_NAME in static_text(screen, "#confirm-summary")
        await pilot.press("enter")
        await pilot.pause()
        assert board_rows(screen)[0][0] == MARKUP_NAME


# --- visitors ----------------------------------------------------------------------------


async def test_visitor_for_the_boss_logged_then_declined(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert screen.step == "visitor-kind"
        await pilot.press("1")
        await pilot.pause()
        assert screen.step == "visitor"
        await pilot.press(*"钱先生")
        await fill(pilot, "vis_reason", "谈合作")
        await pilot.press("enter")
        await pilot.pause()
        # For whom is required for someone who is not a courier.
        assert screen.step == "visitor"
        assert static_text(screen, "#vis_host-error") == "Required"
        await fill(pilot, "vis_host", "王经理")
        await fill(pilot, "vis_appt", "n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.step == "board"
        row = board_rows(screen)[0]
        assert row[0] == "钱先生" and row[3] == "Visitor·asking" and row[4] == "王经理"
        await pilot.press("x")
        await pilot.pause()
        assert board_rows(screen) == []
    with db.read() as session:
        visitor = session.exec(select(Visitor)).one()
    assert (visitor.kind, visitor.host_id, visitor.reason, visitor.decision) == (
        "boss", team.manager.id, "谈合作", "declined")
    assert visitor.has_appointment is False and visitor.left_at is not None


async def test_enter_in_the_visitor_form_goes_to_the_next_field(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("v", "3", *"赵先生", "enter", *"13800001111", "enter", *"王经理")
        await pilot.pause()
        # Nothing saved with the name alone; what followed went into the next fields.
        assert screen.step == "visitor" and screen.focused.id == "vis_host"
        assert screen.query_one("#vis_host", Input).value == "王经理"
        with db.read() as session:
            assert session.exec(select(Visitor)).first() is None


async def test_a_form_left_untouched_keeps_no_draft(make_app, db, team):
    with db.write() as session:
        triage.triage_new_customer(session, name="没改", phone="13700007777",
                                   by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        for key in ("a", "e"):
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert screen.step == "board"
        assert not any("Draft kept" in note for note in notifications(app))
    with db.read() as session:
        assert session.exec(select(Draft)).first() is None


async def test_courier_is_received_and_leaves_with_one_key(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("v", "2", *"顺丰", "ctrl+s")
        await pilot.pause()
        assert board_rows(screen)[0][3] == "Visitor·received"
        # No host to ask: the notice says so plainly, not "ask Courier".
        notes = notifications(app)
        assert "Visitor 顺丰 logged" in notes and not any("ask" in note for note in notes)
        await pilot.press("n")
        await pilot.pause()
        assert board_rows(screen) == []
    with db.read() as session:
        assert session.exec(select(Visitor)).one().left_at is not None


# --- the board, outcome and case numbers --------------------------------------------------


async def test_board_moves_on_highlights_late_and_outcome_gives_case_number(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        for phone in ("13800000001", "13800000002", "13800000003", "13800000004"):
            await pilot.press("a", *f"客{phone[-1]}", "tab", *phone, "enter")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        rows = board_rows(screen)
        assert [row[3] for row in rows] == ["With consultant"] * 3 + ["Waiting"]
        clock.advance(minutes=16)
        screen.refresh_data()
        await pilot.pause()
        rows = board_rows(screen)
        assert "!" in rows[3][5] and "late" in rows[3][5]
        assert "!" not in rows[0][5]
        # Move the first visit on twice: with doctor, in treatment; then n asks the outcome.
        table = screen.query_one("#board", DataTable)
        table.move_cursor(row=0)
        await pilot.press("n")
        await pilot.pause()
        assert board_rows(screen)[0][3] == "With doctor"
        await pilot.press("n")
        await pilot.pause()
        assert board_rows(screen)[0][3] == "Treatment"
        await pilot.press("p", "n")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert screen.step == "outcome"
        # Enter goes on field by field (1 deal → items → amount → departure) and saves.
        await pilot.press("1", "enter", *"光子嫩肤", "enter", *"1280", "enter")
        await pilot.pause()
        assert screen.focused.id == "out_departed"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step == "board"
        assert len(board_rows(screen)) == 3
        # A no deal straight from the board with o.
        table.move_cursor(row=0)
        await pilot.press("o", "2", "enter")
        await pilot.pause()
        assert len(board_rows(screen)) == 2
    stored = visits(db)
    assert (stored[0].outcome, stored[0].items, stored[0].amount_cents) == (
        "deal", "光子嫩肤", 128000)
    assert stored[0].departed_at == clock.now_utc() and stored[0].status == "left"
    assert customer_named(db, "客1").case_number == "2026112201"
    assert stored[1].outcome == "no_deal" and customer_named(db, "客2").case_number is None


async def test_outcome_validation_inline(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"王芳", "tab", *"13800001111", "enter", "enter")
        await pilot.pause()
        await pilot.press("o", "1", "ctrl+s")
        await pilot.pause()
        assert screen.step == "outcome"
        assert static_text(screen, "#out_items-error") == "Required"
        await fill(pilot, "out_amount", "abc")
        await fill(pilot, "out_departed", "23:59")
        await pilot.press("enter")
        await pilot.pause()
        assert static_text(screen, "#out_amount-error") == "Invalid amount"
        assert "future" in static_text(screen, "#out_departed-error")
    assert visits(db)[0].outcome is None


# --- drafts ----------------------------------------------------------------------------


async def test_escape_keeps_a_draft_and_the_next_open_restores_it(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"林黛玉", "tab", *"1380000")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert screen.step == "board"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        with db.read() as session:
            assert session.exec(select(Draft)).one().form == "triage.customer"
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert screen.query_one("#cust_name", Input).value == "林黛玉"
        assert screen.query_one("#cust_phone", Input).value == "1380000"
        await pilot.press("tab", "end", *"1111", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert customer_named(db, "林黛玉").phone == "13800001111"
    with db.read() as session:
        assert session.exec(select(Draft)).first() is None


async def test_draft_survives_a_hang_up_and_is_offered_on_the_next_start(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("v", "3", *"求职者")
        await pilot.pause()
        app.hang_up()  # what SIGHUP does
        await pilot.pause()
    with db.read() as session:
        assert session.exec(select(Draft)).one().form == "triage.visitor"
    again = make_app(team.receptionist)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        assert screen.pending_draft == "triage.visitor"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.step == "visitor" and screen.visitor_kind == "applicant"
        assert screen.query_one("#vis_name", Input).value == "求职者"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.step == "board"
    with db.read() as session:
        assert session.exec(select(Visitor)).one().kind == "applicant"
        assert session.exec(select(Draft)).first() is None


async def test_typing_is_kept_even_without_escape_or_a_clean_exit(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"崩溃前", "tab", *"139")
        await pilot.pause(screen.DRAFT_DELAY + 0.3)
        # As if the process died here: the autosaved draft is already in the store.
        with db.read() as session:
            draft = session.exec(select(Draft)).one()
        assert draft.form == "triage.customer" and "崩溃前" in draft.data


async def test_the_dashboard_says_where_a_form_was_left_half_filled(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("a", *"半截", "escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        line = static_text(app.screen, "#drafts-line")
        assert "Walk-in triage (F2)" in line
        assert app.screen.query_one("#drafts-line").region.bottom <= 22


async def test_a_restored_walk_in_can_be_cleared_for_the_next_customer(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"上一位", "tab", *"13900001111", "escape")
        await pilot.pause()
        # The next walk-in: the unfinished one comes back, and says how to clear it.
        await pilot.press("a")
        await pilot.pause()
        assert screen.query_one("#cust_name", Input).value == "上一位"
        assert any("Ctrl+D" in note for note in notifications(app))
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert screen.step == "customer"
        assert screen.query_one("#cust_name", Input).value == ""
        assert screen.query_one("#cust_phone", Input).value == ""
        with db.read() as session:
            assert session.exec(select(Draft)).first() is None
        # Ctrl+D on the board drops a kept draft even when none was offered on opening.
        await pilot.press(*"又一位", "escape")
        await pilot.pause()
        assert screen.step == "board"
        await pilot.press("ctrl+d")
        await pilot.pause()
        with db.read() as session:
            assert session.exec(select(Draft)).first() is None


async def test_the_fix_form_keeps_its_draft_for_that_visit(make_app, db, team):
    with db.write() as session:
        triage.triage_new_customer(session, name="刘娜", phone="13800002222",
                                   by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert screen.step == "fix"
        screen.query_one("#fix_items", Input).focus()
        await pilot.press(*"ZZZ治疗", "escape")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert screen.query_one("#fix_items", Input).value == "ZZZ治疗"
        assert screen.query_one("#fix_name", Input).value == "刘娜"


async def test_moving_into_a_field_keeps_its_text(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *"王芳", "tab", *"1381234567", "enter")
        await pilot.pause()
        assert screen.focused.id == "cust_phone"  # refused: one digit short
        await pilot.press("8", "shift+tab", "tab")
        await pilot.pause()
        assert screen.query_one("#cust_phone", Input).value == "13812345678"
        await pilot.press("9")
        assert screen.query_one("#cust_phone", Input).value == "138123456789"


async def test_appointment_number_finds_a_returning_customer(make_app, db, team):
    customer = returning_customer(db, team)
    with db.write() as session:
        booked = appointments.book(session, scheduled_at=at("2026-11-22T11:00").datetime,
                                   name=customer.name, phone=customer.phone,
                                   by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("c", *booked.number)
        await pilot.pause(0.3)
        assert screen.results[0].id == customer.id


# --- hostile text and the night check's jump -----------------------------------------------


async def test_hundred_character_name_fits_80x24(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a")
        await pilot.pause()
        screen.query_one("#cust_name", Input).value = LONG_NAME
        await pilot.press("tab", *"13800001111", "enter")
        await pilot.pause()
        assert screen.step == "confirm"
        await pilot.press("enter")
        await pilot.pause()
        row = board_rows(screen)[0]
        assert row[0].startswith("长长") and row[0].endswith("…")
        assert row[1] == "138****1111"
        table = screen.query_one("#board", DataTable)
        assert table.virtual_size.width <= 80
        assert screen.query_one("#board-keys").region.bottom <= 22
        screen.show_record("visit", visits(db)[0].id)
        await pilot.pause()
        assert screen.query_one("#fix_name", Input).value == LONG_NAME
        assert screen.query_one("#fix-pane").region.right <= 80
    assert customer_named(db, LONG_NAME) is not None


async def test_show_record_opens_the_visit_to_fix_it(make_app, db, team):
    clock.set(at("2026-11-22T09:00"))
    with db.write() as session:
        visit, customer, _ = triage.triage_new_customer(
            session, name="错名", phone="13800001111", by=team.receptionist.id)
    clock.set(at("2026-11-22T10:00"))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        screen.show_record("visit", visit.id)
        await pilot.pause()
        assert screen.step == "fix"
        assert screen.query_one("#fix_name", Input).value == "错名"
        with db.read() as session:
            listed = [member.id for member in triage.consultants(session)]
        number = screen.query_one("#fix_consultant", Input).value
        assert listed[int(number) - 1] == team.consultants[0].id
        assert team.consultants[2].name in static_text(screen, "#fix-consultants")
        # Opened at what is missing; Enter goes on to the next field, Ctrl+S saves.
        assert screen.focused.id == "fix_outcome"
        await fill(pilot, "fix_phone", "0755-12")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused.id == "fix_consultant" and screen.step == "fix"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Invalid phone" in static_text(screen, "#fix_phone-error")
        await fill(pilot, "fix_name", "对名")
        await fill(pilot, "fix_phone", "13800002222")
        await fill(pilot, "fix_consultant", str(listed.index(team.consultants[2].id) + 1))
        await fill(pilot, "fix_outcome", "2")
        await fill(pilot, "fix_departed", "09:45")
        await pilot.press("enter")  # on the last field: saves
        await pilot.pause()
        assert screen.step == "board"
    with db.read() as session:
        fixed = triage.visit_detail(session, visit.id)
    assert fixed.customer.name == "对名" and fixed.customer.phone == "13800002222"
    assert fixed.visit.consultant_id == team.consultants[2].id
    assert fixed.visit.outcome == "no_deal"
    assert fixed.visit.departed_at == at("2026-11-22T09:45").datetime


async def test_register_book_lists_and_exports(make_app, db, team, tmp_path):
    returning_customer(db, team, name="老客", phone="13800000001")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("a", *MARKUP_NAME, "tab", *"13800000002", "enter", "enter")
        await pilot.pause()
        await pilot.press("c", *"0001")
        await pilot.pause(0.3)
        await pilot.press("enter", "2")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        book = app.screen
        table = book.query_one("#register-table", DataTable)
        assert [plain(table.get_row_at(0)[1])] == [MARKUP_NAME]
        await pilot.press("2")
        await pilot.pause()
        assert plain(table.get_row_at(0)[1]) == "老客" and table.row_count == 1
        await pilot.press("p", "3")
        await pilot.pause()
        assert table.row_count == 1 and plain(table.get_row_at(0)[4]) == "光子嫩肤"
        await pilot.press("s")
        await pilot.pause()
        exported = book.export_path()
        assert exported.exists()
        assert "光子嫩肤" in exported.read_text(encoding="utf-8-sig")
        # A consultant's month is exported under the consultant's name.
        await pilot.press("5")
        await pilot.pause()
        assert book.export_path().name.startswith(f"register-month-{book.consultant_name}-")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_register_book_keeps_the_day_of_month_when_paging_months(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("r")
        await pilot.pause()
        book = app.screen
        await pilot.press("5", "p")
        await pilot.pause()
        assert "2026-10" in static_text(book, "#register-heading")
        await pilot.press("1")
        await pilot.pause()
        # Back on a day list: the 22nd of the month paged to, not the 1st.
        assert "2026-10-22" in static_text(book, "#register-heading")
        await pilot.press("5", "n", "n")
        await pilot.pause()
        assert "p/n month" in static_text(book, "#register-keys")
        await pilot.press("1")
        await pilot.pause()
        assert "p/n day" in static_text(book, "#register-keys")
        assert "2026-12-22" in static_text(book, "#register-heading")


async def test_fixing_a_visit_of_a_signed_off_day_is_refused_before_the_form(make_app, db, team):
    with db.write() as session:
        triage.triage_new_customer(session, name="签后", phone="13700006666",
                                   by=team.receptionist.id)
        reconcile.sign_off(session, today(), by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert screen.step == "board"
        assert any("signed off" in note for note in notifications(app))
        await pilot.press("o")
        await pilot.pause()
        assert screen.step == "board"
        # No walk-in form either: refused before anything is typed.
        await pilot.press("a")
        await pilot.pause()
        assert screen.step == "board"
