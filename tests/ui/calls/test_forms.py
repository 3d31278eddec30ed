"""F3's forms over the call: keys sent in one burst, drafts, and the paper cuts of issue 12
(the booking's time error, full-width digits, the drop-down's Backspace, Ctrl+G)."""

from models import Appointment, Call, Message
from reception import i18n
from screens.calls import CallScreen
from tests.helpers.pilot import screen_text, settle
from tests.ui.calls.helpers import burst, form, open_calls, shown, stored, value


async def to_the_boss_message_form(pilot) -> None:
    """Boss, no surname, no appointment, no matter, leaves a message: an empty form."""
    await pilot.press("1", "enter", "1", "enter", "1")
    await settle(pilot)
    assert pilot.app.focused.id == "name"


async def test_a_message_typed_in_one_burst_fills_each_field_and_is_saved(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await to_the_boss_message_form(pilot)
        await burst(app, "Ms Li\t13800001111\tcall back\r")
        await settle(pilot)
        assert app.screen is screen and screen.call_ended
        [message] = stored(db, Message)
        assert (message.recipient_id, message.caller_name, message.phone, message.matter) == (
            team.manager.id, "Ms Li", "13800001111", "call back")
        assert stored(db, Call)[0].outcome == "message"


async def test_a_booking_typed_in_one_burst_fills_each_field_and_is_saved(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("3", "2")
        await settle(pilot)
        assert app.focused.id == "phone"
        # The offered day is replaced; Tab passes the drop-down ("any consultant").
        await burst(app, "13700001111\tMs Gao\t2026-11-23\t09:30\t\tlaser\r")
        await settle(pilot)
        assert app.screen is screen and screen.call_ended
        [booked] = stored(db, Appointment)
        assert (booked.phone, booked.name, booked.purpose, booked.consultant_id) == (
            "13700001111", "Ms Gao", "laser", None)
        assert booked.number == "261123-01"
        assert "261123-01" in shown(app, "#say")


async def test_keys_typed_ahead_through_the_script_land_where_they_belong(make_app, team, db):
    """Digits and words sent in one go while each step is still being written: the
    surname goes into its form, the next digit picks the next branch."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await burst(app, "1Wang\r21")
        await settle(pilot)
        assert screen.walk.values["surname"] == "Wang"
        [call] = stored(db, Call)
        assert call.outcome == "transferred" and call.caller_name == "Wang"


async def test_a_half_typed_message_survives_a_quit(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        await to_the_boss_message_form(pilot)
        await pilot.press(*"Ms Li", "tab", *"1390000")
        await pilot.press("ctrl+q")
        await pilot.pause()
    again = make_app(team.receptionist)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        assert again.get_screen("calls").walk.node.id == "boss_message"
        assert value(again, "name") == "Ms Li" and value(again, "phone") == "1390000"
        assert value(again, "recipient") == team.manager.id
        # The cursor is at the first field still empty.
        assert again.focused.id == "matter"
        await pilot.press(*"call back", "up", "end", *"1111", "ctrl+s")
        await settle(pilot)
        [message] = stored(db, Message)
        assert message.phone == "13900001111" and message.caller_name == "Ms Li"


async def test_escape_steps_back_and_the_form_keeps_what_was_typed(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("3", "2")
        await settle(pilot)
        await pilot.press(*"13700001111", "tab", *"Ms Gao", "escape")
        await settle(pilot)
        assert app.screen is screen and screen.walk.node.id == "enquiry"
        await pilot.press("2")
        await settle(pilot)
        assert value(app, "phone") == "13700001111" and value(app, "name") == "Ms Gao"
        assert stored(db, Appointment) == []


# --- paper cuts -------------------------------------------------------------------------


async def test_a_bad_time_is_said_once_under_the_time(make_app, team, db):
    """It said "Time: Time: HH:MM" (the field's name before a message that has it)."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calls(pilot)
        await pilot.press("3", "2")
        await settle(pilot)
        await burst(app, "13700001111\tMs Gao\t2026-11-23\t25:99")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused.id == "time"
        assert "HH:MM" in shown(app, "#time-error")
        assert "Time: Time" not in screen_text(app)
        assert stored(db, Appointment) == []


async def test_full_width_digits_are_taken_and_stored_narrow(make_app, team, db):
    """A Chinese input method types １３８…, １５：３０ and １１－２３."""
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("3", "2")
        await settle(pilot)
        booking = form(app)
        for field_id, typed in (("phone", "１３７００００１１１１"), ("name", "高女士"),
                                ("day", "１１－２３"), ("time", "１５：３０")):
            booking.field(field_id).value = typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        [booked] = stored(db, Appointment)
        assert booked.phone == "13700001111" and booked.number == "261123-01"
        assert "2026-11-23 15:30" in shown(app, "#say")
        # A message's phone too.
        await pilot.press("enter", "1", "enter", "1", "enter", "1")
        await settle(pilot)
        await pilot.press(*"Li", "tab")
        form(app).field("phone").value = "０２０－８７６５４３２１"
        await pilot.press("tab", *"x", "enter")
        await settle(pilot)
        [message] = stored(db, Message)
        assert message.phone == "020-87654321"


async def test_backspace_on_a_drop_down_does_not_step_the_call_back(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await to_the_boss_message_form(pilot)
        form(app).field("recipient").focus()
        await pilot.press("backspace", "backspace")
        await settle(pilot)
        assert screen.walk.node.id == "boss_message"
        assert isinstance(app.screen, type(form(app))) and app.focused.id == "recipient"


async def test_one_ctrl_g_on_the_greeting_logs_nothing(make_app, team, db):
    """It logged an abandoned call at once: a stray key filled the call log."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert stored(db, Call) == []
        assert "hung up" in shown(app, "#problem")
        # A step cancels the warning; a call logged since is broken off at once.
        await pilot.press("3", "escape")
        await settle(pilot)
        [call] = stored(db, Call)
        assert call.ended_at is None and screen.walk.at_start
        await pilot.press("ctrl+g")
        await settle(pilot)
        [call] = stored(db, Call)
        assert call.outcome == "abandoned" and isinstance(app.screen, CallScreen)
        assert screen.walk.at_start


async def test_a_form_left_for_the_dashboard_is_there_again_on_f3(make_app, team, db):
    from screens.dashboard import DashboardScreen

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await to_the_boss_message_form(pilot)
        await pilot.press(*"Ms Li", "ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("f3")
        await settle(pilot)
        assert screen.walk.node.id == "boss_message"
        assert value(app, "name") == "Ms Li" and app.focused.id == "phone"
        # Escape: one step back, the call goes on.
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.walk.node.id == "boss_not_in"


async def test_a_burst_after_a_call_ended_starts_the_next_and_fills_its_form(make_app, team,
                                                                             db):
    """Nothing has the focus once a call has ended: Enter (next call), the digits and the
    booking's fields sent together still land in order."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await burst(app, ["1", "enter", "1", "enter", "1", *"Caller", "tab", *"13812345610",
                          "tab", *"matter", "enter"])
        await settle(pilot)
        assert screen.call_ended and app.focused is None
        await burst(app, ["enter", "3", "2", *"13700001111", "tab", *"Gao", "tab"])
        await settle(pilot)
        assert value(app, "phone") == "13700001111" and value(app, "name") == "Gao"
        assert app.focused.id == "day"
        [message] = stored(db, Message)
        assert (message.caller_name, message.phone, message.matter) == (
            "Caller", "13812345610", "matter")
