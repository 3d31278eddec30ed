"""The key log read back: its history with names, keys out at closing (night check), and
the case-file requests of triage path C2 waiting for the archive key.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from models import CaseFileRequest, Customer, KeyEvent, KeyEventKind, RoomKey, Staff
from reception import audit, days, key_purposes
from reception.clock import clock
from reception.key_rooms import closing_time, list_keys
from reception.key_status import (
    LoanState,
    customer_names,
    events_of_loans,
    keys_out,
    loan_state,
    staff_by_id,
)

# The setting naming the key that opens the archive room (case files), set with the defaults.
HISTORY_LIMIT = 200


REQUEST_LIMIT = 50


# --- case-file requests (triage path C2) ---------------------------------------------
def request_case_file(
    session: Session, *, customer_id: int, by: int | None, visit_id: int | None = None,
    consultant_id: int | None = None,
) -> CaseFileRequest:
    """Ask for a customer's case file from the archive room (triage path C2 calls this)."""
    today = clock.today()
    days.ensure_open(session, today)
    request = CaseFileRequest(
        day=today, customer_id=customer_id, visit_id=visit_id, consultant_id=consultant_id,
        created_at=clock.now_utc(), created_by_id=by,
    )
    session.add(request)
    session.flush()
    audit.record(session, by=by, action="case_file_request", record_type="case_file_request",
                 record_id=request.id, customer_id=customer_id)
    return request


@dataclass(frozen=True)
class PendingRequest:
    request: CaseFileRequest
    customer: Customer
    consultant: Staff | None


def pending_requests(session: Session, *, days_back: int = 1) -> list[PendingRequest]:
    """Case files asked for (today and the day before) and not yet fetched, oldest first."""
    since = clock.today() - timedelta(days=days_back)
    rows = session.exec(
        select(CaseFileRequest, Customer)
        .join(Customer, Customer.id == CaseFileRequest.customer_id)
        .where(CaseFileRequest.day >= since, col(CaseFileRequest.fulfilled_at).is_(None))
        .order_by(CaseFileRequest.created_at)
        .limit(REQUEST_LIMIT)
    ).all()
    consultants = staff_by_id(session, {request.consultant_id for request, _ in rows})
    return [PendingRequest(request, customer, consultants.get(request.consultant_id))
            for request, customer in rows]


# --- history and the night check -----------------------------------------------------
@dataclass(frozen=True)
class LogLine:
    """One entry of the log with the names it refers to and, for a loan, how it ended."""

    event: KeyEvent
    key_name: str
    staff_name: str
    by_name: str
    approver_name: str = ""
    customer_name: str = ""
    state: LoanState | None = None

    @property
    def purpose(self) -> str:
        """What the key was lent for, in the UI language for a built-in purpose."""
        return key_purposes.shown(self.event, self.customer_name)


def history(
    session: Session,
    *,
    day: date | None = None,
    key_id: int | None = None,
    staff_id: int | None = None,
    limit: int = HISTORY_LIMIT,
) -> list[LogLine]:
    """Entries of the log, newest first, filtered by day, key and/or staff member."""
    query = select(KeyEvent).order_by(col(KeyEvent.id).desc()).limit(limit)
    if day is not None:
        query = query.where(KeyEvent.day == day)
    if key_id is not None:
        query = query.where(KeyEvent.key_id == key_id)
    if staff_id is not None:
        query = query.where(KeyEvent.staff_id == staff_id)
    events = list(session.exec(query).all())
    if not events:
        return []
    loan_ids = [e.id for e in events if e.kind == KeyEventKind.OUT]
    closing_events = events_of_loans(session, loan_ids)
    names = staff_by_id(session, {e.staff_id for e in events} | {e.created_by_id for e in events}
                         | {e.approved_by_id for e in events})
    key_names = {k.id: k.name for k in list_keys(session, active_only=False)}
    customers = customer_names(session, {e.customer_id for e in events})

    def name(staff_id: int | None) -> str:
        return names[staff_id].name if staff_id in names else ""

    return [
        LogLine(
            event=e, key_name=key_names.get(e.key_id, "?"), staff_name=name(e.staff_id),
            by_name=name(e.created_by_id), approver_name=name(e.approved_by_id),
            customer_name=customers.get(e.customer_id, ""),
            state=loan_state(e, closing_events[e.id]) if e.kind == KeyEventKind.OUT else None,
        )
        for e in events
    ]


@dataclass(frozen=True)
class ClosingFinding:
    """A key still out at closing time (a night-check finding); ``returned_at`` if it came
    back later, None while it is still out."""

    key: RoomKey
    loan: KeyEvent
    holder: Staff | None
    returned_at: datetime | None = None


def out_at_closing(session: Session, day: date) -> list[ClosingFinding]:
    """Keys out at the closing time of ``day``: lent that day and not back by closing, or
    lent earlier and still out."""
    closing = closing_time(session, day)
    loans = list(session.exec(
        select(KeyEvent).where(KeyEvent.day == day, KeyEvent.kind == KeyEventKind.OUT)
        .order_by(KeyEvent.at)
    ).all())
    closing_events = events_of_loans(session, [loan.id for loan in loans])
    keys_by_id = {key.id: key for key in list_keys(session, active_only=False)}
    findings: list[tuple[KeyEvent, datetime | None]] = []
    for loan in loans:
        state = loan_state(loan, closing_events[loan.id])
        if state.status == "voided" or loan.at > closing:
            continue
        if state.status == "open" or state.returned_at > closing:
            findings.append((loan, state.returned_at))
    findings += [(out.loan, None) for out in keys_out(session) if out.loan.day < day]
    holders = staff_by_id(session, {loan.staff_id for loan, _ in findings})
    return [ClosingFinding(keys_by_id[loan.key_id], loan, holders.get(loan.staff_id), back)
            for loan, back in findings]
