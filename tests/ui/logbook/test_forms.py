"""F8's forms at 80×24: refusals under their field with nothing saved, a burst through the
supplies form and its PIN, room bookings, the visitor's registration form."""

from sqlmodel import select

from models import Draft, LogEntry
from reception import i18n, logbook, rooms, visitor_register
from reception.clock import clock
from screens.logbook.desk_forms import BookingForm, RegistrationForm
from screens.logbook.forms import EntryForm
from tests.conftest import PIN, at, today
from tests.helpers.pilot import notifications, screen_text, settle
from tests.helpers.records import add_customer, add_visit
from tests.ui.logbook.helpers import burst, open_logbook, shown, table_rows


async def test_a_parking_ticket_for_someone_who_did_not_pay_is_refused_at_the_field(
        make_app, team, db):
    by = team.receptionist.id
    with db.write() as session:
        add_visit(session, by, add_customer(session, by, name="李四"), outcome="no_deal")
        add_visit(session, by, add_customer(session, by, name="王小红"), outcome="deal")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        await pilot.press("2", "a")
        await settle(pilot)
        assert isinstance(app.screen, EntryForm)
        await pilot.press(*"李四", "enter", *"沪A1", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, EntryForm)
        assert shown(app, "#customer-error") == (
            "李四 has no payment or closed deal today: no parking ticket")
        assert app.focused.id == "customer"
        with db.read() as session:
            assert session.exec(select(LogEntry)).all() == []
        app.screen.field("customer").value = "王小红"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(app) == [["10:00", "王小红", "沪A1", "1"]]


async def test_a_burst_through_the_supplies_form_and_the_takers_pin(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        await burst(app, ["3", "a", *"美容部", "\t", *"纸巾", "\t", "2", "\t", *"治疗室", "\t",
                          *"孙美容", "\t", *PIN, "\r"])
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(app) == [["10:00", "美容部", "纸巾", "2", "治疗室", "孙美容"]]
        assert PIN not in screen_text(app)
        with db.read() as session:
            (entry,) = session.exec(select(LogEntry)).all()
            assert session.exec(select(Draft)).all() == []
        assert entry.staff_id == team.beautician.id
        # A wrong PIN is said at the PIN field; the field is emptied, nothing saved.
        await burst(app, ["a", *"美容部", "\t", *"纸巾", "\t", "1", "\t", *"x", "\t",
                          *"孙美容", "\t", "9", "9", "\r"])
        await settle(pilot)
        assert shown(app, "#pin-error") == "Wrong PIN for 孙美容"
        assert app.screen.field("pin").value == ""
        with db.read() as session:
            assert len(session.exec(select(LogEntry)).all()) == 1


async def test_room_bookings_past_and_overlap_refused_then_booked(make_app, team, db):
    with db.write() as session:
        rooms.ensure_default_rooms(session)
        rooms.book(session, room="会议室", start="14:00", end="15:00", host="王总",
                   by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        await pilot.press("b")
        await settle(pilot)
        assert table_rows(app)[0][:4] == ["11-22", "14:00–15:00", "会议室", "王总"]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, BookingForm)
        assert app.focused.id == "day"  # the room is offered: the first room
        await pilot.press("enter", *"9:00", "enter", "enter", *"陈总", "ctrl+s")
        await settle(pilot)
        assert shown(app, "#start-error") == (
            "2026-11-22 09:00 has passed: no booking in the past")
        app.screen.field("start").value = "14:30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown(app, "#start-error") == "会议室 is booked 14:00–15:00 by 王总"
        app.screen.field("start").value = "15:00"
        app.screen.field("people").value = "5"
        app.screen.field("tea").value = "y"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(app)[1] == ["11-22", "15:00–16:00", "会议室", "陈总", "5", "tea", ""]
        # 15 minutes before, the status line says to prepare it; p marks it prepared.
        clock.set(at("2026-11-22T14:50"))
        app.update_status_line()
        await settle(pilot)
        assert "▲ Prepare 会议室: 15:00–16:00 陈总" in screen_text(app)
        screen.reload()
        await pilot.press("down", "p")
        await settle(pilot)
        assert table_rows(app)[1][6] == "prepared"
        assert "Prepare 会议室" not in screen_text(app)


async def test_a_visitor_registered_badge_back_and_seen_out_in_chinese(make_app, team, db):
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        await pilot.press("v", "a")
        await settle(pilot)
        await pilot.press("1")  # 找老板的客人
        await settle(pilot)
        assert isinstance(app.screen, RegistrationForm)
        assert "客人来访登记表" in screen_text(app)
        await burst(app, [*"陈总", "\t", *"华美装修", "\t", "2", "\t", *"洽谈", "\t",
                          *"王经理", "\t", "\t", "y", "\t", *"茶", "\t", *"T-07", "\r"])
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(app) == [["10:00", "陈总", "华美装修", "2", "王经理", "T-07", ""]]
        assert "已登记：陈总" in notifications(app)
        clock.advance(minutes=30)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert table_rows(app)[0][5:] == ["T-07 ✓", "10:30"]
        with db.read() as session:
            (visitor,) = visitor_register.of_day(session, today())
            assert logbook.drinks_served(session, today()) == 2
        assert visitor.kind == "boss" and visitor.id_checked and visitor.company == "华美装修"


async def test_bursts_through_the_booking_and_correction_forms(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        # The room offered (the first); from the day: start, end, host, people, tea, AC.
        await burst(app, ["b", "a", "\t", *"16:00", "\t", *"17:30", "\t", *"陈总", "\t",
                          "8", "\t", "y", "\t", "n", "\r"])
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(app) == [["11-22", "16:00–17:30", "会议室", "陈总", "8", "tea", ""]]
        await burst(app, ["1", "a", *"EMS", "\t", *"王经理", "\r", "\r", "\r", "\r", "\r"])
        await settle(pilot)
        assert table_rows(app)[0][1:3] == ["EMS", "王经理"]
        # x: the correction opens with the entry's values, the cursor at the first empty
        # field (handed to); the reason is typed last.
        await burst(app, ["x", *"王经理", "\t", "\t", *"handed on", "\r"])
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(app)[0][0].startswith("✎") and table_rows(app)[0][5] == "王经理"
        with db.read() as session:
            (line,) = logbook.lines(session, today())
            assert [found.booking.host for found in rooms.upcoming(session)] == ["陈总"]
        assert line.note == "handed on" and line.values["carrier"] == "EMS"
