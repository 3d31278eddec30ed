"""During the stay: the first seven days' visits (seed 003 §4.6.3) and the requests and
complaints relayed to a department and tracked until done (seed 000 三.2 需求响应、投诉处理).

A complaint is promised an answer in ten minutes (§3.2 "十分钟内给您回话"): one not
answered by then is flagged on every status line (``overdue_complaints``).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from models import Contract, Customer, DailyVisit, StayRequest, StayRoom
from reception import audit
from reception.clock import clock
from reception.errors import ValidationError
from reception.stay_contracts import get
from reception.stay_rooms import StayError
from reception.stay_values import line

VISIT_DAYS = 7
REQUEST_KINDS = ("meal", "care", "room", "other", "complaint")
#: Departments a request is relayed to (the notice's six and housekeeping / the hotel).
REQUEST_DEPARTMENTS = ("nursing", "nurses", "repair", "nutritionist", "kitchen",
                       "housekeeping", "manager")
ANSWER_MINUTES = 10


@dataclass
class VisitDay:
    day_no: int
    day: date | None
    done_at: datetime | None
    note: str


def visits(session: Session, contract_id: int) -> list[VisitDay]:
    """The seven days' checklist of a stay (the day is known once she has arrived)."""
    contract = get(session, contract_id)
    done = {row.day_no: row for row in session.exec(
        select(DailyVisit).where(DailyVisit.contract_id == contract.id)).all()}
    start = contract.arrival_day if contract.status != "signed" else None
    return [VisitDay(n, start + timedelta(days=n - 1) if start else None,
                     done[n].at if n in done else None, done[n].note if n in done else "")
            for n in range(1, VISIT_DAYS + 1)]


def visit_day_of(contract: Contract, on: date | None = None) -> int | None:
    """Which of the first seven days ``on`` is for this stay (None outside them)."""
    if contract.status != "in_stay" or contract.arrival_day is None:
        return None
    number = ((on or clock.today()) - contract.arrival_day).days + 1
    return number if 1 <= number <= VISIT_DAYS else None


def mark_visit(session: Session, contract_id: int, day_no: int, note: str = "",
               *, by: int | None) -> DailyVisit:
    contract = get(session, contract_id)
    if contract.status != "in_stay":
        raise StayError("stays.not_in_stay", number=contract.number)
    today_no = visit_day_of(contract)
    if not 1 <= day_no <= VISIT_DAYS or (today_no is not None and day_no > today_no) or (
            today_no is None and contract.arrival_day + timedelta(days=day_no - 1)
            > clock.today()):
        raise ValidationError("day_no", "stays.visit_not_yet", day=day_no)
    if session.exec(select(DailyVisit.id).where(DailyVisit.contract_id == contract.id,
                                                DailyVisit.day_no == day_no)).first():
        raise ValidationError("day_no", "stays.visit_done", day=day_no)
    row = DailyVisit(contract_id=contract.id, day_no=day_no, at=clock.now_utc(),
                     note=line(note, "note", limit=1000), created_at=clock.now_utc(),
                     created_by_id=by)
    session.add(row)
    session.flush()
    audit.record(session, by=by, action="stay_visit", record_type="stay_visit",
                 record_id=row.id, day_no=day_no)
    return row


def add_request(session: Session, contract_id: int, *, kind: str, text: str,
                department: str, by: int | None) -> StayRequest:
    contract = get(session, contract_id)
    if contract.status != "in_stay":
        raise StayError("stays.not_in_stay", number=contract.number)
    if kind not in REQUEST_KINDS:
        raise ValidationError("kind", "stays.bad_choice", value=kind)
    if department not in REQUEST_DEPARTMENTS:
        raise ValidationError("department", "field.required")
    row = StayRequest(contract_id=contract.id, kind=kind,
                      text=line(text, "text", limit=2000, required=True),
                      department=department, at=clock.now_utc(),
                      created_at=clock.now_utc(), created_by_id=by)
    session.add(row)
    session.flush()
    audit.record(session, by=by, action="stay_request", record_type="stay_request",
                 record_id=row.id, kind=kind, department=department)
    return row


def answer(session: Session, request_id: int, text: str, *, done: bool,
           by: int | None) -> StayRequest:
    """The customer was answered (and, with ``done``, the request is done)."""
    row = session.get(StayRequest, request_id)
    if row is None:
        raise StayError("stays.no_such_request")
    if row.done_at is not None:
        raise StayError("stays.request_done")
    now = clock.now_utc()
    text = line(text, "answer", limit=2000, required=True)
    row.answer = f"{row.answer}\n{text}".strip() if row.answer else text
    row.answered_at = row.answered_at or now
    if done:
        row.done_at = now
    session.add(row)
    audit.record(session, by=by, action="stay_request_answer", record_type="stay_request",
                 record_id=row.id, done=done)
    return row


@dataclass
class RequestLine:
    request_id: int
    contract_id: int
    name: str
    room: str
    kind: str
    text: str
    department: str
    at: datetime
    answered_at: datetime | None
    done_at: datetime | None
    answer: str

    @property
    def overdue(self) -> bool:
        return is_overdue(self.kind, self.at, self.answered_at)


def is_overdue(kind: str, at: datetime, answered_at: datetime | None,
               now: datetime | None = None) -> bool:
    now = now or clock.now_utc()
    return (kind == "complaint" and answered_at is None
            and now - at > timedelta(minutes=ANSWER_MINUTES))


def _request_lines(session: Session, *conditions) -> list[RequestLine]:
    rows = session.exec(
        select(StayRequest, Customer.name, StayRoom.name)
        .join(Contract, Contract.id == StayRequest.contract_id)
        .join(Customer, Customer.id == Contract.customer_id)
        .outerjoin(StayRoom, StayRoom.id == Contract.room_id)
        .where(*conditions).order_by(StayRequest.at, StayRequest.id).limit(200)).all()
    return [RequestLine(row.id, row.contract_id, name, room or "", row.kind, row.text,
                        row.department, row.at, row.answered_at, row.done_at, row.answer)
            for row, name, room in rows]


def open_requests(session: Session) -> list[RequestLine]:
    return _request_lines(session, col(StayRequest.done_at).is_(None))


def requests_of(session: Session, contract_id: int) -> list[RequestLine]:
    return _request_lines(session, StayRequest.contract_id == contract_id)


def overdue_complaints(session: Session) -> int:
    """How many complaints wait for their answer longer than ten minutes (status line)."""
    limit = clock.now_utc() - timedelta(minutes=ANSWER_MINUTES)
    return len(session.exec(select(StayRequest.id).where(
        StayRequest.kind == "complaint", col(StayRequest.answered_at).is_(None),
        StayRequest.at < limit).limit(100)).all())


def status_alert(session: Session) -> str:
    """The status line's word on complaints waiting past ten minutes ("" when none)."""
    from reception.i18n import t

    count = overdue_complaints(session)
    return t("stays.complaints_overdue", count=count) if count else ""


def unanswered_complaints_of_day(session: Session, day: date) -> list[RequestLine]:
    """Complaints made on ``day`` still without an answer (night check)."""
    first = clock.now().replace(year=day.year, month=day.month, day=day.day, hour=0,
                                minute=0, second=0, microsecond=0)
    start, end = first.to("utc").datetime, first.shift(days=1).to("utc").datetime
    return _request_lines(session, StayRequest.kind == "complaint",
                          col(StayRequest.answered_at).is_(None),
                          StayRequest.at >= start, StayRequest.at < end)
