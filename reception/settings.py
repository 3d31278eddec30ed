"""Clinic settings: typed defaults, stored as JSON values in the ``setting`` table.

``load(session)`` reads them all into one typed, frozen ``Settings``: what the rules read.
``get``/``put`` read and write one stored value (the settings editor's way in).
``update`` is the manager's way in: it parses the text typed for one setting (``parse``),
refuses a value that breaks the setting's rule with a ``ValidationError`` naming the
setting, stores it and audits it.
``format`` turns a stored value back into the text a manager would type for it.
"""

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sqlmodel import Session, select

from models import Setting
from reception import audit, site_settings, times
from reception.clock import clock
from reception.db import chain_lock
from reception.errors import ValidationError
from reception.i18n import t
from reception.permissions import require_manager
from reception.text import narrow

DEFAULTS: dict[str, Any] = {
    "clinic_name": "",
    # Minutes a visit may stay in one status before the board highlights it.
    "alert_minutes": {"waiting": 15, "with_consultant": 60, "with_doctor": 30, "in_treatment": 120},
    "opening_hours": ["09:00", "21:00"],
    # Keys still out at closing time are flagged and become night-check findings.
    "closing_time": "21:00",
    "callback_max_attempts": 5,
    "callback_retry_hours": 3,
    # Path of a manager-supplied call script file ("" = the built-in script).
    "call_script_path": "",
    # Wrong PINs in a row that lock a staff member, and for how many minutes.
    "sign_in_lock": {"failures": 5, "minutes": 15},
    # Stays: the deposit asked at check-in and what a lost room card takes off it, in fen
    # (seed 003 §4.5.1 3.4: 200 yuan a card).
    "stay_fees": {"deposit": 200000, "lost_card": 20000},
    # Areas this site does not use (by name: "stays", "triage", …): off the dashboard,
    # the F-keys, F1 and Ctrl+P.
    "areas_off": [],
    # When the advertising lights go on (seed 002 §9): dusk, per season (F8's checklists).
    "dusk_times": {"spring": "18:00", "summer": "19:00", "autumn": "17:30", "winter": "17:00"},
    # A patrol of the rooms every so many minutes in opening hours (seed 001 3.3.1.5).
    "patrol_minutes": 30,
}

#: The settings a manager edits, in the order the settings screen shows them.
EDITABLE = ("clinic_name", "opening_hours", "closing_time", "callback_max_attempts",
            "callback_retry_hours", "alert_minutes", "call_script_path",
            "sign_in_lock", "stay_fees", "areas_off")
#: The statuses of ``alert_minutes``, in the order they are typed.
ALERT_STATUSES = ("waiting", "with_consultant", "with_doctor", "in_treatment")
CLINIC_NAME_MAX = 100
MAX_ATTEMPTS_RANGE = (1, 20)
RETRY_HOURS_RANGE = (0.5, 48.0)
ALERT_MINUTES_RANGE = (1, 999)
MAX_FAILURES_RANGE = (3, 20)
LOCK_MINUTES_RANGE = (1, 1440)
PATROL_MINUTES_RANGE = (10, 240)
#: The seasons of ``dusk_times``, in the order they are typed; by month (north of the
#: equator): spring from March, summer from June, autumn from September, winter from December.
SEASONS = ("spring", "summer", "autumn", "winter")

# Opening and closing hours: two times apart by a dash, tilde, 到/至, comma or spaces.
_TWO_TIMES = re.compile(r"(\S+?)\s*(?:[-–—~～,，]|到|至|\s)\s*(\S+)")
_SEPARATORS = re.compile(r"[\s,，/、;；]+")


@dataclass(frozen=True)
class Settings:
    """The clinic's settings, typed, as stored (or the defaults where nothing is)."""

    clinic_name: str
    #: Minutes a visit may stay in each status (``ALERT_STATUSES``) before it is flagged.
    alert_minutes: Mapping[str, int]
    #: ``("09:00", "21:00")``
    opening_hours: tuple[str, str]
    closing_time: str
    callback_max_attempts: int
    callback_retry_hours: float
    #: A manager-supplied call script ("" = the built-in one).
    call_script_path: str = ""
    #: Fen asked as the stay's deposit, and kept from it for each lost room card.
    stay_deposit: int = 200000
    lost_card_fee: int = 20000
    #: Names of the areas switched off at this site.
    areas_off: tuple[str, ...] = ()
    #: Dusk by season (``SEASONS``): the advertising lights' due time.
    dusk_times: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType(dict(DEFAULTS["dusk_times"])))
    patrol_minutes: int = DEFAULTS["patrol_minutes"]

    def dusk_on(self, day) -> time:
        """The dusk checklist's due time on ``day`` (its season's setting)."""
        return times.time_of(self.dusk_times[season_of(day)])

    @property
    def opens(self) -> time:
        return times.time_of(self.opening_hours[0])

    @property
    def closes(self) -> time:
        return times.time_of(self.opening_hours[1])

    @property
    def closing(self) -> time:
        """Keys still out after it are flagged (``closing_time``)."""
        return times.time_of(self.closing_time)


def season_of(day) -> str:
    return SEASONS[((day.month - 3) % 12) // 3]


def _typed(values: dict[str, Any]) -> Settings:
    def value(key: str, kind: type, check=lambda _value: True) -> Any:
        try:
            typed = kind(values[key])
        except (TypeError, ValueError):
            return kind(DEFAULTS[key])
        return typed if check(typed) else kind(DEFAULTS[key])

    def is_hhmm(text: str) -> bool:
        try:
            times.time_of(text)
        except ValidationError:
            return False
        return True

    alerts = dict(DEFAULTS["alert_minutes"])
    if isinstance(values["alert_minutes"], dict):
        alerts.update({status: int(minutes)
                       for status, minutes in values["alert_minutes"].items()
                       if status in alerts and isinstance(minutes, int | float)})
    hours = values["opening_hours"]
    if not (isinstance(hours, list | tuple) and len(hours) == 2
            and all(isinstance(text, str) and is_hhmm(text) for text in hours)):
        hours = DEFAULTS["opening_hours"]
    fees = dict(DEFAULTS["stay_fees"])
    if isinstance(values["stay_fees"], dict):
        fees.update({name: int(amount) for name, amount in values["stay_fees"].items()
                     if name in fees and isinstance(amount, int)
                     and 0 <= amount <= site_settings.FEE_MAX})
    off = values["areas_off"] if isinstance(values["areas_off"], list | tuple) else ()
    off = tuple(name for name in off if name in site_settings.switchable_areas())
    dusk = dict(DEFAULTS["dusk_times"])
    if isinstance(values["dusk_times"], dict):
        dusk.update({season: text for season, text in values["dusk_times"].items()
                     if season in dusk and isinstance(text, str) and is_hhmm(text)})
    low, high = PATROL_MINUTES_RANGE
    return Settings(
        stay_deposit=fees["deposit"],
        lost_card_fee=fees["lost_card"],
        areas_off=off,
        clinic_name=value("clinic_name", str),
        alert_minutes=MappingProxyType(alerts),
        opening_hours=(hours[0], hours[1]),
        closing_time=value("closing_time", str, is_hhmm),
        callback_max_attempts=value("callback_max_attempts", int),
        callback_retry_hours=value("callback_retry_hours", float, math.isfinite),
        call_script_path=value("call_script_path", str),
        dusk_times=MappingProxyType(dusk),
        patrol_minutes=value("patrol_minutes", int, lambda minutes: low <= minutes <= high),
    )


def load(session: Session) -> Settings:
    """Every setting in one read, typed; a value missing (or unreadable) is the default.
    Read once per session (a refresh asks from several places); ``put`` forgets it."""
    if "settings" in session.info:
        return session.info["settings"]
    values = dict(DEFAULTS)
    for row in session.exec(select(Setting).where(Setting.key.in_(list(DEFAULTS)))):
        try:
            stored = json.loads(row.value)
        except ValueError:
            continue
        if stored is not None:
            values[row.key] = stored
    session.info["settings"] = _typed(values)
    return session.info["settings"]


def get(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row.value)


def put(session: Session, key: str, value: Any, *, by: int | None = None) -> None:
    chain_lock(session, "setting", key)  # the settings are the chain's: one row per key
    session.info.pop("settings", None)
    row = session.get(Setting, key) or Setting(key=key, updated_at=clock.now_utc())
    row.value = json.dumps(value, ensure_ascii=False)
    row.updated_at = clock.now_utc()
    row.updated_by_id = by
    session.add(row)


# --- parsing what a manager typed -----------------------------------------------------


def _hhmm_text(text: str, field: str) -> str:
    return times.hhmm(text, field=field, message="settings.bad_time")


def _clinic_name(text: str) -> str:
    name = text.strip()
    if not name:
        raise ValidationError("clinic_name", "settings.clinic_name.required")
    if len(name) > CLINIC_NAME_MAX:
        raise ValidationError("clinic_name", "settings.clinic_name.too_long",
                              limit=CLINIC_NAME_MAX, length=len(name))
    # The name is said on every call and printed in reports: no line breaks, no escapes.
    if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in name):
        raise ValidationError("clinic_name", "settings.clinic_name.control")
    return name


def _opening_hours(text: str) -> list[str]:
    match = _TWO_TIMES.fullmatch(narrow(text).strip())
    if match is None:
        raise ValidationError("opening_hours", "settings.opening_hours.format",
                              value=text.strip())
    opening = _hhmm_text(match[1], "opening_hours")
    closing = _hhmm_text(match[2], "opening_hours")
    if opening >= closing:
        raise ValidationError("opening_hours", "settings.opening_hours.order",
                              opening=opening, closing=closing)
    return [opening, closing]


def _whole_number(key: str, text: str, low: int, high: int) -> int:
    cleaned = narrow(text).strip()
    try:
        number = int(cleaned)
    except ValueError:
        raise ValidationError(key, "settings.whole_number", low=low, high=high,
                              value=cleaned) from None
    if not low <= number <= high:
        raise ValidationError(key, "settings.whole_number", low=low, high=high, value=cleaned)
    return number


def _retry_hours(text: str) -> int | float:
    low, high = RETRY_HOURS_RANGE
    cleaned = narrow(text).strip()
    try:
        hours = float(cleaned)
    except ValueError:
        hours = math.nan
    if not low <= hours <= high:  # also refuses nan and inf
        raise ValidationError("callback_retry_hours", "settings.retry_hours", low=f"{low:g}",
                              high=f"{high:g}", value=cleaned)
    return int(hours) if hours.is_integer() else hours


def _alert_minutes(text: str) -> dict[str, int]:
    low, high = ALERT_MINUTES_RANGE
    parts = [part for part in _SEPARATORS.split(narrow(text).strip()) if part]
    if len(parts) != len(ALERT_STATUSES):
        raise ValidationError("alert_minutes", "settings.alert_minutes.count",
                              count=len(parts))
    minutes: dict[str, int] = {}
    for status, part in zip(ALERT_STATUSES, parts, strict=True):
        try:
            number = int(part)
        except ValueError:
            number = 0
        if not low <= number <= high:
            raise ValidationError("alert_minutes", "settings.alert_minutes.range",
                                  status=t(f"settings.alert.{status}"), low=low, high=high,
                                  value=part)
        minutes[status] = number
    return minutes


def _sign_in_lock(text: str) -> dict[str, int]:
    """``"5 15"``: lock after 5 wrong PINs in a row, for 15 minutes."""
    parts = [part for part in _SEPARATORS.split(text.strip()) if part]
    if len(parts) != 2:
        raise ValidationError("sign_in_lock", "settings.sign_in_lock.format",
                              value=text.strip())
    (low_count, high_count), (low_minutes, high_minutes) = (MAX_FAILURES_RANGE,
                                                            LOCK_MINUTES_RANGE)
    failures = _whole_number("sign_in_lock", parts[0], low_count, high_count)
    minutes = _whole_number("sign_in_lock", parts[1], low_minutes, high_minutes)
    return {"failures": failures, "minutes": minutes}


def _dusk_times(text: str) -> dict[str, str]:
    """``"18:00 19:00 17:30 17:00"``: spring, summer, autumn, winter."""
    parts = [part for part in _SEPARATORS.split(narrow(text).strip()) if part]
    if len(parts) != len(SEASONS):
        raise ValidationError("dusk_times", "settings.dusk_times.count", count=len(parts))
    return {season: _hhmm_text(part, "dusk_times")
            for season, part in zip(SEASONS, parts, strict=True)}


def _call_script_path(text: str) -> str:
    from reception import script

    cleaned = text.strip()
    if not cleaned:
        return ""
    path = Path(cleaned).expanduser().absolute()
    try:
        script.load_file(path)
    except script.ScriptError as error:
        raise ValidationError("call_script_path", "settings.script_unusable",
                              reason=str(error)) from None
    return str(path)


_PARSERS = {
    "clinic_name": _clinic_name,
    "opening_hours": _opening_hours,
    "closing_time": lambda text: _hhmm_text(text, "closing_time"),
    "callback_max_attempts": lambda text: _whole_number(
        "callback_max_attempts", text, *MAX_ATTEMPTS_RANGE),
    "callback_retry_hours": _retry_hours,
    "alert_minutes": _alert_minutes,
    "call_script_path": _call_script_path,
    "sign_in_lock": _sign_in_lock,
    "stay_fees": site_settings.stay_fees,
    "areas_off": site_settings.areas_off,
    "dusk_times": _dusk_times,
    "patrol_minutes": lambda text: _whole_number("patrol_minutes", text,
                                                 *PATROL_MINUTES_RANGE),
}


def parse(key: str, text: str) -> Any:
    """The value of ``key`` from the text typed for it; ValidationError(key, …) if not."""
    parser = _PARSERS.get(key)
    if parser is None:
        raise ValidationError(key, "settings.unknown", key=key)
    return parser(text)


def format(key: str, value: Any) -> str:  # noqa: A001 - the counterpart of parse
    """A stored value as the manager types it (what ``parse`` reads back to the same)."""
    if value is None:
        return ""
    if key == "opening_hours":
        return f"{value[0]}-{value[1]}"
    if key == "alert_minutes":
        merged = {**DEFAULTS["alert_minutes"], **value}
        return " ".join(str(merged[status]) for status in ALERT_STATUSES)
    if key == "callback_retry_hours":
        return f"{float(value):g}"
    if key == "sign_in_lock":
        merged = {**DEFAULTS["sign_in_lock"], **value}
        return f"{merged['failures']} {merged['minutes']}"
    if key in ("stay_fees", "areas_off"):
        return site_settings.format_value(key, value, DEFAULTS[key])
    if key == "dusk_times":
        merged = {**DEFAULTS["dusk_times"], **value}
        return " ".join(merged[season] for season in SEASONS)
    return str(value)


def editable_texts(session: Session) -> dict[str, str]:
    """Each setting the manager may change, as she types it (``format`` of the stored)."""
    return {key: format(key, get(session, key)) for key in EDITABLE}


def update(session: Session, key: str, text: str, *, by: int | None) -> Any:
    """A manager sets one setting from the text typed for it; returns the stored value.

    Refused for anyone but an active manager, and for a value breaking the setting's rule
    (nothing is stored then). A value equal to the stored one is neither written nor
    audited again.
    """
    require_manager(session, by)
    value = parse(key, text)
    if key == "closing_time":
        # Keys still out after it are flagged: before opening, every loan would be.
        opens = load(session).opening_hours[0]
        if times.time_of(value) <= times.time_of(opens):
            raise ValidationError(key, "settings.closing_before_opening", opening=opens)
    old = get(session, key)
    if value == old and session.get(Setting, key) is not None:
        return value
    put(session, key, value, by=by)
    audit.record(session, by=by, action="setting_changed", record_type="setting", key=key,
                 value=value, old=old)
    return value
