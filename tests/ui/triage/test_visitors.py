"""F2 visitors (not customers) at 80×24: the kind, the form, the host's answer."""

from sqlmodel import select

from models import Draft, Visitor
from reception import triage
from screens.choose import Choose
from screens.triage.visitor import VisitorForm
from tests.helpers.pilot import burst, notifications, settle
from tests.ui.triage.helpers import (
    board_rows,
    fill,
    open_triage,
    plain,
    press,
    static_text,
    value,
)


def hints(screen) -> str:
    return " ".join(plain(hint.render()) for hint in screen.query(".hint"))


async def test_visitor_for_the_boss_logged_then_declined(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "v")
        assert isinstance(app.screen, Choose)
        await press(pilot, None, "1")
        form = app.screen
        assert isinstance(form, VisitorForm)
        await pilot.press(*"钱先生")
        await fill(pilot, "reason", "谈合作")
        await press(pilot, None, "enter")
        # For whom is required for someone who is not a courier.
        assert app.screen is form
        assert static_text(form, "#host-error") == "Required"
        await fill(pilot, "host", "王经理")
        await fill(pilot, "appt", "n")
        await press(pilot, None, "ctrl+s")
        assert app.screen is screen
        row = board_rows(screen)[0]
        assert row[0] == "钱先生" and row[3] == "Visitor·asking" and row[4] == "王经理"
        await press(pilot, None, "x")
        assert board_rows(screen) == []
    with db.read() as session:
        visitor = session.exec(select(Visitor)).one()
    assert (visitor.kind, visitor.host_id, visitor.reason, visitor.decision) == (
        "boss", team.manager.id, "谈合作", "declined")
    assert visitor.has_appointment is False and visitor.left_at is not None


async def test_the_host_suggested_is_taken_by_tab_and_linked(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "v", "1", *"钱先生", "tab", "tab", "王")
        await pilot.pause(0.1)
        await press(pilot, None, "tab")
        assert value(app, "host") == "王经理"
        assert app.focused.id == "appt"
        await press(pilot, None, "ctrl+s")
    with db.read() as session:
        visitor = session.exec(select(Visitor)).one()
    assert (visitor.host, visitor.host_id) == ("王经理", team.manager.id)


async def test_enter_in_the_visitor_form_goes_to_the_next_field_and_saves_on_the_last(
        make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "v", "3", *"赵先生", "enter", *"13800001111", "enter", *"王经理")
        form = app.screen
        # Nothing saved with the name alone; what followed went into the next fields.
        assert isinstance(form, VisitorForm) and form.focused.id == "host"
        assert value(app, "host") == "王经理"
        with db.read() as session:
            assert session.exec(select(Visitor)).first() is None
        # The words say what Enter does: the next field, and a save on the last.
        assert "Enter next field, saves on the last" in hints(form)
        await press(pilot, None, "enter", "y", "enter", *"面试", "enter")
        assert app.screen is screen
    with db.read() as session:
        visitor = session.exec(select(Visitor)).one()
    assert (visitor.kind, visitor.has_appointment, visitor.reason) == ("applicant", True, "面试")


async def test_a_burst_fills_each_field_of_the_visitor_form(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await burst(app, "v", "4", "孙女士", "tab", "13800001111", "enter", "李前台", "enter",
                    "n", "tab", "送资料", "enter")
        await settle(pilot)
        assert app.screen is screen
    with db.read() as session:
        visitor = session.exec(select(Visitor)).one()
    assert (visitor.name, visitor.phone, visitor.host, visitor.host_id, visitor.reason) == (
        "孙女士", "13800001111", "李前台", team.receptionist.id, "送资料")


async def test_a_form_left_untouched_keeps_no_draft(make_app, db, team):
    with db.write() as session:
        triage.triage_new_customer(session, name="没改", phone="13700007777",
                                   by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        for key in ("a", "e"):
            await press(pilot, None, key)
            assert app.screen is not screen
            await press(pilot, None, "escape")
            assert app.screen is screen
        assert not any("Draft kept" in note for note in notifications(app))
    with db.read() as session:
        assert session.exec(select(Draft)).first() is None


async def test_courier_is_received_and_leaves_with_one_key(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "v", "2", *"顺丰", "ctrl+s")
        assert board_rows(screen)[0][3] == "Visitor·received"
        # No host to ask: the notice says so plainly, not "ask Courier".
        notes = notifications(app)
        assert "Visitor 顺丰 logged" in notes and not any("ask" in note for note in notes)
        await press(pilot, None, "n")
        assert board_rows(screen) == []
    with db.read() as session:
        assert session.exec(select(Visitor)).one().left_at is not None


async def test_a_courier_for_someone_is_said_to_be_received_as_stored(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await press(pilot, None, "v", "2", *"京东", "tab", "tab", *"王经理", "ctrl+s")
        assert board_rows(screen)[0][3] == "Visitor·received"
        notes = notifications(app)
        assert "Visitor 京东 logged: received for 王经理" in notes
        assert not any("ask" in note for note in notes)
    with db.read() as session:
        assert session.exec(select(Visitor)).one().decision == "received"


async def test_visitor_in_chinese(make_app, db, team):
    from reception import i18n

    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press(pilot, None, "v", "2")
        assert "快递" in static_text(app.screen, ".form-title")
        assert "最后一项保存" in hints(app.screen)
        await press(pilot, None, *"顺丰", "ctrl+s")
        assert "已登记访客 顺丰" in notifications(app)
