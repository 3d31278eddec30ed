"""Whether a day is open for writes: a signed-off day is read-only until a manager reopens it.

Every domain write that belongs to a day calls ``ensure_open`` first.
"""

import json
from datetime import date, timedelta

from sqlmodel import Session, select

from models import DayEvent, Staff
from reception import audit, settings, times
from reception.clock import clock
from reception.db import whole_branch
from reception.errors import DayClosedError, ReceptionError, ValidationError
from reception.permissions import require_manager


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


class DayError(ReceptionError):
    """Signing off or reopening a day was refused."""


def opening_time(session: Session) -> str:
    return settings.load(session).opening_hours[0]


def has_opened(session: Session) -> bool:
    """Whether today's opening time has come (before it, "today" has had no business)."""
    return clock.now().time() >= times.time_of(opening_time(session))


def night_check_day(session: Session) -> date:
    """The day a night check means by default: today, or yesterday before opening time."""
    today = clock.today()
    return today if has_opened(session) else today - timedelta(days=1)


def sign_off(session: Session, day: date, *, by: int | None, snapshot: dict) -> DayEvent:
    """Sign ``day`` off (who, when, and ``snapshot``: the counts and findings of that moment).

    ``reconcile.sign_off`` takes the night check's report as the snapshot. Run inside
    ``db.write()`` so two terminals cannot both sign the same day off; on a server the unit
    holds the whole branch (``reception.db.whole_branch``): every write of the day before
    it is in the snapshot, and none after it lands on the signed-off day.
    """
    whole_branch(session)
    if by is None or session.get(Staff, by) is None:
        raise DayError("reconcile.who_required")
    if day > clock.today():
        raise DayError("reconcile.future_day", day=day.isoformat())
    if day == clock.today() and not has_opened(session):
        # After midnight the night shift is closing yesterday, not the day just begun.
        raise DayError("reconcile.not_opened_yet", day=day.isoformat(),
                       opening=opening_time(session))
    if is_signed_off(session, day):
        raise DayError("reconcile.already_signed_off", day=day.isoformat())
    event = DayEvent(day=day, kind="signoff", created_at=clock.now_utc(), created_by_id=by,
                     snapshot=json.dumps(snapshot, ensure_ascii=False, default=str))
    session.add(event)
    session.flush()
    audit.record(session, by=by, action="day_signoff", record_type="day_event",
                 record_id=event.id, day=day.isoformat(),
                 findings=len(snapshot.get("findings", [])))
    return event


def reopen(session: Session, day: date, *, by: int | None, reason: str) -> DayEvent:
    """A manager reopens a signed-off day; the reason is kept (day_event + audit trail)."""
    whole_branch(session)
    require_manager(session, by, error=DayError, message="reconcile.reopen_manager_only")
    if not reason.strip():
        raise ValidationError("reason", "reconcile.reason_required")
    if not is_signed_off(session, day):
        raise DayError("reconcile.not_signed_off", day=day.isoformat())
    event = DayEvent(day=day, kind="reopen", reason=reason.strip(),
                     created_at=clock.now_utc(), created_by_id=by)
    session.add(event)
    session.flush()
    audit.record(session, by=by, action="day_reopen", record_type="day_event",
                 record_id=event.id, day=day.isoformat(), reason=reason.strip())
    return event


def signoff_snapshot(session: Session, day: date) -> dict | None:
    """The counts and findings stored by the day's current sign-off (None when open)."""
    event = latest_event(session, day)
    if event is None or event.kind != "signoff":
        return None
    return json.loads(event.snapshot or "{}")
