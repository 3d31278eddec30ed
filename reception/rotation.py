"""The consultants' rotation (seed 002, D2): who takes the next new customer.

The day's rota gives the order; a consultant busy with a customer (waiting for them or
with them) is passed over, and the one whose last new customer came longest ago is next.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, case, col, func, select

from models import (
    Appointment,
    Customer,
    Role,
    Staff,
    Visit,
    VisitStatus,
)
from reception import staff as staff_service

#: A consultant holding a visit in one of these statuses is "with a customer".
BUSY_STATUSES = (VisitStatus.WAITING, VisitStatus.WITH_CONSULTANT)


# --- the rotation -------------------------------------------------------------------
@dataclass
class RotationSlot:
    """A consultant on today's rota and where they stand in the rotation."""

    consultant: Staff
    position: int
    busy: bool
    new_today: int
    visits_today: int
    last_new_at: datetime | None

    @property
    def sort_key(self) -> tuple:
        # Free before busy; then fewest new customers today; then the one who got a new
        # customer longest ago (never yet = first); then rota order.
        last = self.last_new_at.timestamp() if self.last_new_at else float("-inf")
        return (self.busy, self.new_today, last, self.position)


def rotation(session: Session, day: date) -> list[RotationSlot]:
    """Consultants on duty ``day``, the next one to receive a new customer first.

    Fair round-robin: a consultant with a customer (waiting for them or with them) is
    skipped while another is free; among the free ones the fewest new customers today
    goes next, then the one whose last new customer is oldest, then rota order. When every
    consultant is busy the same order says who takes the next customer when free.
    """
    on_duty = staff_service.on_duty(session, day, role=Role.CONSULTANT)
    if not on_duty:
        return []
    ids = [consultant.id for consultant in on_duty]
    # Counted by the store, one row per consultant (not every visit of the day).
    is_new = col(Visit.is_new).is_(True)
    counts = {row[0]: row[1:] for row in session.exec(
        select(Visit.consultant_id,
               func.max(case((col(Visit.status).in_(BUSY_STATUSES), 1), else_=0)),
               func.sum(case((is_new, 1), else_=0)),
               func.count(),
               func.max(case((is_new, Visit.arrived_at), else_=None)))
        .where(Visit.day == day, col(Visit.consultant_id).in_(ids))
        .group_by(Visit.consultant_id)
    ).all()}
    slots = []
    for position, consultant in enumerate(on_duty):
        busy, new_today, visits_today, last_new_at = counts.get(consultant.id, (0, 0, 0, None))
        slots.append(RotationSlot(
            consultant=consultant,
            position=position,
            busy=bool(busy),
            new_today=int(new_today or 0),
            visits_today=int(visits_today),
            last_new_at=last_new_at,
        ))
    return sorted(slots, key=lambda slot: slot.sort_key)


def next_consultant(session: Session, day: date) -> Staff | None:
    """The consultant the rotation gives the next new customer to (None: nobody on duty)."""
    slots = rotation(session, day)
    return slots[0].consultant if slots else None


def proposed_consultant(
    session: Session, day: date, *, customer: Customer | None = None,
    appointment: Appointment | None = None,
) -> tuple[Staff | None, str]:
    """Who to send this customer to, and why: ``own``, ``appointment`` or ``rotation``.

    A returning customer goes to their own consultant and a booked one to the consultant of
    the appointment, when that consultant is on duty today; otherwise the rotation decides.
    """
    for wanted, reason in ((appointment.consultant_id if appointment else None, "appointment"),
                           (customer.consultant_id if customer else None, "own")):
        if wanted is not None and staff_service.is_on_duty(session, wanted, day):
            consultant = session.get(Staff, wanted)
            if consultant is not None and consultant.active:
                return consultant, reason
    return next_consultant(session, day), "rotation"


def passed_over(
    session: Session, day: date, *, customer: Customer | None = None,
    appointment: Appointment | None = None,
) -> Staff | None:
    """The customer's own (or the appointment's) consultant when they are not on duty on
    ``day`` and the rotation decides instead: the desk says so (``triage.own_off_duty``)
    rather than silently sending the customer to someone else."""
    proposed, reason = proposed_consultant(session, day, customer=customer,
                                           appointment=appointment)
    if reason != "rotation":
        return None
    for wanted in (appointment.consultant_id if appointment else None,
                   customer.consultant_id if customer else None):
        if wanted is not None:
            return session.get(Staff, wanted)
    return None


def is_busy(session: Session, consultant_id: int, day: date) -> bool:
    return session.exec(
        select(Visit.id).where(Visit.consultant_id == consultant_id, Visit.day == day,
                               col(Visit.status).in_(BUSY_STATUSES)).limit(1)
    ).first() is not None
