"""What every part of triage shares: its errors and finding a visit.
"""

from datetime import date

from sqlmodel import Session, col, select

from models import (
    Role,
    Staff,
    Visit,
    VisitStatus,
)
from reception.clock import clock
from reception.db import chain_lock, keyed_unit
from reception.errors import ReceptionError


class TriageError(ReceptionError):
    pass


class AlreadyHereError(TriageError):
    """The customer is in the building already: ``visit_id`` is their open visit today."""

    def __init__(self, name: str, visit_id: int) -> None:
        super().__init__("triage.already_here", name=name)
        self.visit_id = visit_id


def open_visit_today(session: Session, customer_id: int | None,
                     day: date | None = None) -> Visit | None:
    """The customer's visit today that has not ended (they are on the board), if any.

    A customer is triaged once per stay: the desk jumps to this visit instead of starting a
    second one.
    """
    if customer_id is None:
        return None
    return session.exec(
        select(Visit).where(Visit.customer_id == customer_id, Visit.day == (day or clock.today()),
                            Visit.status != VisitStatus.LEFT)
        .order_by(col(Visit.id).desc()).limit(1)
    ).first()


# --- starting a visit -----------------------------------------------------------------
def check_consultant(session: Session, consultant_id: int | None) -> Staff | None:
    if consultant_id is None:
        return None
    consultant = session.get(Staff, consultant_id)
    if consultant is None or not consultant.active or consultant.role != Role.CONSULTANT:
        raise TriageError("triage.not_a_consultant")
    return consultant


def hold_visit(session: Session, visit_id: int) -> None:
    """Before anything else in a unit of work that ends or changes one visit: the visit's
    own lock, so two counters closing the same visit at once take turns (the second sees
    it ended), while the branch's other counters keep saving (``reception.db.keyed_unit``).
    """
    keyed_unit(session)
    chain_lock(session, "visit", visit_id)


def get_visit(session: Session, visit_id: int) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise TriageError("triage.visit_not_found")
    return visit
