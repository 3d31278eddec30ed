"""F3 phone call: each branch of the built-in script, messages, booking, backtracking."""

import json

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, OptionList, Select

from models import Appointment, AuditEntry, Call, Message
from reception import appointments, calls, customers, i18n, reconcile, settings, staff
from reception.clock import clock
from screens.calls import CallScreen
from screens.dashboard import DashboardScreen
from screens.widgets.results import ResultList
from tests.conftest import today
from tests.helpers.pilot import notifications, shown, type_into


def stored_calls(db) -> list[Call]:
    with db.read() as session:
        return list(session.exec(select(Call).order_by(Call.id)).all())


def stored_messages(db) -> list[Message]:
    with db.read() as session:
        return list(session.exec(select(Message).order_by(Message.id)).all())


async def open_calls(pilot) -> CallScreen:
    await pilot.press("f3")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CallScreen)
    return pilot.app.screen


async def test_greeting_in_chinese_with_the_clinic_name(make_app, team):
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        assert shown(app, "#say") == "请说:您好,欢迎致电科医美,请问有什么可以帮到您?"
        options = app.screen.query_one("#choices", OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert labels == ["1  找老总", "2  找咨询师", "3  咨询 / 预约", "4  其他"]
        await pilot.press("1")
        await pilot.pause()
        assert shown(app, "#say") == "请说:请问您贵姓?"


async def test_boss_no_appointment_message_stays_until_relayed(make_app, team, db):
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("1")
        await type_into(pilot, "王")
        await pilot.press("enter", "1")
        await pilot.pause()
        assert "请问您找我们老总有什么事情" in shown(app, "#say")
        await type_into(pilot, "谈合作 [b]x[/b]")
        await pilot.press("enter")
        await pilot.pause()
        assert "我们老总现在不在" in shown(app, "#say")
        await pilot.press("1")
        await pilot.pause()
        # The message form: for the boss, the surname and matter already typed.
        assert screen.query_one("#msg-recipient", Select).value == team.manager.id
        assert screen.query_one("#msg-name", Input).value == "王"
        assert screen.query_one("#msg-matter", Input).value == "谈合作 [b]x[/b]"
        assert app.focused.id == "msg-phone"
        await pilot.press(*"13800001111", "enter")
        await pilot.pause()
        assert app.focused.id == "msg-matter"
        await pilot.press("enter")
        await pilot.pause()
        assert "祝您愉快,再见" in shown(app, "#say")
        assert "已留言" in shown(app, "#ended")
        [message] = stored_messages(db)
        assert (message.recipient_id, message.caller_name, message.phone, message.matter) == (
            team.manager.id, "王", "13800001111", "谈合作 [b]x[/b]")
        [call] = stored_calls(db)
        assert message.call_id == call.id and call.outcome == "message"
        assert calls.call_path(call) == ["greeting", "boss_surname", "boss_appointment",
                                         "boss_matter", "boss_not_in", "boss_message",
                                         "goodbye_message"]
        assert call.taken_by_id == team.receptionist.id and call.ended_at is not None
        assert call.caller_name == "王" and call.caller_phone == "13800001111"
        # Listed on this screen and on the dashboard until marked relayed.
        table = screen.query_one("#message-list", DataTable)
        assert table.row_count == 1
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.screen.query_one("#messages", DataTable).row_count == 1
        await pilot.press("f3")
        await pilot.pause()
        assert shown(app, "#say").startswith("请说:您好")
        await pilot.press("m")
        await pilot.pause()
        assert app.focused is table
        assert "13800001111" in shown(app, "#message-detail")
        await pilot.press("r")
        await pilot.pause()
        assert table.row_count == 0
        [message] = stored_messages(db)
        assert message.relayed_by_id == team.receptionist.id
        assert message.relayed_at == clock.now_utc()
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen.query_one("#messages", DataTable).row_count == 0


async def test_boss_with_appointment_takes_the_call(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        await pilot.press("1", *"Wang", "enter", "2")
        await pilot.pause()
        assert "check whether our director is in" in shown(app, "#say")
        assert "Wang is on the phone" in shown(app, "#do")
        await pilot.press("1")
        await pilot.pause()
        assert "putting you through" in shown(app, "#say")
        assert "Transferred" in shown(app, "#ended")
        [call] = stored_calls(db)
        assert call.outcome == "transferred"
        assert calls.call_path(call)[-2:] == ["boss_check", "boss_transfer"]
        # Enter: ready for the next call.
        await pilot.press("enter")
        await pilot.pause()
        assert shown(app, "#say").startswith("Say: Hello")
        assert len(stored_calls(db)) == 1


@pytest.mark.parametrize("leaves_message", [True, False])
async def test_boss_declines_not_in_the_office(make_app, team, db, leaves_message):
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("1")
        await type_into(pilot, "李")
        await pilot.press("enter", "2", "2")
        await pilot.pause()
        assert "我们老总现在不在办公室" in shown(app, "#say")
        if not leaves_message:
            await pilot.press("2")
            await pilot.pause()
            assert stored_calls(db)[0].outcome == "no_message"
            assert stored_messages(db) == []
            return
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one("#msg-name", Input).value == "李"
        await pilot.press(*"02087654321")
        await pilot.press("enter")
        await type_into(pilot, "回电")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [message] = stored_messages(db)
        assert message.recipient_id == team.manager.id and message.phone == "020-87654321"
        assert stored_calls(db)[0].outcome == "message"


async def test_consultant_on_duty_is_fetched(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        await pilot.press("2")
        await pilot.pause()
        options = app.screen.query_one("#choices", OptionList)
        assert options.option_count == 3
        assert "陈咨询" in str(options.get_option_at_index(1).prompt)
        assert "in today" in str(options.get_option_at_index(1).prompt)
        await pilot.press("2")
        await pilot.pause()
        assert shown(app, "#say") == "Say: Please hold on, I'll get 陈咨询 for you."
        [call] = stored_calls(db)
        assert call.outcome == "fetched"
        with db.read() as session:
            end = session.exec(select(AuditEntry).where(AuditEntry.action == "call_end")).one()
        assert json.loads(end.detail)["consultant_id"] == team.consultants[1].id


async def test_consultant_off_duty_offer_to_relay(make_app, team, db):
    off = team.consultants[2]
    with db.write() as session:
        staff.set_rota(session, today(), [s.id for s in team.all if s.id != off.id],
                       by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("2")
        await pilot.pause()
        assert "not in today" in str(
            screen.query_one("#choices", OptionList).get_option_at_index(2).prompt)
        await pilot.press("3")
        await pilot.pause()
        assert shown(app, "#say").startswith("Say: I'm sorry, 刘咨询 is not working today.")
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one("#msg-recipient", Select).value == off.id
        await type_into(pilot, "🙂 " + "长" * 100)
        await pilot.press("enter")
        await pilot.press(*"13912345678", "enter")
        await type_into(pilot, "[red]call back[/red]")
        await pilot.press("enter")
        await pilot.pause()
        [message] = stored_messages(db)
        assert message.recipient_id == off.id and message.caller_name == "🙂 " + "长" * 100
        assert message.matter == "[red]call back[/red]"
        row = screen.query_one("#message-list", DataTable).get_row_at(0)
        # The list cuts a long name short (the matter stays in view); the detail has it all.
        assert [str(cell) for cell in row[1:]] == [
            "刘咨询", "🙂 " + "长" * 3 + "…", "139****5678", "[red]call back[/red]"]
        assert "🙂 " + "长" * 100 in shown(app, "#message-detail")
        assert stored_calls(db)[0].outcome == "message"


async def test_enquiry_answered(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        await pilot.press("3", "1")
        await pilot.pause()
        await type_into(pilot, "price of laser")
        await pilot.press("enter")
        await pilot.pause()
        assert "book you an appointment" in shown(app, "#say")
        await pilot.press("2")
        await pilot.pause()
        [call] = stored_calls(db)
        assert call.outcome == "answered" and call.note == "price of laser"


async def test_booking_is_found_by_triage_path_b(make_app, team, db):
    with db.write() as session:
        customers.register(session, name="张小明", phone="13900002222", by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("3", "2")
        await pilot.pause()
        assert app.focused.id == "book-phone"
        for widget_id in ("book-phone", "book-name", "book-day", "book-time",
                          "book-consultant", "book-purpose"):
            region = screen.query_one(f"#{widget_id}").region
            assert region.height >= 1 and region.bottom <= 22, widget_id
        await pilot.press(*"13900002222")
        await pilot.pause()
        assert shown(app, "#book-found") == "Customer on file: 张小明"
        assert screen.query_one("#book-name", Input).value == "张小明"
        assert screen.query_one("#book-day", Input).value == "2026-11-22"
        # The offered day is replaced by a typed one (the name typed into is kept whole).
        await pilot.press("enter", "enter", *"2026-11-22", "enter")
        await pilot.pause()
        assert screen.query_one("#book-day", Input).value == "2026-11-22"
        assert screen.query_one("#book-name", Input).value == "张小明"
        await pilot.press(*"1530", "enter")
        await pilot.pause()
        assert app.focused.id == "book-consultant"
        # Backspace on a drop-down edits nothing and must not step the call back.
        node = screen.walk.node.id
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.walk.node.id == node and app.focused.id == "book-consultant"
        assert screen.query_one("#book-time", Input).value == "1530"
        screen.query_one("#book-consultant", Select).value = team.consultants[0].id
        await pilot.press("tab")
        await type_into(pilot, "祛斑")
        await pilot.press("enter")
        await pilot.pause()
        number = f"{today():%y%m%d}-01"
        assert number in shown(app, "#say") and "2026-11-22 15:30" in shown(app, "#say")
        [call] = stored_calls(db)
        assert call.outcome == "booked"
        with db.read() as session:
            [found] = appointments.find_for_day(session, today(), "01")
        assert found.number == number and found.call_id == call.id
        assert found.consultant_id == team.consultants[0].id and found.purpose == "祛斑"
        assert found.customer_id is not None
        # F2 path B finds it by its number.
        await pilot.press("f2")
        await pilot.pause()
        triage = app.screen
        if triage.query("#search"):
            await pilot.press("b")
            await pilot.pause()
            await pilot.press(*"01")
            await pilot.pause(0.5)
            await pilot.pause()
            results = triage.query_one("#results", ResultList)
            assert results.row_count == 1
            assert "张小明" in str(results.row(0))


async def test_booking_a_new_caller_with_a_wrong_time_then_right(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("3", "2", *"13700001111")
        await pilot.pause()
        assert shown(app, "#book-found") == "New customer"
        await pilot.press("enter", *"Ms Gao", "enter")
        screen.query_one("#book-day", Input).value = "2026-11-23"
        await pilot.press("enter", *"23:00", "ctrl+s")
        await pilot.pause()
        assert "Outside opening hours" in shown(app, "#form-error")
        assert app.focused.id == "book-time"
        assert stored_calls(db)[0].outcome == ""
        screen.query_one("#book-time", Input).value = "09:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        with db.read() as session:
            [booked] = session.exec(select(Appointment)).all()
        assert booked.customer_id is None and booked.name == "Ms Gao"
        assert booked.number == "261123-01"
        assert "261123-01" in shown(app, "#say")


async def test_a_call_on_a_signed_off_day_is_refused_not_shown_as_logged(make_app, team, db):
    with db.write() as session:
        reconcile.sign_off(session, today(), by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("4")
        await pilot.pause()
        # Refused at the first step: the call stays on the greeting and says why.
        assert screen.walk.node.id == "greeting" and not screen.call_ended
        assert "signed off" in shown(app, "#form-error")
        assert "logged" not in shown(app, "#say") + shown(app, "#ended")
        assert stored_calls(db) == []


async def test_other_free_note_is_shown_literally(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        await pilot.press("4")
        await type_into(pilot, "[red]快递[/red] 🚚")
        await pilot.press("enter")
        await pilot.pause()
        assert "[red]快递[/red] 🚚" in shown(app, "#crumbs")
        [call] = stored_calls(db)
        assert call.outcome == "note" and call.note == "[red]快递[/red] 🚚"


async def test_backtracking_keeps_what_was_typed(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("1", *"Wang", "enter", "1", *"visit", "enter", "1")
        await pilot.pause()
        assert screen.walk.node.id == "boss_message"
        assert app.focused.id == "msg-phone"
        await pilot.press(*"13800001111")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.walk.node.id == "boss_not_in"
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.walk.node.id == "boss_matter"
        assert screen.query_one("#field-matter", Input).value == "visit"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert screen.walk.node.id == "boss_surname"
        assert screen.query_one("#field-surname", Input).value == "Wang"
        [call] = stored_calls(db)
        assert calls.call_path(call) == ["greeting", "boss_surname"]
        # Forward again: everything is where it was.
        await pilot.press("enter", "1", "enter", "1")
        await pilot.pause()
        assert screen.query_one("#msg-phone", Input).value == "13800001111"
        assert screen.query_one("#msg-matter", Input).value == "visit"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(stored_messages(db)) == 1
        # A saved message is not stepped back over: Escape leaves, the call stays done.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert len(stored_messages(db)) == 1 and stored_calls(db)[0].outcome == "message"


async def test_step_back_from_an_end_reopens_the_call(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("1", *"Wang", "enter", "2", "1")
        await pilot.pause()
        assert stored_calls(db)[0].outcome == "transferred"
        await pilot.press("escape")
        await pilot.pause()
        assert screen.walk.node.id == "boss_check"
        assert stored_calls(db)[0].ended_at is None
        await pilot.press("2", "2")
        await pilot.pause()
        [call] = stored_calls(db)
        assert call.outcome == "no_message"
        assert calls.call_path(call)[-3:] == ["boss_check", "boss_declined", "goodbye"]


async def test_abandon_is_logged(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert screen.walk.at_start and screen.call_id is None
        await pilot.press("ctrl+g")
        await pilot.pause()
        first, second = stored_calls(db)
        assert first.outcome == second.outcome == "abandoned"
        assert calls.call_path(first) == ["greeting", "consultant_which"]
        assert calls.call_path(second) == ["greeting"]


async def test_a_call_during_a_walk_in_form_leaves_the_form_intact(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        triage = app.screen
        walk_in = triage.query("#cust_name")
        if walk_in:
            await pilot.press("a")
            await pilot.pause()
            triage.query_one("#cust_name", Input).value = "赵女士"
            triage.query_one("#cust_phone", Input).value = "13611112222"
        await open_calls(pilot)
        await pilot.press("4", *"parcel", "enter")
        await pilot.pause()
        assert stored_calls(db)[0].outcome == "note"
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen is triage
        if walk_in:
            assert triage.query_one("#cust_name", Input).value == "赵女士"
            assert triage.query_one("#cust_phone", Input).value == "13611112222"
            assert triage.query_one("#customer-pane").display


async def test_a_call_in_progress_survives_a_quit(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        await pilot.press("1", *"Wang", "enter", "1")
        await type_into(pilot, "half typed")
        await pilot.press("ctrl+q")
        await pilot.pause()
    again = make_app(team.receptionist)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        assert screen.walk.node.id == "boss_matter"
        assert screen.query_one("#field-matter", Input).value == "half typed"
        await pilot.press("enter", "2")
        await pilot.pause()
        [call] = stored_calls(db)
        assert call.outcome == "no_message" and call.note == "half typed"


async def test_mine_only_and_jump_to_a_message(make_app, team, db):
    with db.write() as session:
        mine = calls.take_message(session, recipient_id=team.receptionist.id, caller_name="甲",
                                  phone="13800001111", matter="一", by=team.manager.id)
        other = calls.take_message(session, recipient_id=team.manager.id, caller_name="乙",
                                   phone="", matter="二", by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        table = screen.query_one("#message-list", DataTable)
        assert table.row_count == 2
        await pilot.press("m", "f")
        await pilot.pause()
        assert table.row_count == 1 and "(1)" in shown(app, "#messages-title")
        screen.show_record("message", other.id)
        await pilot.pause()
        assert table.row_count == 2 and app.focused is table
        assert screen._selected_message_id() == other.id
        assert "乙" in shown(app, "#message-detail")
        await pilot.press("r")
        await pilot.pause()
        assert table.row_count == 1 and screen._selected_message_id() == mine.id


async def test_manager_script_file_in_use_and_bad_file_falls_back(make_app, team, db, tmp_path):
    from pathlib import Path

    scripts = Path(__file__).parents[2] / "unit" / "calls" / "scripts"
    with db.write() as session:
        settings.put(session, "call_script_path", str(scripts / "good.toml"))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        assert shown(app, "#say") == "Say: Hello, 科医美 here!"
        await pilot.press("2")
        await pilot.pause()
        assert stored_calls(db)[0].outcome == "done"
    with db.write() as session:
        settings.put(session, "call_script_path", str(scripts / "cycle.toml"))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        assert shown(app, "#say").startswith("Say: Hello, thank you for calling 科医美")
        warnings = notifications(app)
        assert any("built-in script is in use" in w and "again" in w for w in warnings)


async def test_night_check_jump_opens_the_screen_on_the_message(make_app, team, db):
    with db.write() as session:
        for n in range(3):
            calls.take_message(session, recipient_id=team.manager.id, caller_name=f"客{n}",
                               phone="", matter=f"事{n}", by=team.receptionist.id)
        target = calls.unrelayed(session)[2]
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # As the night check does: open the area, then show the record after a refresh.
        app.open_area("calls")
        screen = app.get_screen("calls")
        app.call_after_refresh(screen.show_record, "message", target.message_id)
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen
        assert screen._selected_message_id() == target.message_id
        assert app.focused is screen.query_one("#message-list", DataTable)
        assert "客2" in shown(app, "#message-detail")
