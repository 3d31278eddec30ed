"""Sign-in lockout: too many wrong PINs in a row lock a staff member for a while.

The state lives in the audit trail itself (append-only, committed even when the sign-in
fails): ``sign_in_failed`` rows since the last success, lock or unlock count the wrong PINs
in a row; a ``sign_in_locked`` row holds the time the lock ends; a manager's
``sign_in_unlocked`` (or a successful sign-in) starts the count again. The limit and the
duration are the manager's setting ``sign_in_lock`` (``{"failures": 5, "minutes": 15}``).
Only the last day of the trail is read (through its index on ``at``): wrong PINs further
apart than that are not "in a row", and no lock lasts longer.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import arrow
from sqlmodel import Session, col, select

from models import AuditEntry, Staff
from reception import audit, settings
from reception.clock import clock
from reception.errors import AuthError, StaffError
from reception.permissions import require_manager

FAILED, LOCKED, UNLOCKED, SIGNED_IN = ("sign_in_failed", "sign_in_locked", "sign_in_unlocked",
                                       "sign_in")
#: Refused because locked (the PIN was not even checked): audited, not counted.
REFUSED_LOCKED = "sign_in_refused_locked"
_EVENTS = (FAILED, LOCKED, UNLOCKED, SIGNED_IN)
WINDOW = timedelta(days=1)


@dataclass(frozen=True)
class LockState:
    failures: int  # wrong PINs in a row since the last success, lock or unlock
    locked_until: datetime | None  # UTC; None when not locked now

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def _limits(session: Session) -> tuple[int, int]:
    value = {**settings.DEFAULTS["sign_in_lock"], **(settings.get(session, "sign_in_lock") or {})}
    return int(value["failures"]), int(value["minutes"])


def state(session: Session, staff_id: int) -> LockState:
    """How many wrong PINs in a row ``staff_id`` has, and until when they are locked."""
    limit, _minutes = _limits(session)
    rows = session.exec(
        select(AuditEntry.action, AuditEntry.detail)
        .where(AuditEntry.at >= clock.now_utc() - WINDOW, AuditEntry.record_type == "staff",
               AuditEntry.record_id == staff_id, col(AuditEntry.action).in_(_EVENTS))
        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit + 1)
    ).all()
    failures = 0
    for action, detail in rows:
        if action == FAILED:
            failures += 1
            continue
        if action == LOCKED:
            until = arrow.get(json.loads(detail or "{}").get("until", "1970-01-01T00:00:00Z"))
            if until.datetime > clock.now_utc():
                return LockState(failures=failures, locked_until=until.to("utc").datetime)
        break
    return LockState(failures=failures, locked_until=None)


def locked_until(session: Session, staff_id: int) -> datetime | None:
    """The end of ``staff_id``'s lock (UTC), or None when they may sign in."""
    return state(session, staff_id).locked_until


def until_text(until: datetime) -> str:
    """The end of a lock as the clinic reads it: ``14:35``, or with the date if not today."""
    local = clock.local(until)
    if local.date() == clock.today():
        return local.format("HH:mm")
    return local.format("YYYY-MM-DD HH:mm")


def refuse_if_locked(session: Session, staff_id: int) -> None:
    """AuthError ``auth.locked`` (saying until when) when ``staff_id`` is locked now; the
    refusal is audited in ``session``."""
    until = locked_until(session, staff_id)
    if until is None:
        return
    audit.record(session, by=None, action=REFUSED_LOCKED, record_type="staff",
                 record_id=staff_id, until=until.isoformat())
    raise AuthError("auth.locked", until=until_text(until))


def record_failure(session: Session, staff_id: int) -> AuthError:
    """Audit one wrong PIN; lock the staff member when it is one too many. Returns the
    error to raise (``auth.wrong_pin``, or ``auth.locked_now`` when this one locked)."""
    limit, minutes = _limits(session)
    failures = state(session, staff_id).failures + 1
    audit.record(session, by=None, action=FAILED, record_type="staff", record_id=staff_id,
                 in_a_row=failures)
    if failures < limit:
        return AuthError("auth.wrong_pin")
    until = clock.now().shift(minutes=minutes).to("utc").datetime
    audit.record(session, by=None, action=LOCKED, record_type="staff", record_id=staff_id,
                 until=until.isoformat(), failures=failures, minutes=minutes)
    return AuthError("auth.locked_now", count=failures, until=until_text(until))


def unlock(session: Session, staff_id: int, *, by: int | None) -> bool:
    """A manager lifts ``staff_id``'s lock (and clears their wrong PINs in a row).

    StaffError for anyone but an active manager or an unknown staff member; False (and
    nothing recorded) when there was nothing to lift."""
    require_manager(session, by)
    if session.get(Staff, staff_id) is None:
        raise StaffError("staff.not_found")
    current = state(session, staff_id)
    if not current.locked and current.failures == 0:
        return False
    audit.record(session, by=by, action=UNLOCKED, record_type="staff", record_id=staff_id,
                 was_locked_until=current.locked_until.isoformat()
                 if current.locked_until else None, failures=current.failures)
    return True
