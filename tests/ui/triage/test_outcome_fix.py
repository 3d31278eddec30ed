"""F2 moving a visit on, its outcome and its fix, at 80×24 (and the night check's jump)."""

import pytest
from textual.widgets import DataTable

from reception import reconcile, triage
from reception.clock import clock
from reception.errors import ValidationError
from screens.triage import TriageScreen
from screens.triage.visit_forms import FixForm, OutcomeForm
from tests.conftest import at, today
from tests.helpers.pilot import burst, notifications, settle
from tests.ui.triage.helpers import (
    LONG_NAME,
    board_rows,
    customer_named,
    fill,
    open_triage,
    press,
    static_text,
    value,
    visits,
    walk_in,
)


async def test_board_moves_on_highlights_late_and_outcome_gives_case_number(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        for phone in ("13800000001", "13800000002", "13800000003", "13800000004"):
            await walk_in(pilot, f"客{phone[-1]}", phone)
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
        await press(pilot, None, "n")
        assert board_rows(screen)[0][3] == "With doctor"
        await press(pilot, None, "n")
        assert board_rows(screen)[0][3] == "Treatment"
        await press(pilot, None, "p", "n")
        await press(pilot, None, "n")
        assert isinstance(app.screen, OutcomeForm)
        # Enter goes on field by field (1 deal → items → amount → departure) and saves.
        await press(pilot, None, "1", "enter", *"光子嫩肤", "enter", *"1280", "enter")
        assert app.focused.id == "departed"
        await press(pilot, None, "enter")
        assert app.screen is screen
        assert len(board_rows(screen)) == 3
        # A no deal straight from the board with o.
        table.move_cursor(row=0)
        await press(pilot, None, "o", "2", "enter")
        assert len(board_rows(screen)) == 2
    stored = visits(db)
    assert (stored[0].outcome, stored[0].items, stored[0].amount_cents) == (
        "deal", "光子嫩肤", 128000)
    assert stored[0].departed_at == clock.now_utc() and stored[0].status == "left"
    assert customer_named(db, "客1").case_number == "2026112201"
    assert stored[1].outcome == "no_deal" and customer_named(db, "客2").case_number is None
    assert any("first deal: case number 2026112201" in note for note in notifications(app))


async def test_outcome_validation_inline(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await walk_in(pilot, "王芳", "13800001111")
        await press(pilot, None, "o", "1", "ctrl+s")
        form = app.screen
        assert isinstance(form, OutcomeForm)
        assert static_text(form, "#items-error") == "Required"
        await fill(pilot, "amount", "abc")
        await fill(pilot, "departed", "23:59")
        await press(pilot, None, "enter")
        # Every mistake under its field at once.
        assert static_text(form, "#amount-error") == "Invalid amount"
        assert "future" in static_text(form, "#departed-error")
    assert visits(db)[0].outcome is None


async def test_a_burst_fills_each_field_of_the_outcome_form(make_app, db, team):
    clock.set(at("2026-11-22T09:00"))
    with db.write() as session:
        triage.triage_new_customer(session, name="王芳", phone="13800001111",
                                   by=team.receptionist.id)
    clock.set(at("2026-11-22T10:00"))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        # Full-width digits, as a Chinese input method types them.
        await burst(app, "o", "1", "enter", "热玛吉", "tab", "２００", "enter", "０９：４５",
                    "enter")
        await settle(pilot)
        assert app.screen is screen
    [visit] = visits(db)
    assert (visit.outcome, visit.items, visit.amount_cents) == ("deal", "热玛吉", 20000)
    assert visit.departed_at == at("2026-11-22T09:45").datetime


@pytest.mark.parametrize("raw", ["inf", "-inf", "1e400", "nan", "Infinity"])
def test_amount_overflowing_or_not_a_number_is_refused_not_a_crash(raw):
    with pytest.raises(ValidationError) as raised:
        triage.parse_amount(raw)
    assert raised.value.field == "amount"


async def test_outcome_with_a_huge_amount_is_shown_inline(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await walk_in(pilot, "王芳", "13800001111")
        await press(pilot, None, "o", "1", "tab", *"光子嫩肤")
        await fill(pilot, "amount", "1e400")
        await press(pilot, None, "ctrl+s")
        assert isinstance(app.screen, OutcomeForm)
        assert static_text(app.screen, "#amount-error") == "Invalid amount"
        assert value(app, "items") == "光子嫩肤"
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
        stored = triage.visit_detail(session, visit.id).visit
        assert stored.outcome == "no_deal" and stored.departed_at == at("2026-11-22T10:00")


async def test_outcome_saved_at_another_counter_first_is_not_overwritten(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await walk_in(pilot, "王芳", "13800001111")
        await press(pilot, None, "o", "1", "tab", *"光子嫩肤")
        [visit] = visits(db)
        with db.write() as session:  # the other counter ends it first
            triage.record_outcome(session, visit.id, outcome="no_deal",
                                  by=team.receptionist.id)
        await press(pilot, None, "enter", "enter", "enter")
        assert isinstance(app.screen, OutcomeForm)
        assert value(app, "items") == "光子嫩肤"
        assert "has left" in static_text(app.screen, "#form-problem")
    [stored] = visits(db)
    assert stored.outcome == "no_deal" and stored.items == ""


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
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FixForm)
        assert value(app, "name") == "错名"
        with db.read() as session:
            listed = [member.id for member in triage.consultants(session)]
        number = value(app, "consultant")
        assert listed[int(number) - 1] == team.consultants[0].id
        assert team.consultants[2].name in static_text(form, "#fix-consultants")
        # Opened at what is missing; Enter goes on to the next field, Ctrl+S saves.
        assert form.focused.id == "outcome"
        await fill(pilot, "phone", "0755-12")
        await press(pilot, None, "enter")
        assert form.focused.id == "consultant" and app.screen is form
        await press(pilot, None, "ctrl+s")
        assert "Invalid phone" in static_text(form, "#phone-error")
        await fill(pilot, "name", "对名")
        await fill(pilot, "phone", "13800002222")
        await fill(pilot, "consultant", str(listed.index(team.consultants[2].id) + 1))
        await fill(pilot, "outcome", "2")
        await fill(pilot, "departed", "09:45")
        await press(pilot, None, "enter")  # on the last field: saves
        assert app.screen is screen
    with db.read() as session:
        fixed = triage.visit_detail(session, visit.id)
    assert fixed.customer.name == "对名" and fixed.customer.phone == "13800002222"
    assert fixed.visit.consultant_id == team.consultants[2].id
    assert fixed.visit.outcome == "no_deal"
    assert fixed.visit.departed_at == at("2026-11-22T09:45").datetime


async def test_a_burst_fills_each_field_of_the_fix_form(make_app, db, team):
    clock.set(at("2026-11-22T09:00"))
    with db.write() as session:
        visit, _customer, _ = triage.triage_new_customer(
            session, name="错名", phone="13800001111", by=team.receptionist.id)
    clock.set(at("2026-11-22T10:00"))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "e", "up", "up", "up")
        assert app.focused.id == "name"
        await burst(app, "ctrl+d")
        await settle(pilot)
        await burst(app, "ctrl+s")  # nothing changed: saved as it was
        await settle(pilot)
        assert app.screen is screen
        await press(pilot, None, "e")
        app.screen.query_one("#name").value = ""
        app.screen.query_one("#outcome").value = ""
        app.screen.set_focus(app.screen.query_one("#name"))
        await burst(app, "对名", "tab", "tab", "tab", "1", "enter", "热玛吉", "enter", "300",
                    "enter", "09:30", "enter")
        await settle(pilot)
        assert app.screen is screen
    with db.read() as session:
        fixed = triage.visit_detail(session, visit.id)
    assert (fixed.customer.name, fixed.visit.outcome, fixed.visit.items) == ("对名", "deal",
                                                                            "热玛吉")
    assert fixed.visit.amount_cents == 30000
    assert fixed.visit.departed_at == at("2026-11-22T09:30").datetime


async def test_hundred_character_name_fits_the_fix_form(make_app, db, team):
    with db.write() as session:
        visit, _customer, _ = triage.triage_new_customer(
            session, name=LONG_NAME, phone="13800001111", by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        screen.show_record("visit", visit.id)
        await settle(pilot)
        assert value(app, "name") == LONG_NAME
        assert app.screen.query_one("#form-body").region.right <= 80


async def test_fixing_a_visit_of_a_signed_off_day_is_refused_before_the_form(make_app, db, team):
    with db.write() as session:
        triage.triage_new_customer(session, name="签后", phone="13700006666",
                                   by=team.receptionist.id)
        reconcile.sign_off(session, today(), by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "e")
        assert app.screen is screen
        assert any("signed off" in note for note in notifications(app))
        await press(pilot, None, "o")
        assert app.screen is screen
        # No walk-in form either: refused before anything is typed.
        await press(pilot, None, "a")
        assert isinstance(app.screen, TriageScreen)
