"""The board: everyone in the building now, the status each visit moves through, and a
visit's detail.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import (
    Customer,
    Role,
    Staff,
    Visit,
    Visitor,
    VisitStatus,
)
from reception import (
    audit,
    days,
    settings,
)
from reception import staff as staff_service
from reception.clock import clock
from reception.visits import TriageError, get_visit

BOARD_LIMIT = 200


#: The order a visit moves on through, one key at a time; ``left`` needs an outcome.
STATUS_FLOW = [VisitStatus.WAITING, VisitStatus.WITH_CONSULTANT, VisitStatus.WITH_DOCTOR,
               VisitStatus.IN_TREATMENT, VisitStatus.LEFT]


# --- the board ------------------------------------------------------------------------
@dataclass
class BoardRow:
    """One person in the building: a customer's visit or a visitor."""

    record_type: str  # visit, visitor
    record_id: int
    name: str
    phone: str
    status: str  # a VisitStatus, or visitor:<decision>
    with_whom: str
    since: datetime
    path: str
    is_new: bool
    alert: bool
    case_number: str | None = None

    def minutes(self, now: datetime) -> int:
        return max(int((now - self.since).total_seconds() // 60), 0)


def board(session: Session, day: date | None = None) -> list[BoardRow]:
    """Everyone in the building now, longest-waiting first (indexed by day and status)."""
    day = day or clock.today()
    now = clock.now_utc()
    alerts = settings.load(session).alert_minutes
    rows: list[BoardRow] = []
    visits = session.exec(
        select(Visit, Customer, Staff.name)
        .join(Customer, Customer.id == Visit.customer_id)
        .outerjoin(Staff, Staff.id == Visit.consultant_id)
        .where(Visit.day == day, col(Visit.status).in_(STATUS_FLOW[:-1]))
        .order_by(Visit.arrived_at, Visit.id)
        .limit(BOARD_LIMIT)
    ).all()
    for visit, customer, consultant_name in visits:
        limit = alerts.get(visit.status)
        over = limit is not None and (now - visit.status_since).total_seconds() > limit * 60
        rows.append(BoardRow("visit", visit.id, customer.name, customer.phone, visit.status,
                             consultant_name or "", visit.status_since, visit.path,
                             visit.is_new, over, customer.case_number))
    visitors = session.exec(
        select(Visitor).where(Visitor.day == day, col(Visitor.left_at).is_(None))
        .order_by(Visitor.arrived_at, Visitor.id).limit(BOARD_LIMIT)
    ).all()
    for visitor in visitors:
        limit = alerts.get("visitor", alerts.get("waiting"))
        over = (visitor.decision == "pending" and limit is not None
                and (now - visitor.arrived_at).total_seconds() > limit * 60)
        rows.append(BoardRow("visitor", visitor.id, visitor.name, visitor.phone,
                             f"visitor:{visitor.decision}", visitor.host, visitor.arrived_at,
                             visitor.kind, False, over))
    return rows


def move_status(session: Session, visit_id: int, *, by: int | None, to: str | None = None,
                back: bool = False) -> Visit:
    """Move a visit on to the next status (or ``to`` a given one, or one ``back``).

    Leaving needs an outcome: use ``record_outcome``.
    """
    visit = get_visit(session, visit_id)
    days.ensure_open(session, visit.day)
    if visit.status == VisitStatus.LEFT:
        raise TriageError("triage.already_left")
    index = STATUS_FLOW.index(VisitStatus(visit.status))
    if to is not None:
        target = VisitStatus(to)
    elif back:
        if index == 0:
            raise TriageError("triage.no_earlier_status")
        target = STATUS_FLOW[index - 1]
    else:
        target = STATUS_FLOW[index + 1]
    if target == VisitStatus.LEFT:
        raise TriageError("triage.outcome_needed")
    if target == VisitStatus.WITH_CONSULTANT and visit.consultant_id is None:
        # The board would say "with consultant" and name nobody.
        raise TriageError("triage.consultant_needed")
    previous = visit.status
    visit.status = target
    visit.status_since = clock.now_utc()
    session.add(visit)
    audit.record(session, by=by, action="visit_status", record_type="visit", record_id=visit.id,
                 before=previous, after=target.value)
    return visit


# --- looking up -------------------------------------------------------------------------
@dataclass
class VisitDetail:
    visit: Visit
    customer: Customer
    consultant: Staff | None


def visit_detail(session: Session, visit_id: int) -> VisitDetail:
    visit = get_visit(session, visit_id)
    customer = session.get(Customer, visit.customer_id)
    consultant = session.get(Staff, visit.consultant_id) if visit.consultant_id else None
    return VisitDetail(visit, customer, consultant)


def latest_visit_of(session: Session, customer_id: int) -> Visit | None:
    return session.exec(
        select(Visit).where(Visit.customer_id == customer_id)
        .order_by(col(Visit.day).desc(), col(Visit.id).desc()).limit(1)
    ).first()


def consultants(session: Session) -> list[Staff]:
    """Every active consultant (for fixing a visit's consultant afterwards)."""
    return staff_service.list_staff(session, role=Role.CONSULTANT)
