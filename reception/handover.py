"""Shift handover (seed 001 3.4.2–3.4.3; seed 000's round-the-clock rota).

The outgoing staff member writes a note; the app fills in what it knows at that moment:
customers and visitors still in the building, keys out, messages not relayed, callbacks
left, complaints open, drinks served today, checklist items not done. The incoming staff
member reads it and acknowledges it with her PIN; until someone does, it is shown at sign-in.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import Customer, Handover, Message, Staff, Visit, Visitor, VisitStatus
from reception import (
    audit,
    callbacks,
    checklists,
    days,
    keys,
    logbook,
    logbook_rules,
    stay_care,
)
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t

NOTE_MAX = 2000
LIST_MAX = 30


class HandoverError(ReceptionError):
    """A handover rule said no."""


def _hhmm(when: datetime | None) -> str:
    return clock.local(when).format("HH:mm") if when else ""


def contents(session: Session, day: date | None = None,
             now: datetime | None = None) -> dict[str, list[str] | int]:
    """What the app knows for the next shift, as lines of plain text (names are data)."""
    day = day or clock.today()
    now = now or clock.now_utc()
    inside = session.exec(
        select(Visit, Customer.name).join(Customer, Customer.id == Visit.customer_id)
        .where(Visit.day == day, Visit.status != VisitStatus.LEFT)
        .order_by(Visit.arrived_at).limit(LIST_MAX)).all()
    visitors = session.exec(
        select(Visitor).where(Visitor.day == day, col(Visitor.left_at).is_(None))
        .order_by(Visitor.arrived_at).limit(LIST_MAX)).all()
    messages = session.exec(
        select(Message, Staff.name).outerjoin(Staff, Staff.id == Message.recipient_id)
        .where(col(Message.relayed_at).is_(None)).order_by(Message.created_at)
        .limit(LIST_MAX)).all()
    left = callbacks.not_done(session, day, limit=LIST_MAX)
    return {
        "customers": [f"{name} ({_hhmm(visit.arrived_at)})" for visit, name in inside],
        "visitors": [f"{visitor.name or visitor.company} ({_hhmm(visitor.arrived_at)})"
                     + (f" · {visitor.badge}" if visitor.badge else "")
                     for visitor in visitors],
        "keys": [f"{out.key.name} · {out.holder.name if out.holder else ''}"
                 f" ({_hhmm(out.loan.at)})" for out in keys.keys_out(session)],
        "messages": [f"{caller} → {recipient or ''}" for message, recipient in messages
                     for caller in [message.caller_name]],
        "callbacks": [entry.customer_name for entry in left],
        # A stay's complaints not yet settled (seed 003: "十分钟内给您回话").
        "complaints": [f"{line.name} · {line.text}"[:80]
                       for line in stay_care.open_requests(session)
                       if line.kind == "complaint"][:LIST_MAX],
        "drinks": logbook.drinks_served(session, day),
        "checklist": [slot.label() for slot in checklists.slots(session, day)
                      if slot.overdue(now)][:LIST_MAX],
    }


def write(session: Session, *, note: str, by: int | None) -> Handover:
    """The outgoing staff member hands over: her note and what the app knows now."""
    if by is None or session.get(Staff, by) is None:
        raise HandoverError("handover.who_required")
    day = clock.today()
    days.ensure_open(session, day)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError("note", "logbook.too_long", limit=NOTE_MAX)
    now = clock.now_utc()
    handover = Handover(day=day, from_staff_id=by, note=note,
                        contents=json.dumps(contents(session, day, now), ensure_ascii=False),
                        created_at=now, created_by_id=by)
    session.add(handover)
    session.flush()
    audit.record(session, by=by, action="handover_write", record_type="handover",
                 record_id=handover.id)
    return handover


@dataclass(frozen=True)
class Note:
    handover: Handover
    from_name: str
    acknowledged_by: str

    @property
    def contents(self) -> dict:
        return json.loads(self.handover.contents)


def _notes(session: Session, *where, newest_first: bool = False, limit: int = 100
           ) -> list[Note]:
    writer, reader = aliased(Staff), aliased(Staff)
    order = col(Handover.id).desc() if newest_first else col(Handover.id)
    rows = session.exec(
        select(Handover, writer.name, reader.name)
        .join(writer, writer.id == Handover.from_staff_id)
        .outerjoin(reader, reader.id == Handover.acknowledged_by_id)
        .where(*where).order_by(order).limit(limit)).all()
    return [Note(handover, from_name or "", reader_name or "")
            for handover, from_name, reader_name in rows]


def pending(session: Session, for_staff_id: int | None) -> Note | None:
    """The latest handover not yet acknowledged, written by someone else (shown at sign-in)."""
    found = _notes(session, col(Handover.acknowledged_at).is_(None),
                   Handover.from_staff_id != (for_staff_id or 0), newest_first=True, limit=1)
    return found[0] if found else None


def of_day(session: Session, day: date) -> list[Note]:
    return _notes(session, Handover.day == day)


def acknowledge(session: Session, handover_id: int, *, pin: str, by: int | None) -> Handover:
    """The incoming staff member (signed in) acknowledges with her PIN; a wrong PIN, her
    own handover or one already acknowledged is refused, nothing stored."""
    handover = session.get(Handover, handover_id)
    if handover is None:
        raise HandoverError("handover.unknown")
    reader = session.get(Staff, by) if by is not None else None
    if reader is None:
        raise HandoverError("handover.who_required")
    if handover.acknowledged_at is not None:
        earlier = session.get(Staff, handover.acknowledged_by_id)
        raise HandoverError("handover.already", name=earlier.name if earlier else "?",
                            at=_hhmm(handover.acknowledged_at))
    if handover.from_staff_id == reader.id:
        raise HandoverError("handover.own")
    if not pin.strip():
        raise ValidationError("pin", "field.required")
    logbook_rules.confirm_pin(session, reader, pin)
    handover.acknowledged_at, handover.acknowledged_by_id = clock.now_utc(), reader.id
    session.add(handover)
    audit.record(session, by=by, action="handover_ack", record_type="handover",
                 record_id=handover.id)
    return handover


#: The order the handover's contents are shown in, each with its catalogue label.
SECTIONS = ("customers", "visitors", "keys", "messages", "callbacks", "complaints", "drinks",
            "checklist")


def summary_lines(contents: dict) -> list[str]:
    """The contents as the incoming staff member reads them: one line a section."""
    found = []
    for section in SECTIONS:
        value = contents.get(section)
        if section == "drinks":
            found.append(t("handover.section.drinks", n=value or 0))
            continue
        items = value or []
        found.append(t(f"handover.section.{section}", n=len(items))
                     + (t("handover.colon") + t("handover.separator").join(items)
                        if items else ""))
    return found
