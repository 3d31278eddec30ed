"""Visitors who are not customers (seed 002, D3): the boss's guests, couriers, job
applicants. Logged at the desk, received or declined by their host, and seen out.
"""

from sqlmodel import Session

from models import (
    Visitor,
)
from reception import (
    audit,
    customers,
    days,
    phones,
)
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import ValidationError
from reception.visits import TriageError

VISITOR_KINDS = ("boss", "courier", "applicant", "other")


VISITOR_DECISIONS = ("pending", "received", "declined")


# --- visitors who are not customers ------------------------------------------------------
def log_visitor(
    session: Session,
    *,
    by: int | None,
    kind: str,
    name: str = "",
    phone: str = "",
    host: str = "",
    host_id: int | None = None,
    has_appointment: bool = False,
    reason: str = "",
) -> Visitor:
    """Someone at the desk who is not a customer: who, for whom, why. The host decides."""
    if kind not in VISITOR_KINDS:
        raise ValidationError("kind", "triage.visitor_kind_invalid")
    customers.check_name(name, "visitor_name")
    normalised = phones.normalise(phone) if phone.strip() else ""
    # Someone for the boss (or another staff member) needs the host to decide.
    if kind == "boss" and not host.strip() and host_id is None:
        raise ValidationError("visitor_host", "field.required")
    if host_id is None and host.strip():
        # For a member of staff (the name as the desk chose it): linked, so the board and
        # the records name them as they are named, not as typed.
        wanted = host.strip().casefold()
        member = next((member for member in staff_service.list_staff(session)
                       if member.name.casefold() == wanted), None)
        if member is not None:
            host, host_id = member.name, member.id
    day = clock.today()
    days.ensure_open(session, day)
    now = clock.now_utc()
    visitor = Visitor(
        day=day, name=name.strip(), phone=normalised, kind=kind, host=host.strip(),
        host_id=host_id, has_appointment=has_appointment, reason=reason.strip(),
        # A courier's parcel is signed for at the desk (seed 002 §13): nothing to decide.
        decision="received" if kind == "courier" else "pending",
        arrived_at=now, created_at=now, created_by_id=by,
    )
    session.add(visitor)
    session.flush()
    audit.record(session, by=by, action="visitor_log", record_type="visitor",
                 record_id=visitor.id, kind=kind)
    return visitor


def decide_visitor(session: Session, visitor_id: int, decision: str, *,
                   by: int | None) -> Visitor:
    """The host receives the visitor, or declines (the desk says they are out)."""
    if decision not in VISITOR_DECISIONS:
        raise ValidationError("decision", "triage.visitor_decision_invalid")
    visitor = session.get(Visitor, visitor_id)
    if visitor is None:
        raise TriageError("triage.visitor_not_found")
    days.ensure_open(session, visitor.day)
    visitor.decision = decision
    if decision == "declined" and visitor.left_at is None:
        visitor.left_at = clock.now_utc()
    session.add(visitor)
    audit.record(session, by=by, action="visitor_decision", record_type="visitor",
                 record_id=visitor.id, decision=decision)
    return visitor


def visitor_left(session: Session, visitor_id: int, *, by: int | None) -> Visitor:
    visitor = session.get(Visitor, visitor_id)
    if visitor is None:
        raise TriageError("triage.visitor_not_found")
    days.ensure_open(session, visitor.day)
    if visitor.left_at is None:
        visitor.left_at = clock.now_utc()
    session.add(visitor)
    audit.record(session, by=by, action="visitor_left", record_type="visitor",
                 record_id=visitor.id)
    return visitor
