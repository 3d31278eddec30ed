"""F2 walk-ins through the keyboard at 80×24: paths A, B and C, the consultant step, the
keystroke budgets from the dashboard, bursts of keys, the search as you type."""

from rich.cells import cell_len
from sqlmodel import select
from textual.widgets import DataTable, OptionList

from models import Appointment, CaseFileRequest, Customer, Draft
from reception import appointments, i18n, staff, triage
from reception.clock import clock
from screens.triage import TriageScreen
from screens.triage.consultant import ConsultantScreen
from screens.triage.search import SearchScreen
from screens.triage.walkin import CustomerForm
from screens.widgets.results import ResultList
from tests.conftest import at, today
from tests.helpers.pilot import burst, notifications, settle
from tests.ui.triage.helpers import (
    MARKUP_NAME,
    board_key,
    board_rows,
    customer_named,
    fill,
    open_triage,
    plain,
    press,
    returning_customer,
    static_text,
    value,
    visits,
    walk_in,
)


def first_option(app) -> str:
    return plain(app.screen.query_one("#consultants", OptionList).get_option_at_index(0).prompt)


# --- path A ------------------------------------------------------------------------------


async def test_path_a_first_visit_registers_and_goes_to_next_consultant(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        assert "appointment" in static_text(screen, "#questions")
        await press(pilot, None, "a")
        assert isinstance(app.screen, CustomerForm)
        await pilot.press(*"林小红", "tab", *"13800001111")
        await fill(pilot, "interest", "祛斑")
        await fill(pilot, "source", "朋友介绍")
        await press(pilot, None, "enter")
        assert isinstance(app.screen, ConsultantScreen)
        first = first_option(app)
        assert team.consultants[0].name in first and "suggested" in first
        await press(pilot, None, "enter")
        assert app.screen is screen
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


async def test_a_burst_fills_each_field_of_the_register_form_and_triages(make_app, db, team):
    """Name, phone, gender (Enter goes past it), interest, source, Enter: one write."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await burst(app, "a", "赵一", "tab", "13800003333", "enter", "enter", "水光针",
                    "tab", "路过", "enter", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert board_rows(screen)[0][0] == "赵一"
    customer = customer_named(db, "赵一")
    assert (customer.phone, customer.gender, customer.interest, customer.source) == (
        "13800003333", "", "水光针", "路过")


async def test_receptionist_overrides_the_rotation(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "a", *"王芳", "tab", *"13800002222", "ctrl+s")
        assert isinstance(app.screen, ConsultantScreen)
        await press(pilot, None, "down", "down", "enter")
        assert app.screen is screen
        assert board_rows(screen)[0][4] == team.consultants[2].name
    [visit] = visits(db)
    assert visit.consultant_id == team.consultants[2].id


async def test_invalid_phone_and_missing_name_are_shown_inline_and_nothing_saved(
        make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "a", "tab", *"12345", "ctrl+s")
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert static_text(form, "#name-error") == "Required"
        assert "Invalid phone" in static_text(form, "#phone-error")
        assert app.focused.id == "name"
        await press(pilot, None, *"王芳")
        assert static_text(form, "#name-error") == ""
        await press(pilot, None, "ctrl+s")
        assert app.screen is form
        assert app.focused.id == "phone"
    assert visits(db) == []
    with db.read() as session:
        assert session.exec(select(Customer)).first() is None


async def test_whose_phone_is_said_for_the_phone_in_the_field_only(make_app, db, team):
    """The check reads off the UI thread, at each key: after a burst that typed a customer's
    phone and took a digit back, nobody's name is under the field; typed again, hers is."""
    returning_customer(db, team, name="陈美丽", phone="13912345678")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "a", *"陈小姐", "tab")
        await burst(app, "13912345678", "backspace")
        await settle(pilot)
        assert value(app, "phone") == "1391234567"
        assert static_text(app.screen, "#phone-note") == ""
        await press(pilot, None, "8")
        assert "陈美丽" in static_text(app.screen, "#phone-note")


async def test_duplicate_phone_finds_the_existing_customer(make_app, db, team):
    existing = returning_customer(db, team, name="陈美丽", phone="13912345678")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "a", *"陈小姐", "tab", *"139 1234 5678")
        assert "陈美丽" in static_text(app.screen, "#phone-note")
        await press(pilot, None, "ctrl+s")
        # Their own consultant is proposed, not the rotation's next.
        assert team.consultants[1].name in first_option(app)
        await press(pilot, None, "enter")
        assert board_rows(screen)[0][0] == "陈美丽"
    with db.read() as session:
        assert len(session.exec(select(Customer)).all()) == 1
    today_visit = visits(db)[-1]
    assert today_visit.customer_id == existing.id
    assert (today_visit.path, today_visit.is_new) == ("C1", False)


async def test_full_width_digits_from_a_chinese_input_method_are_a_phone(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await walk_in(pilot, "全角", "１３８１２３４５６７８")
    assert customer_named(db, "全角").phone == "13812345678"


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
        await pilot.pause()
        await press(pilot, keys, "2")
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        await press(pilot, keys, "b", "1")
        await pilot.pause(0.3)
        assert "赵雪" in plain(app.screen.query_one("#results", ResultList).row(0))
        await press(pilot, keys, "enter")
        assert isinstance(app.screen, CustomerForm)
        assert value(app, "name") == "赵雪"
        assert "水光针" in static_text(app.screen, "#appointment-line")
        await press(pilot, keys, "enter")
        assert isinstance(app.screen, ConsultantScreen)
        await press(pilot, keys, "enter")
        assert app.screen is screen
        assert board_rows(screen)[0][4] == team.consultants[2].name
    # 2 b 1 Enter Enter Enter from the dashboard: 6 keys (the budget is 7).
    assert keys == ["2", "b", "1", "enter", "enter", "enter"]
    assert len(keys) <= 7
    with db.read() as session:
        stored = session.get(Appointment, appointment.id)
        assert stored.status == "arrived" and stored.customer_id is not None
    [visit] = visits(db)
    assert (visit.path, visit.appointment_id) == ("B", appointment.id)
    assert visit.consultant_id == team.consultants[2].id


async def test_path_b_in_one_burst(make_app, db, team):
    with db.write() as session:
        appointments.book(session, scheduled_at=at("2026-11-22T10:30").datetime, name="赵雪",
                          phone="13900002222", purpose="水光针", by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await burst(app, "b", "1", "enter", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
        assert board_rows(app.screen)[0][0] == "赵雪"
    [visit] = visits(db)
    assert visit.path == "B"


async def test_path_b_no_match_says_so(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "b", *"99")
        await pilot.pause(0.3)
        results = app.screen.query_one("#results", ResultList)
        assert "No booked appointment" in results.note
        await press(pilot, None, "enter")
        assert isinstance(app.screen, SearchScreen)
        await press(pilot, None, "escape")
        assert app.screen is screen


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
        await pilot.pause()
        await press(pilot, keys, "2")
        screen = app.screen
        await press(pilot, keys, "c", *"5678")
        await pilot.pause(0.3)
        results = app.screen.query_one("#results", ResultList)
        assert results.row_count == 1
        assert "139****5678" in plain(results.row(0))
        await press(pilot, keys, "enter")
        assert isinstance(app.screen, ConsultantScreen)
        assert "陈美丽" in static_text(app.screen, "#confirm-summary")
        await press(pilot, keys, "enter")
        assert app.screen is screen
        assert board_rows(screen)[0][4] == team.consultants[1].name
    # 2 c 5 6 7 8 Enter Enter: 8 keys from the dashboard (the budget).
    assert keys == ["2", "c", "5", "6", "7", "8", "enter", "enter"]
    assert len(keys) <= 8
    today_visit = visits(db)[-1]
    assert today_visit.customer_id == customer.id
    assert (today_visit.path, today_visit.is_new, today_visit.status) == (
        "C1", False, "with_consultant")
    assert today_visit.consultant_id == team.consultants[1].id


async def test_path_c_in_one_burst_picks_what_the_digits_find(make_app, db, team):
    """``5678⏎`` before the search's pause: Enter runs the search first, then picks."""
    customer = returning_customer(db, team, phone="13912345678")
    returning_customer(db, team, name="别人", phone="13800009999")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await burst(app, "c", "5678", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TriageScreen)
    assert visits(db)[-1].customer_id == customer.id


async def test_path_c_says_when_their_consultant_is_not_on_duty(make_app, db, team):
    returning_customer(db, team, phone="13912345678", consultant=team.consultants[1])
    with db.write() as session:
        staff.set_rota(session, today(), [member.id for member in team.all
                                          if member.id != team.consultants[1].id],
                       by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "c", *"5678")
        await pilot.pause(0.3)
        await press(pilot, None, "enter")
        summary = static_text(app.screen, "#confirm-summary")
        assert f"Their consultant {team.consultants[1].name} is not on duty today" in summary
        assert "next in rotation" in first_option(app)


async def test_path_c2_treatment_only_requests_the_case_file(make_app, db, team):
    customer = returning_customer(db, team, consultant=team.consultants[1])
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "c", *customer.case_number)
        await pilot.pause(0.3)
        await press(pilot, None, "enter", "2")
        assert app.screen is screen
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
        await press(pilot, None, "c", *"5555")
        await pilot.pause(0.3)
        await press(pilot, None, "enter", "2")
        assert app.screen is screen
        assert any("no case file to fetch" in note for note in notifications(app))
    with db.read() as session:
        assert session.exec(select(CaseFileRequest)).first() is None


async def test_escape_from_the_consultant_step_goes_back_one_step(make_app, db, team):
    returning_customer(db, team, phone="13912345678")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "c", *"5678")
        await pilot.pause(0.3)
        await press(pilot, None, "enter", "escape")
        assert isinstance(app.screen, SearchScreen)
        assert value(app, "search") == "5678"
        await press(pilot, None, "escape", "a", *"王芳", "tab", *"13800002222", "ctrl+s")
        assert isinstance(app.screen, ConsultantScreen)
        await press(pilot, None, "escape")
        assert isinstance(app.screen, CustomerForm) and value(app, "name") == "王芳"
        await press(pilot, None, "ctrl+s", "enter")
        assert app.screen is screen
    assert len(visits(db)) == 2  # yesterday's and 王芳's


async def test_after_a_departure_the_cursor_stays_where_it_was(make_app, db, team):
    with db.write() as session:
        for name, phone in (("甲", "13700000001"), ("乙", "13700000002"), ("丙", "13700000003")):
            triage.triage_new_customer(session, name=name, phone=phone, by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        assert [row[0] for row in board_rows(screen)] == ["甲", "乙", "丙"]
        await press(pilot, None, "down", "o", "2", "enter")
        assert [row[0] for row in board_rows(screen)] == ["甲", "丙"]
        # The next key acts on the customer below the one who left, not on the first row.
        assert screen.selected_key() == board_key(db, "丙")


async def test_results_line_up_whatever_the_name_widths(make_app, db, team):
    for name, phone in (("王芳", "13700001230"), ("欧阳娜娜", "13700001231"),
                        ("Amy Li", "13700001232")):
        returning_customer(db, team, name=name, phone=phone)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "c", *"0000123")
        await pilot.pause(0.3)
        results = app.screen.query_one("#results", ResultList)
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
        await press(pilot, None, "c", *"[red")
        await pilot.pause(0.3)
        option = plain(app.screen.query_one("#results", ResultList).row(0))
        assert option[2:].startswith(MARKUP_NAME)  # after the here/booked mark
        await press(pilot, None, "enter")
        assert MARKUP_NAME in static_text(app.screen, "#confirm-summary")
        await press(pilot, None, "enter")
        assert board_rows(screen)[0][0] == MARKUP_NAME


async def test_appointment_number_finds_a_returning_customer(make_app, db, team):
    customer = returning_customer(db, team)
    with db.write() as session:
        booked = appointments.book(session, scheduled_at=at("2026-11-22T11:00").datetime,
                                   name=customer.name, phone=customer.phone,
                                   by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "c", *booked.number)
        await pilot.pause(0.3)
        assert app.screen.results[0].id == customer.id


async def test_path_c_in_chinese(make_app, db, team):
    returning_customer(db, team, phone="13912345678")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "c")
        assert "找老顾客" in static_text(app.screen, "#search-title")
        await press(pilot, None, *"5678")
        await pilot.pause(0.3)
        await press(pilot, None, "enter")
        assert "先见医生" in static_text(app.screen, "#confirm-hint")
        assert "原咨询师" in first_option(app)
        await press(pilot, None, "enter")
        assert board_rows(screen)[0][3] == "咨询中"
        assert any(note.startswith("已分诊") for note in notifications(app))


async def test_board_fits_a_long_name(make_app, db, team):
    from tests.ui.triage.helpers import LONG_NAME

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "a")
        app.screen.query_one("#name").value = LONG_NAME
        await press(pilot, None, "tab", *"13800001111", "ctrl+s")
        assert isinstance(app.screen, ConsultantScreen)
        await press(pilot, None, "enter")
        row = board_rows(screen)[0]
        assert row[0].startswith("长长") and row[0].endswith("…")
        assert row[1] == "138****1111"
        table = screen.query_one("#board", DataTable)
        assert table.virtual_size.width <= 80
        assert screen.query_one("#board-keys").region.bottom <= 22
        await settle(pilot)
    assert customer_named(db, LONG_NAME) is not None
