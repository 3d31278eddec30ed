"""F2 drafts: what was typed is kept (Escape, a hang-up, a crash) and offered back."""

from sqlmodel import select

from models import Draft, Visitor
from reception import triage
from screens.dashboard import DashboardScreen
from screens.form import DRAFT_DELAY
from screens.triage.visit_forms import FixForm
from screens.triage.visitor import VisitorForm
from screens.triage.walkin import CustomerForm
from tests.helpers.pilot import notifications, settle
from tests.ui.triage.helpers import (
    customer_named,
    open_triage,
    press,
    static_text,
    value,
)


async def test_escape_keeps_a_draft_and_the_next_open_restores_it(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "a", *"林黛玉", "tab", *"1380000")
        await press(pilot, None, "escape")
        assert app.screen is screen
        await press(pilot, None, "escape")
        assert isinstance(app.screen, DashboardScreen)
        with db.read() as session:
            assert session.exec(select(Draft)).one().form == "triage.customer"
        await press(pilot, None, "f2", "a")
        assert value(app, "name") == "林黛玉"
        assert value(app, "phone") == "1380000"
        # Put back, the cursor on the first field still empty (gender): back to the phone.
        assert app.focused.id == "gender"
        await press(pilot, None, "shift+tab", "end", *"1111", "ctrl+s")
        await press(pilot, None, "enter")
    assert customer_named(db, "林黛玉").phone == "13800001111"
    with db.read() as session:
        assert session.exec(select(Draft)).first() is None


async def test_draft_survives_a_hang_up_and_is_offered_on_the_next_start(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "v", "3", *"求职者")
        app.hang_up()  # what SIGHUP does
        await settle(pilot)
    with db.read() as session:
        assert session.exec(select(Draft)).one().form == "triage.visitor"
    again = make_app(team.receptionist)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        assert screen.pending_draft == "triage.visitor"
        assert any("unfinished visitor form" in note for note in notifications(again))
        await press(pilot, None, "ctrl+r")
        form = again.screen
        assert isinstance(form, VisitorForm) and form.kind == "applicant"
        assert value(again, "name") == "求职者"
        await press(pilot, None, "ctrl+s")
        assert again.screen is screen
    with db.read() as session:
        assert session.exec(select(Visitor)).one().kind == "applicant"
        assert session.exec(select(Draft)).first() is None


async def test_typing_is_kept_even_without_escape_or_a_clean_exit(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "a", *"崩溃前", "tab", *"139")
        await pilot.pause(DRAFT_DELAY + 0.3)
        await settle(pilot)
        # As if the process died here: the autosaved draft is already in the store.
        with db.read() as session:
            draft = session.exec(select(Draft)).one()
        assert draft.form == "triage.customer" and "崩溃前" in draft.data


async def test_the_dashboard_says_where_a_form_was_left_half_filled(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "a", *"半截", "escape", "escape")
        assert isinstance(app.screen, DashboardScreen)
        line = static_text(app.screen, "#drafts-line")
        assert "Walk-in triage (F2)" in line
        assert app.screen.query_one("#drafts-line").region.bottom <= 22


async def test_a_restored_walk_in_can_be_cleared_for_the_next_customer(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "a", *"上一位", "tab", *"13900001111", "escape")
        # The next walk-in: the unfinished one comes back, and says how to clear it.
        await press(pilot, None, "a")
        assert value(app, "name") == "上一位"
        assert any("Ctrl+D" in note for note in notifications(app))
        await press(pilot, None, "ctrl+d")
        assert isinstance(app.screen, CustomerForm)
        assert value(app, "name") == ""
        assert value(app, "phone") == ""
        with db.read() as session:
            assert session.exec(select(Draft)).first() is None
        # Ctrl+D on the board drops a kept draft even when none was offered on opening.
        await press(pilot, None, *"又一位", "escape")
        assert app.screen is screen
        await press(pilot, None, "ctrl+d")
        with db.read() as session:
            assert session.exec(select(Draft)).first() is None
        assert "Draft discarded" in notifications(app)


async def test_the_fix_form_keeps_its_draft_for_that_visit(make_app, db, team):
    with db.write() as session:
        triage.triage_new_customer(session, name="刘娜", phone="13800002222",
                                   by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "e")
        form = app.screen
        assert isinstance(form, FixForm)
        form.set_focus(form.query_one("#items"))
        await press(pilot, None, *"ZZZ治疗", "escape")
        with db.read() as session:
            assert session.exec(select(Draft)).one().form == f"triage.fix.{form.record_id}"
        await press(pilot, None, "e")
        assert value(app, "items") == "ZZZ治疗"
        assert value(app, "name") == "刘娜"


async def test_moving_into_a_field_keeps_its_text(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "a", *"王芳", "tab", *"1381234567", "ctrl+s")
        assert app.focused.id == "phone"  # refused: one digit short
        await press(pilot, None, "8", "shift+tab", "tab")
        assert value(app, "phone") == "13812345678"
        await press(pilot, None, "9")
        assert value(app, "phone") == "138123456789"
