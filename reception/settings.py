"""Clinic settings: typed defaults, stored as JSON values in the ``setting`` table."""

import json
from typing import Any

from sqlmodel import Session

from models import Setting
from reception.clock import clock

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
}


def get(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row.value)


def put(session: Session, key: str, value: Any, *, by: int | None = None) -> None:
    row = session.get(Setting, key) or Setting(key=key, updated_at=clock.now_utc())
    row.value = json.dumps(value, ensure_ascii=False)
    row.updated_at = clock.now_utc()
    row.updated_by_id = by
    session.add(row)
