"""The manager's settings: each is parsed from what was typed, refused with a clear rule,
stored, audited, and shown back in the form it is typed."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlmodel import select

from models import AuditEntry, Setting
from reception import keys, settings
from reception import staff as staff_service
from reception.errors import ReceptionError, StaffError, ValidationError
from reception.i18n import t

SCRIPTS = Path(__file__).parents[1] / "calls" / "scripts"


def update(db, team, key, text, *, by=None):
    with db.write() as session:
        return settings.update(session, key, text, by=team.manager.id if by is None else by)


def stored(db, key):
    with db.read() as session:
        return settings.get(session, key)


def changes(db, key):
    with db.read() as session:
        entries = session.exec(
            select(AuditEntry).where(AuditEntry.action == "setting_changed")
            .order_by(AuditEntry.id)).all()
    return [(entry.staff_id, json.loads(entry.detail)) for entry in entries
            if json.loads(entry.detail)["key"] == key]


def refused(db, team, key, text) -> ValidationError:
    before = stored(db, key)
    with pytest.raises(ValidationError) as caught:
        update(db, team, key, text)
    assert caught.value.field == key
    assert stored(db, key) == before
    assert changes(db, key) == []
    return caught.value


# --- one test per setting: parse, store, audit, refuse --------------------------------


def test_clinic_name_is_trimmed_stored_and_audited(db, team):
    assert update(db, team, "clinic_name", "  新光医美  ") == "新光医美"
    assert stored(db, "clinic_name") == "新光医美"
    [(by, detail)] = changes(db, "clinic_name")
    assert by == team.manager.id
    assert detail == {"key": "clinic_name", "value": "新光医美", "old": "科医美"}
    with db.read() as session:
        row = session.get(Setting, "clinic_name")
    assert row.updated_by_id == team.manager.id


@pytest.mark.parametrize("text", ["[red]x[/red]", "Clinic 😀 美", "[/]", "A" * 100, "\\x1b[2J"])
def test_clinic_name_keeps_hostile_text_exactly(db, team, text):
    assert update(db, team, "clinic_name", text) == text
    assert stored(db, "clinic_name") == text


@pytest.mark.parametrize(("text", "message"), [
    ("", "settings.clinic_name.required"),
    ("   ", "settings.clinic_name.required"),
    ("A" * 101, "settings.clinic_name.too_long"),
    ("x" * 200, "settings.clinic_name.too_long"),
    ("bad\x1b[2Jname", "settings.clinic_name.control"),
    ("two\nlines", "settings.clinic_name.control"),
])
def test_clinic_name_refusals(db, team, text, message):
    error = refused(db, team, "clinic_name", text)
    assert error.message_key == message
    if message.endswith("too_long"):
        assert "100" in str(error) and str(len(text)) in str(error)


@pytest.mark.parametrize(("text", "expected"), [
    ("09:00-21:00", ["09:00", "21:00"]),
    ("9:00 21:00", ["09:00", "21:00"]),
    ("9:30 - 18:00", ["09:30", "18:00"]),
    ("8:00~20:30", ["08:00", "20:30"]),
    ("10：00到19：00", ["10:00", "19:00"]),
    ("07:05,22:45", ["07:05", "22:45"]),
])
def test_opening_hours_are_two_times(db, team, text, expected):
    assert update(db, team, "opening_hours", text) == expected
    assert stored(db, "opening_hours") == expected
    assert settings.format("opening_hours", expected) == f"{expected[0]}-{expected[1]}"
    [(_by, detail)] = changes(db, "opening_hours")
    assert detail["value"] == expected and detail["old"] == ["09:00", "21:00"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "settings.opening_hours.format"),
    ("09:00", "settings.opening_hours.format"),
    ("09:00-21:00-22:00", "settings.bad_time"),
    ("9-21", "settings.bad_time"),
    ("25:00-26:00", "settings.bad_time"),
    ("09:60 21:00", "settings.bad_time"),
    ("21:00-09:00", "settings.opening_hours.order"),
    ("09:00-09:00", "settings.opening_hours.order"),
])
def test_opening_hours_refusals(db, team, text, message):
    error = refused(db, team, "opening_hours", text)
    assert error.message_key == message
    if message.endswith("order"):
        assert "21:00" in str(error) or "09:00" in str(error)


@pytest.mark.parametrize(("text", "expected"), [
    ("20:30", "20:30"), ("9:05", "09:05"), ("23:59", "23:59"), ("21：15", "21:15"),
])
def test_closing_time(db, team, text, expected):
    assert update(db, team, "closing_time", text) == expected
    assert stored(db, "closing_time") == expected


@pytest.mark.parametrize("text", ["0:00", "00:35", "09:00"])
def test_closing_time_before_opening_is_refused(db, team, text):
    # Opening hours default to 09:00: a loan would be "after closing" all day.
    error = refused(db, team, "closing_time", text)
    assert error.message_key == "settings.closing_before_opening" and "09:00" in str(error)


@pytest.mark.parametrize("text", ["24:00", "21", "21:00:00", "abc", "", "-1:00", "21:60"])
def test_closing_time_refusals(db, team, text):
    error = refused(db, team, "closing_time", text)
    assert error.message_key == "settings.bad_time"
    assert "HH:MM" in str(error)


def test_keys_closing_time_uses_the_same_parser_and_keeps_its_message(db, team):
    with db.write() as session:
        assert keys.set_closing_time(session, "20：5", by=team.manager.id) == "20:05"
    assert stored(db, "closing_time") == "20:05"
    with db.write() as session, pytest.raises(ValidationError) as caught:
        keys.set_closing_time(session, "25:00", by=team.manager.id)
    assert caught.value.message_key == "keys.bad_time"
    assert caught.value.field == "closing_time"
    with db.write() as session, pytest.raises(ReceptionError) as caught:
        keys.set_closing_time(session, "20:00", by=team.receptionist.id)
    assert type(caught.value) is keys.KeyLogError
    assert caught.value.message_key == "staff.manager_only"


@pytest.mark.parametrize(("text", "expected"), [("1", 1), ("20", 20), (" 7 ", 7)])
def test_callback_max_attempts(db, team, text, expected):
    assert update(db, team, "callback_max_attempts", text) == expected
    assert stored(db, "callback_max_attempts") == expected


@pytest.mark.parametrize("text", ["0", "21", "-3", "2.5", "five", ""])
def test_callback_max_attempts_refusals(db, team, text):
    error = refused(db, team, "callback_max_attempts", text)
    assert error.message_key == "settings.whole_number"
    assert "1" in str(error) and "20" in str(error)


@pytest.mark.parametrize(("text", "expected", "shown"), [
    ("0.5", 0.5, "0.5"), ("1.5", 1.5, "1.5"), ("48", 48, "48"), ("2.0", 2, "2"), ("3", 3, "3"),
])
def test_callback_retry_hours(db, team, text, expected, shown):
    assert update(db, team, "callback_retry_hours", text) == expected
    assert stored(db, "callback_retry_hours") == expected
    assert settings.format("callback_retry_hours", expected) == shown


@pytest.mark.parametrize("text", ["0.4", "0", "48.5", "nan", "inf", "-1", "two", ""])
def test_callback_retry_hours_refusals(db, team, text):
    error = refused(db, team, "callback_retry_hours", text)
    assert error.message_key == "settings.retry_hours"
    assert "0.5" in str(error) and "48" in str(error)


@pytest.mark.parametrize("text", ["10 45 20 90", "10,45,20,90", "10/45/20/90", "10， 45 20 90"])
def test_alert_minutes_are_four_numbers_in_order(db, team, text):
    expected = {"waiting": 10, "with_consultant": 45, "with_doctor": 20, "in_treatment": 90}
    assert update(db, team, "alert_minutes", text) == expected
    assert stored(db, "alert_minutes") == expected
    assert settings.format("alert_minutes", expected) == "10 45 20 90"


@pytest.mark.parametrize(("text", "message", "names"), [
    ("10 45 20", "settings.alert_minutes.count", "3"),
    ("10 45 20 90 5", "settings.alert_minutes.count", "5"),
    ("", "settings.alert_minutes.count", "0"),
    ("0 45 20 90", "settings.alert_minutes.range", "Waiting"),
    ("10 1000 20 90", "settings.alert_minutes.range", "With consultant"),
    ("10 45 x 90", "settings.alert_minutes.range", "With doctor"),
    ("10 45 20 1.5", "settings.alert_minutes.range", "In treatment"),
])
def test_alert_minutes_refusals(db, team, text, message, names):
    error = refused(db, team, "alert_minutes", text)
    assert error.message_key == message
    assert names in str(error)


def test_call_script_path_loads_the_file_and_stores_it_absolute(db, team, monkeypatch):
    monkeypatch.chdir(SCRIPTS)
    assert update(db, team, "call_script_path", "good.toml") == str(SCRIPTS / "good.toml")
    assert stored(db, "call_script_path") == str(SCRIPTS / "good.toml")
    assert update(db, team, "call_script_path", "  ") == ""
    assert stored(db, "call_script_path") == ""
    assert [detail["value"] for _by, detail in changes(db, "call_script_path")] == [
        str(SCRIPTS / "good.toml"), ""]


@pytest.mark.parametrize("name", ["missing.toml", "cycle.toml", "syntax_error.toml",
                                  "script.yaml", "unknown_node.toml"])
def test_call_script_path_refuses_a_file_that_does_not_load(db, team, name):
    from reception import script

    path = SCRIPTS / name
    error = refused(db, team, "call_script_path", str(path))
    assert error.message_key == "settings.script_unusable"
    with pytest.raises(script.ScriptError) as why:
        script.load_file(path)
    # The script checker's own message, whole: which file, line or node is at fault.
    assert str(error) == t("settings.script_unusable", reason=str(why.value))
    assert str(why.value) and str(why.value) in str(error)


def test_unknown_setting_is_refused(db, team):
    with pytest.raises(ValidationError) as caught:
        update(db, team, "colour", "red")
    assert caught.value.message_key == "settings.unknown"


# --- who may change settings ----------------------------------------------------------


def test_only_an_active_manager_may_change_a_setting(db, team):
    for by in (team.receptionist.id, team.consultants[0].id, 9999):
        with pytest.raises(StaffError) as caught:
            update(db, team, "clinic_name", "别的名字", by=by)
        assert caught.value.message_key == "staff.manager_only"
    with db.write() as session:
        second = staff_service.add_staff(session, name="钱经理", role="manager", pin="123456",
                                         by=team.manager.id)
        staff_service.update_staff(session, second.id, active=False, by=team.manager.id)
    with pytest.raises(StaffError):
        update(db, team, "clinic_name", "别的名字", by=second.id)
    with db.write() as session, pytest.raises(StaffError):
        settings.update(session, "clinic_name", "别的名字", by=None)
    assert stored(db, "clinic_name") == "科医美"
    assert changes(db, "clinic_name") == []


def test_the_manager_check_comes_before_the_value_check(db, team):
    with pytest.raises(StaffError):
        update(db, team, "closing_time", "not a time", by=team.receptionist.id)


def test_an_unchanged_value_is_not_audited_again(db, team):
    update(db, team, "closing_time", "20:00")
    update(db, team, "closing_time", "20:00")
    assert len(changes(db, "closing_time")) == 1
    # A default typed again becomes a stored row once.
    update(db, team, "callback_max_attempts", "5")
    update(db, team, "callback_max_attempts", "5")
    assert len(changes(db, "callback_max_attempts")) == 1


# --- format and parse agree -----------------------------------------------------------


@pytest.mark.parametrize("key", [key for key in settings.EDITABLE if key != "clinic_name"])
def test_every_default_reads_back_from_its_format(key):
    assert settings.parse(key, settings.format(key, settings.DEFAULTS[key])) == \
        settings.DEFAULTS[key]


def test_every_setting_has_a_label_and_a_unit_in_both_languages():
    from reception.i18n import catalogue

    for key in settings.EDITABLE:
        assert f"settings.label.{key}" in catalogue()
        assert f"settings.unit.{key}" in catalogue()


@hypothesis_settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=130))
def test_any_clinic_name_is_refused_or_stored_exactly(db, team, text):
    try:
        value = update(db, team, "clinic_name", text)
    except ValidationError as error:
        assert error.field == "clinic_name"
        return
    assert value == text.strip()
    assert stored(db, "clinic_name") == text.strip()
