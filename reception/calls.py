"""Phone calls: the call log (path taken through the script, outcome, who answered) and
messages to relay (recipient, caller, phone, matter; relayed when and by whom).

A call is stored when its first step is taken and updated at every step, so a crash or a
closed terminal keeps it. Reaching an end node of the script ends it; a call broken off
half way is ended as ``abandoned``.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import arrow
from sqlmodel import Session, col, select

from models import Appointment, Call, Message, Role, Staff, Visit, VisitStatus
from reception import appointments, audit, days, phones, settings, times
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.text import narrow

ABANDONED = "abandoned"
LIST_LIMIT = 50


class CallError(ReceptionError):
    pass


# --- the call log ---------------------------------------------------------------------


def _get_call(session: Session, call_id: int) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise CallError("calls.not_found")
    return call


def start_call(
    session: Session, *, by: int | None, path: list[str], started_at: datetime | None = None
) -> Call:
    """Log a call (its first steps); ``started_at`` is when it was answered."""
    started_at = started_at or clock.now_utc()
    day = clock.day_of(started_at)
    days.ensure_open(session, day)
    call = Call(day=day, started_at=started_at, path=json.dumps(path, ensure_ascii=False),
                taken_by_id=by, created_at=clock.now_utc(), created_by_id=by)
    session.add(call)
    session.flush()
    audit.record(session, by=by, action="call_start", record_type="call", record_id=call.id)
    return call


def _caller_fields(call: Call, caller_name: str | None, caller_phone: str | None,
                   note: str | None) -> None:
    if caller_name is not None:
        call.caller_name = caller_name.strip()
    if caller_phone is not None:
        call.caller_phone = caller_phone.strip()[:40]
    if note is not None:
        call.note = note.strip()


def record_step(
    session: Session,
    call_id: int,
    *,
    path: list[str],
    caller_name: str | None = None,
    caller_phone: str | None = None,
    note: str | None = None,
    reopen: bool = False,
    by: int | None = None,
) -> Call:
    """The path so far (a step forward or back). ``reopen`` takes back an ended call."""
    call = _get_call(session, call_id)
    days.ensure_open(session, call.day)
    if call.ended_at is not None:
        if not reopen or call.outcome == ABANDONED:
            raise CallError("calls.already_ended")
        audit.record(session, by=by, action="call_reopen", record_type="call",
                     record_id=call.id, outcome=call.outcome)
        call.ended_at, call.outcome = None, ""
    call.path = json.dumps(path, ensure_ascii=False)
    _caller_fields(call, caller_name, caller_phone, note)
    session.add(call)
    return call


def end_call(
    session: Session,
    call_id: int,
    *,
    path: list[str],
    outcome: str,
    by: int | None,
    caller_name: str | None = None,
    caller_phone: str | None = None,
    note: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Call:
    call = _get_call(session, call_id)
    days.ensure_open(session, call.day)
    if call.ended_at is not None:
        raise CallError("calls.already_ended")
    call.path = json.dumps(path, ensure_ascii=False)
    call.outcome = outcome[:40]
    call.ended_at = clock.now_utc()
    _caller_fields(call, caller_name, caller_phone, note)
    session.add(call)
    audit.record(session, by=by, action="call_end", record_type="call", record_id=call.id,
                 outcome=call.outcome, **(detail or {}))
    return call


def abandon_call(
    session: Session,
    call_id: int | None,
    *,
    path: list[str],
    by: int | None,
    started_at: datetime | None = None,
    **fields: Any,
) -> Call:
    """Break a call off; a call not logged yet is logged now, so every call is counted."""
    if call_id is None:
        call_id = start_call(session, by=by, path=path, started_at=started_at).id
    return end_call(session, call_id, path=path, outcome=ABANDONED, by=by, **fields)


def withdraw_call(session: Session, call_id: int, *, by: int | None) -> None:
    """Take back a call stepped back to the start with nothing typed or saved (a wrong key,
    then Esc): it was no call. The audit trail keeps that it was started and withdrawn."""
    call = _get_call(session, call_id)
    days.ensure_open(session, call.day)
    if call.ended_at is not None:
        raise CallError("calls.already_ended")
    for table in (Message, Appointment):
        if session.exec(select(table.id).where(table.call_id == call_id).limit(1)).first():
            raise CallError("calls.cannot_withdraw")
    audit.record(session, by=by, action="call_withdrawn", record_type="call",
                 record_id=call.id, path=call_path(call))
    session.delete(call)


def call_path(call: Call) -> list[str]:
    try:
        path = json.loads(call.path or "[]")
    except json.JSONDecodeError:
        return []
    return [str(node) for node in path] if isinstance(path, list) else []


def calls_of_day(session: Session, day: date, *, limit: int = 200) -> list[Call]:
    return list(session.exec(
        select(Call).where(Call.day == day).order_by(Call.started_at).limit(limit)
    ).all())


def get_call(session: Session, call_id: int) -> Call | None:
    return session.get(Call, call_id)


# --- who the script talks about --------------------------------------------------------


def boss(session: Session) -> Staff | None:
    """The boss (老总) a caller asks for: the first active manager."""
    return session.exec(
        select(Staff).where(Staff.role == Role.MANAGER, col(Staff.active).is_(True))
        .order_by(Staff.id).limit(1)
    ).first()


@dataclass(frozen=True)
class ConsultantToday:
    staff_id: int
    name: str
    on_duty: bool
    #: With a customer now (a visit of today in the consultant's room, as on the F2 board).
    busy: bool = False


def consultants_today(session: Session, day: date | None = None) -> list[ConsultantToday]:
    """Active consultants, those on today's rota first (in rota order)."""
    day = day or clock.today()
    on_duty = staff_service.on_duty(session, day, role=Role.CONSULTANT)
    on_ids = {member.id for member in on_duty}
    off = [member for member in staff_service.list_staff(session, role=Role.CONSULTANT)
           if member.id not in on_ids]
    busy: set[int] = set()
    if on_ids:
        busy = set(session.exec(
            select(Visit.consultant_id).where(
                Visit.day == day, Visit.status == VisitStatus.WITH_CONSULTANT,
                col(Visit.consultant_id).in_(on_ids))
        ).all())
    return ([ConsultantToday(m.id, m.name, True, m.id in busy) for m in on_duty]
            + [ConsultantToday(m.id, m.name, False) for m in off])


def recipients(session: Session) -> list[Staff]:
    """Who a message can be for: every active staff member."""
    return staff_service.list_staff(session)


# --- messages -------------------------------------------------------------------------


def take_message(
    session: Session,
    *,
    recipient_id: int | None,
    caller_name: str,
    phone: str,
    matter: str,
    by: int | None,
    call_id: int | None = None,
) -> Message:
    """A message to relay. The caller may refuse a name or a number, not both."""
    recipient = session.get(Staff, recipient_id) if recipient_id else None
    if recipient is None or not recipient.active:
        raise ValidationError("recipient", "calls.message.no_recipient")
    if not matter.strip():
        raise ValidationError("matter", "calls.message.no_matter")
    if not caller_name.strip() and not phone.strip():
        raise ValidationError("caller_name", "calls.message.no_caller")
    normalised = phones.normalise(phone) if phone.strip() else ""
    today = clock.today()
    days.ensure_open(session, today)
    message = Message(day=today, call_id=call_id, recipient_id=recipient.id,
                      caller_name=caller_name.strip(), phone=normalised,
                      matter=matter.strip(), created_at=clock.now_utc(), created_by_id=by)
    session.add(message)
    session.flush()
    audit.record(session, by=by, action="message_take", record_type="message",
                 record_id=message.id, recipient_id=recipient.id, call_id=call_id)
    return message


def mark_relayed(session: Session, message_id: int, *, by: int | None) -> Message:
    message = session.get(Message, message_id)
    if message is None:
        raise CallError("calls.message.not_found")
    if message.relayed_at is not None:
        raise CallError("calls.message.already_relayed")
    # Relaying is today's work, whatever day the message was taken.
    days.ensure_open(session, clock.today())
    message.relayed_at = clock.now_utc()
    message.relayed_by_id = by
    session.add(message)
    audit.record(session, by=by, action="message_relayed", record_type="message",
                 record_id=message.id)
    return message


@dataclass(frozen=True)
class MessageRow:
    message_id: int
    recipient_id: int
    recipient: str
    caller_name: str
    phone: str
    matter: str
    taken_at: datetime
    relayed_at: datetime | None
    relayed_by: str


def _message_rows(session: Session, statement) -> list[MessageRow]:
    rows = session.exec(statement).all()
    relayer_ids = {message.relayed_by_id for message, _ in rows if message.relayed_by_id}
    relayers = {}
    if relayer_ids:
        relayers = dict(session.exec(
            select(Staff.id, Staff.name).where(col(Staff.id).in_(relayer_ids))).all())
    return [
        MessageRow(message.id, message.recipient_id, recipient, message.caller_name,
                   message.phone, message.matter, message.created_at, message.relayed_at,
                   relayers.get(message.relayed_by_id, ""))
        for message, recipient in rows
    ]


def unrelayed(
    session: Session, *, recipient_id: int | None = None, limit: int = LIST_LIMIT
) -> list[MessageRow]:
    """Messages not yet relayed, oldest first (the dashboard's and the recipient's list)."""
    statement = (
        select(Message, Staff.name)
        .join(Staff, Staff.id == Message.recipient_id)
        .where(col(Message.relayed_at).is_(None))
    )
    if recipient_id is not None:
        statement = statement.where(Message.recipient_id == recipient_id)
    return _message_rows(session, statement.order_by(Message.created_at).limit(limit))


def message_row(session: Session, message_id: int) -> MessageRow | None:
    rows = _message_rows(session, select(Message, Staff.name)
                         .join(Staff, Staff.id == Message.recipient_id)
                         .where(Message.id == message_id))
    return rows[0] if rows else None


# --- booking from a call --------------------------------------------------------------



def _next_day_of_month(today: date, number: int) -> date:
    """The first day numbered ``number`` from today on: the 31st on 22 November is
    31 December, the 30th on 31 January is 30 March (February has none)."""
    if not 1 <= number <= 31:
        raise ValueError(number)
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = date(year, month, number)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise ValueError(number)


def parse_when(day_text: str, time_text: str) -> datetime:
    """The appointment time from the day (YYYY-MM-DD, MM-DD or DD) and time (HH:MM)."""
    today = clock.today()
    day_text = narrow(day_text).strip()
    try:
        if not day_text:
            day = today
        elif re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", day_text):
            day = arrow.get(day_text, "YYYY-M-D").date()
        elif re.fullmatch(r"\d{1,2}-\d{1,2}", day_text):
            day = arrow.get(f"{today.year}-{day_text}", "YYYY-M-D").date()
            if day < today:
                day = day.replace(year=today.year + 1)
        elif re.fullmatch(r"\d{1,2}", day_text):
            day = _next_day_of_month(today, int(day_text))
        else:
            raise ValueError(day_text)
    except (ValueError, arrow.parser.ParserError):
        raise ValidationError("day", "calls.book.bad_day") from None
    hour, minute = times.parse_hhmm(time_text, field="time", message="calls.book.bad_time",
                                    loose=True)
    return arrow.Arrow(day.year, day.month, day.day, hour, minute, tzinfo=clock.tz) \
        .to("utc").datetime


def book_from_call(
    session: Session,
    *,
    call_id: int | None,
    name: str,
    phone: str,
    day_text: str,
    time_text: str,
    consultant_id: int | None,
    purpose: str,
    by: int | None,
) -> Appointment:
    """An appointment booked on the phone; its number is what triage (F2 path B) finds."""
    # Checked in the order of the form (the phone comes first), so the error and the focus
    # land on the first field to fix.
    phones.normalise(phone)
    if not name.strip():
        raise ValidationError("name", "field.required")
    scheduled_at = parse_when(day_text, time_text)
    if scheduled_at < clock.now_utc():
        raise ValidationError("time", "calls.book.in_past")
    opening, closing = settings.load(session).opening_hours
    local = clock.local(scheduled_at).format("HH:mm")
    if not opening <= local < closing:
        raise ValidationError("time", "calls.book.closed", opening=opening, closing=closing)
    if consultant_id is not None:
        consultant = session.get(Staff, consultant_id)
        if consultant is None or not consultant.active:
            raise ValidationError("consultant", "staff.not_found")
    days.ensure_open(session, clock.today())
    return appointments.book(session, scheduled_at=scheduled_at, name=name, phone=phone,
                             by=by, consultant_id=consultant_id, purpose=purpose.strip(),
                             call_id=call_id)
