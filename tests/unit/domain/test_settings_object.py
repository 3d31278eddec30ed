"""One typed settings object: the rules read ``settings.load(session)``."""

import dataclasses
from datetime import time

import pytest

from models import Setting
from reception import settings
from reception.clock import clock


def test_defaults_when_nothing_is_stored(db):
    with db.read() as session:
        loaded = settings.load(session)
    assert loaded.opening_hours == ("09:00", "21:00")
    assert (loaded.opens, loaded.closes, loaded.closing) == (time(9), time(21), time(21))
    assert loaded.callback_max_attempts == 5 and loaded.callback_retry_hours == 3.0
    assert dict(loaded.alert_minutes) == settings.DEFAULTS["alert_minutes"]
    assert loaded.call_script_path == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.closing_time = "22:00"  # type: ignore[misc]
    with pytest.raises(TypeError):
        loaded.alert_minutes["waiting"] = 1  # type: ignore[index]


def test_what_a_manager_stored_typed(db, team):
    with db.write() as session:
        for key, text in (("opening_hours", "８:３０-２０:００"), ("closing_time", "20:30"),
                          ("callback_max_attempts", "７"), ("callback_retry_hours", "1.5"),
                          ("alert_minutes", "10 50 25 90")):
            settings.update(session, key, text, by=team.manager.id)
    with db.read() as session:
        loaded = settings.load(session)
    assert loaded.clinic_name == "科医美"
    assert loaded.opening_hours == ("08:30", "20:00") and loaded.opens == time(8, 30)
    assert loaded.closing == time(20, 30)
    assert loaded.callback_max_attempts == 7 and loaded.callback_retry_hours == 1.5
    assert loaded.alert_minutes["with_consultant"] == 50
    # The editor's own view of one value is unchanged.
    with db.read() as session:
        assert settings.format("opening_hours", settings.get(session, "opening_hours")) \
            == "08:30-20:00"


def test_an_unreadable_stored_value_falls_back_to_its_default(db, team):
    with db.write() as session:
        for key, value in (("closing_time", '"25:99"'), ("opening_hours", '"nine"'),
                           ("callback_max_attempts", '"many"'), ("alert_minutes", "[1]"),
                           ("callback_retry_hours", "not json")):
            session.merge(Setting(key=key, value=value, updated_at=clock.now_utc()))
    with db.read() as session:
        loaded = settings.load(session)
    assert loaded.closing_time == "21:00" and loaded.opening_hours == ("09:00", "21:00")
    assert loaded.callback_max_attempts == 5 and loaded.callback_retry_hours == 3.0
    assert dict(loaded.alert_minutes) == settings.DEFAULTS["alert_minutes"]
