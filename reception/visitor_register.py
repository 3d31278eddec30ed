"""The visitor registration form (客人来访登记表; seed 001 接待 1, seed 003 §4.1.1) on the
visitor's own record (``visitor``, logged at triage or here): company, number of people,
purpose, whom or which room, ID checked, drink served, badge or temporary card given and
returned, time in and out. A job applicant's form is handed to HR (seed 001 秘书服务 1).

A drink served on the form is written in the drinks log too (the day's count is one count).
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from models import Visitor
from reception import audit, days, logbook, triage_forms, visitors
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.text import narrow

PEOPLE_MAX = 99
TEXT_MAX = 200
BADGE_MAX = 40


class VisitorError(ReceptionError):
    """A registration rule said no."""


@dataclass(frozen=True)
class Registration:
    """What the form takes (as typed)."""

    name: str = ""
    company: str = ""
    people: str = ""
    purpose: str = ""
    host: str = ""
    room: str = ""
    id_checked: str = ""
    drink: str = ""
    badge: str = ""
    kind: str = "other"


def _clean(text: str, field: str, limit: int = TEXT_MAX) -> str:
    cleaned = " ".join(text.split())
    if len(cleaned) > limit:
        raise ValidationError(field, "logbook.too_long", limit=limit)
    return cleaned


def register(session: Session, form: Registration, *, visitor_id: int | None = None,
             by: int | None) -> Visitor:
    """A new visitor registered with the whole form, or the form of one logged at triage
    filled in. Nothing is half-saved: every field is checked before anything is written."""
    people = narrow(form.people).strip() or "1"
    if not people.isdigit() or not 1 <= int(people) <= PEOPLE_MAX:
        raise ValidationError("people", "logbook.bad_number", value=people, high=PEOPLE_MAX)
    company = _clean(form.company, "company")
    room = _clean(form.room, "room")
    drink = _clean(form.drink, "drink")
    badge = _clean(form.badge, "badge", BADGE_MAX)
    id_checked = triage_forms.read_yes_no(form.id_checked, "id_checked")
    if visitor_id is None:
        if not form.host.strip() and not room:
            raise ValidationError("host", "visitors.host_or_room")
        visitor = visitors.log_visitor(session, by=by, kind=form.kind, name=form.name,
                                       host=form.host, reason=form.purpose)
    else:
        visitor = session.get(Visitor, visitor_id)
        if visitor is None:
            raise VisitorError("triage.visitor_not_found")
        days.ensure_open(session, visitor.day)
        visitor.name = _clean(form.name, "name") or visitor.name
        visitor.host = _clean(form.host, "host") or visitor.host
        visitor.reason = _clean(form.purpose, "purpose") or visitor.reason
        if not visitor.host and not room:
            raise ValidationError("host", "visitors.host_or_room")
    served_before = visitor.drink
    visitor.company, visitor.people, visitor.room = company, int(people), room
    visitor.id_checked, visitor.drink, visitor.badge = id_checked, drink, badge
    session.add(visitor)
    session.flush()
    if drink and drink != served_before:
        drinks = logbook.kind_by_code(session, "drinks")
        logbook.add_entry(session, drinks.id, {"drink": drink, "served_to": visitor.name,
                                               "count": people}, by=by)
    audit.record(session, by=by, action="visitor_register", record_type="visitor",
                 record_id=visitor.id, company=company, badge=badge)
    return visitor


def _open_visitor(session: Session, visitor_id: int) -> Visitor:
    visitor = session.get(Visitor, visitor_id)
    if visitor is None:
        raise VisitorError("triage.visitor_not_found")
    days.ensure_open(session, visitor.day)
    return visitor


def badge_returned(session: Session, visitor_id: int, *, by: int | None) -> Visitor:
    visitor = _open_visitor(session, visitor_id)
    if not visitor.badge:
        raise VisitorError("visitors.no_badge", name=visitor.name)
    if visitor.badge_returned_at is None:
        visitor.badge_returned_at = clock.now_utc()
        session.add(visitor)
        audit.record(session, by=by, action="visitor_badge_back", record_type="visitor",
                     record_id=visitor.id, badge=visitor.badge)
    return visitor


def left(session: Session, visitor_id: int, *, by: int | None) -> Visitor:
    """Time out; a badge still out is taken back with it (the desk asks for it)."""
    visitor = visitors.visitor_left(session, visitor_id, by=by)
    if visitor.badge and visitor.badge_returned_at is None:
        visitor.badge_returned_at = visitor.left_at
        session.add(visitor)
    return visitor


def hand_to_hr(session: Session, visitor_id: int, *, by: int | None) -> Visitor:
    visitor = _open_visitor(session, visitor_id)
    if visitor.kind != "applicant":
        raise VisitorError("visitors.not_applicant", name=visitor.name)
    if visitor.handed_to_hr_at is None:
        visitor.handed_to_hr_at = clock.now_utc()
        session.add(visitor)
        audit.record(session, by=by, action="visitor_to_hr", record_type="visitor",
                     record_id=visitor.id)
    return visitor


def of_day(session: Session, day: date) -> list[Visitor]:
    return list(session.exec(select(Visitor).where(Visitor.day == day)
                             .order_by(Visitor.arrived_at, Visitor.id)).all())


def form_values(visitor: Visitor) -> dict[str, str]:
    """The form as it opens on a visitor's record."""
    return {"name": visitor.name, "company": visitor.company, "people": str(visitor.people),
            "purpose": visitor.reason, "host": visitor.host, "room": visitor.room,
            "id_checked": "y" if visitor.id_checked else "", "drink": visitor.drink,
            "badge": visitor.badge}
