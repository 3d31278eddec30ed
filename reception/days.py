"""Whether a day is open for writes: a signed-off day is read-only until a manager reopens it.

Every domain write that belongs to a day calls ``ensure_open`` first.
"""

from datetime import date

from sqlmodel import Session, select

from models import DayEvent
from reception.errors import DayClosedError


def latest_event(session: Session, day: date) -> DayEvent | None:
    return session.exec(
        select(DayEvent).where(DayEvent.day == day).order_by(DayEvent.id.desc()).limit(1)
    ).first()


def is_signed_off(session: Session, day: date) -> bool:
    event = latest_event(session, day)
    return event is not None and event.kind == "signoff"


def ensure_open(session: Session, day: date) -> None:
    if is_signed_off(session, day):
        raise DayClosedError("day.signed_off", day=day.isoformat())
