"""The manager's settings form at 80×24: see, change, save, refuse, keep a draft."""

import json

import pytest
from sqlmodel import select
from textual.widgets import Input

from models import AuditEntry, Draft
from reception import settings
from reception.i18n import t
from screens.settings import SettingsScreen, error_id, field_id
from tests.helpers.pilot import burst, notifications, settle
from tests.helpers.pilot import screen_lines as pilot_screen_lines


def screen_lines(app) -> list[str]:
    return pilot_screen_lines(app)


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def field(app, key: str) -> Input:
    return app.screen.query_one(f"#{field_id(key)}", Input)


def error_text(app, key: str) -> str:
    return str(app.screen.query_one(f"#{error_id(key)}").render())


def notices(app) -> list[str]:
    return notifications(app)


def stored(db, key):
    with db.read() as session:
        return settings.get(session, key)


def audited(db) -> list[dict]:
    with db.read() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "setting_changed")
                               .order_by(AuditEntry.id)).all()
    return [json.loads(entry.detail) | {"by": entry.staff_id} for entry in entries]


async def open_settings(app, pilot):
    await settle(pilot)
    app.open_area("settings")
    await settle(pilot)
    assert isinstance(app.screen, SettingsScreen)


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


async def type_into(pilot, app, key: str, text: str) -> None:
    field(app, key).focus()
    field(app, key).value = ""
    await pilot.pause()
    for char in text:
        if ord(char) > 0xFFFF:  # an emoji arrives as a paste, not as a key
            field(app, key).insert_text_at_cursor(char)
        else:
            await pilot.press(char)


async def test_opens_with_every_setting_visible_at_80x24(make_app, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        text = screen_text(app)
        lines = screen_lines(app)
        assert "Settings" in lines[0]
        for label in ("Clinic name", "Opening hours", "Closing time", "Callback attempts",
                      "Retry callback in", "Alert after (min)", "Call script file"):
            assert label in text
        assert "Ctrl+S" in text  # the hint
        assert field(app, "clinic_name").value == "科医美"
        assert field(app, "opening_hours").value == "09:00-21:00"
        assert field(app, "closing_time").value == "21:00"
        assert field(app, "callback_max_attempts").value == "5"
        assert field(app, "callback_retry_hours").value == "3"
        assert field(app, "alert_minutes").value == "15 60 30 120"
        assert field(app, "call_script_path").value == ""
        for key in settings.EDITABLE:
            region = field(app, key).region
            assert region.width > 10 and 0 < region.y < 22, key
        assert app.screen.query_one(".hint").region.bottom <= 22
        assert app.focused is field(app, "clinic_name")


async def test_change_clinic_name_and_hours_then_save(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await type_into(pilot, app, "clinic_name", "新光医美")
        await pilot.press("enter")
        assert app.focused is field(app, "opening_hours")
        await type_into(pilot, app, "opening_hours", "9:30 20:00")
        await save(pilot)
        assert any("Saved: Clinic name, Opening hours" in notice for notice in notices(app))
        # Saved: the form closes; opened again, it shows the values as they are stored.
        assert not isinstance(app.screen, SettingsScreen)
        await open_settings(app, pilot)
        assert field(app, "opening_hours").value == "09:30-20:00"  # shown as it is stored
        assert "09:30-20:00" in screen_text(app)
    assert stored(db, "clinic_name") == "新光医美"
    assert stored(db, "opening_hours") == ["09:30", "20:00"]
    assert stored(db, "closing_time") == "21:00"  # untouched fields are not written
    assert [(entry["key"], entry["value"], entry["by"]) for entry in audited(db)] == [
        ("clinic_name", "新光医美", team.manager.id),
        ("opening_hours", ["09:30", "20:00"], team.manager.id)]
    with db.read() as session:
        assert session.exec(select(Draft).where(Draft.form == "settings")).first() is None


async def test_enter_walks_the_fields_and_saves_on_the_last(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await type_into(pilot, app, "closing_time", "20:30")
        for _ in range(4):
            await pilot.press("enter")
        assert app.focused is field(app, "call_script_path")
        await pilot.press("enter")
        assert app.focused is field(app, "sign_in_lock")
        await pilot.press("enter", "enter")
        assert app.focused is field(app, "areas_off")  # the last
        await pilot.press("enter")
        await settle(pilot)
        assert any("Saved: Closing time" in notice for notice in notices(app))
        assert not isinstance(app.screen, SettingsScreen)
    assert stored(db, "closing_time") == "20:30"


async def test_a_wrong_value_is_refused_at_its_field_and_the_others_are_saved(make_app, db,
                                                                              team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await type_into(pilot, app, "opening_hours", "21:00-09:00")
        await type_into(pilot, app, "callback_max_attempts", "8")
        await type_into(pilot, app, "alert_minutes", "10 20 30")
        await save(pilot)
        message = "Opening 21:00 must be before closing 09:00"
        assert message in error_text(app, "opening_hours")
        assert "Four minutes" in error_text(app, "alert_minutes")
        assert error_text(app, "callback_max_attempts") == ""
        # Shown under the field, on screen, and the cursor is in the first wrong field.
        lines = screen_lines(app)
        row = field(app, "opening_hours").region.y
        assert message in lines[row + 1]
        assert app.focused is field(app, "opening_hours")
        assert field(app, "opening_hours").value == "21:00-09:00"  # kept to be put right
        assert any("2 not saved" in notice for notice in notices(app))
        assert any("Saved: Callback attempts" in notice for notice in notices(app))
        # Putting it right clears the message; saved, the form closes.
        await type_into(pilot, app, "opening_hours", "09:00-20:00")
        await type_into(pilot, app, "alert_minutes", "10 20 30 40")
        await pilot.pause()
        assert error_text(app, "opening_hours") == ""
        assert error_text(app, "alert_minutes") == ""
        await save(pilot)
        assert not isinstance(app.screen, SettingsScreen)
    assert stored(db, "opening_hours") == ["09:00", "20:00"]
    assert stored(db, "callback_max_attempts") == 8
    assert [entry["key"] for entry in audited(db)] == [
        "callback_max_attempts", "opening_hours", "alert_minutes"]
    assert all(entry["value"] != ["21:00", "09:00"] for entry in audited(db))


@pytest.mark.parametrize("name", ["[red]x[/red]", "新光 😀 Clinic [/]", "[b]美[/b" + "A" * 40])
async def test_hostile_clinic_name_is_stored_exactly_and_shown_literally(make_app, db, team,
                                                                          name):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await type_into(pilot, app, "clinic_name", name)
        await save(pilot)
        assert not isinstance(app.screen, SettingsScreen)  # saved, not refused
        await open_settings(app, pilot)
        assert error_text(app, "clinic_name") == ""
        assert field(app, "clinic_name").value == name
        assert name[-12:] in screen_text(app)  # the cursor is at the end
        await pilot.press("home")
        await pilot.pause()
        assert name[:12] in screen_text(app)
    assert stored(db, "clinic_name") == name


async def test_a_200_character_clinic_name_is_refused(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        field(app, "clinic_name").value = "[red]" + "长" * 195
        await save(pilot)
        assert "at most 100 characters (this is 200)" in error_text(app, "clinic_name")
        assert "at most 100 characters" in screen_text(app)
        assert app.focused is field(app, "clinic_name")
    assert stored(db, "clinic_name") == "科医美"
    assert audited(db) == []


async def test_escape_keeps_a_draft_that_is_offered_back(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await type_into(pilot, app, "clinic_name", "半截名字")
        await type_into(pilot, app, "callback_retry_hours", "1.5")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"
        # Back in the same session: what was typed is still there.
        await open_settings(app, pilot)
        assert field(app, "clinic_name").value == "半截名字"
    with db.read() as session:
        draft = session.exec(select(Draft).where(Draft.form == "settings")).one()
    assert json.loads(draft.data) == {field_id("clinic_name"): "半截名字",
                                      field_id("callback_retry_hours"): "1.5"}
    assert stored(db, "clinic_name") == "科医美"  # a draft is not a saved setting
    # Next start: the draft is put back, with a notice.
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        assert field(app, "clinic_name").value == "半截名字"
        assert field(app, "callback_retry_hours").value == "1.5"
        assert field(app, "closing_time").value == "21:00"
        assert any(t("form.draft_restored") in notice for notice in notices(app))
        await save(pilot)
    assert stored(db, "clinic_name") == "半截名字"
    assert stored(db, "callback_retry_hours") == 1.5
    with db.read() as session:
        assert session.exec(select(Draft).where(Draft.form == "settings")).first() is None


async def test_ctrl_d_drops_the_changes(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await type_into(pilot, app, "closing_time", "25:00")
        await save(pilot)
        assert "HH:MM" in error_text(app, "closing_time")
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert field(app, "closing_time").value == "21:00"
        assert error_text(app, "closing_time") == ""
    with db.read() as session:
        assert session.exec(select(Draft).where(Draft.form == "settings")).first() is None


async def test_a_change_made_elsewhere_shows_unless_the_field_is_being_edited(make_app, db,
                                                                              team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await type_into(pilot, app, "clinic_name", "正在输入")
        with db.write() as session:
            settings.update(session, "clinic_name", "别处改的", by=team.manager.id)
            settings.update(session, "closing_time", "20:00", by=team.manager.id)
        app.store_changed()  # as the live view does when another terminal writes
        await pilot.pause()
        assert field(app, "clinic_name").value == "正在输入"
        assert field(app, "closing_time").value == "20:00"


async def test_f1_lists_the_keys_of_the_screen(make_app, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert t("form.key.save") in text and "Ctrl+S" in text


async def test_a_receptionist_never_gets_the_screen(make_app, db, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_area("settings")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsScreen)
        assert any("Managers only" in notice for notice in notices(app))


async def test_the_domain_refuses_a_manager_who_lost_the_role(make_app, db, team):
    from reception import staff as staff_service

    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        with db.write() as session:
            other = staff_service.add_staff(session, name="钱经理", role="manager",
                                            pin="123456", by=team.manager.id)
            staff_service.update_staff(session, team.manager.id, role="receptionist",
                                       by=other.id)
        await type_into(pilot, app, "clinic_name", "不该保存")
        await save(pilot)
        assert "Managers only" in str(app.screen.query_one("#form-problem").render())
        assert field(app, "clinic_name").value == "不该保存"
    assert stored(db, "clinic_name") == "科医美"


async def test_chinese_screen_fits(make_app, team):
    from reception import i18n

    i18n.set_language("zh")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        text = screen_text(app)
        for label in ("机构名称", "营业时间", "下班时间", "回访最多拨打", "回访重拨间隔",
                      "提醒时限（分钟）", "电话脚本文件"):
            assert label in text
        assert "Ctrl+S" in text


async def test_quit_keeps_what_was_typed(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await type_into(pilot, app, "alert_minutes", "5 6 7")
        await pilot.press("ctrl+q")
        await settle(pilot)
    with db.read() as session:
        draft = session.exec(select(Draft).where(Draft.form == "settings")).one()
    assert json.loads(draft.data) == {field_id("alert_minutes"): "5 6 7"}
    assert stored(db, "alert_minutes") == settings.DEFAULTS["alert_minutes"]


async def test_a_burst_lands_in_each_field_and_saves(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        # "光" after the clinic name, Enter ×4, "0" after the retry hours, Enter to the
        # last field and Enter there (it saves): all in one write.
        await burst(app, "光\r\r\r\r0\r\r\r\r\r\r")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsScreen)
    assert stored(db, "clinic_name") == "科医美光"
    assert stored(db, "callback_retry_hours") == 30
    assert stored(db, "closing_time") == "21:00"


async def test_a_burst_with_ctrl_s_saves_what_was_typed_before_it(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(app, pilot)
        await burst(app, "光\r\r\r\r0\x13")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsScreen)
    assert stored(db, "clinic_name") == "科医美光"
    assert stored(db, "callback_retry_hours") == 30


async def test_a_dashboard_key_opens_a_fresh_form_each_time(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        first = app.screen
        assert isinstance(first, SettingsScreen)
        await pilot.press("escape")
        await settle(pilot)
        with db.write() as session:
            settings.update(session, "closing_time", "20:00", by=team.manager.id)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen) and app.screen is not first
        assert field(app, "closing_time").value == "20:00"
