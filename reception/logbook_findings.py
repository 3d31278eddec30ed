"""What the night check finds in the logbook area: checklist items not ticked by their time,
visitors still in the building at closing, badges not returned."""

from datetime import date, datetime, time

import arrow
from sqlmodel import Session, col, select

from models import Visitor
from reception import checklists, settings
from reception.clock import clock
from reception.night_findings import FINDINGS_LIMIT, Finding


def _closing(session: Session, day: date) -> datetime:
    closing: time = settings.load(session).closing
    return arrow.get(datetime.combine(day, closing), tzinfo=clock.tz).to("utc").datetime


def checklist_not_done(session: Session, day: date) -> list[Finding]:
    return [Finding("checklist_not_done", "checklist", slot.item_id,
                    {"slot": slot.label()})
            for slot in checklists.overdue(session, day)][:FINDINGS_LIMIT + 1]


def _visitors(session: Session, day: date, *where) -> list[Visitor]:
    return list(session.exec(select(Visitor).where(Visitor.day == day, *where)
                             .order_by(Visitor.arrived_at).limit(FINDINGS_LIMIT + 1)).all())


def visitors_still_in(session: Session, day: date) -> list[Finding]:
    """Visitors not seen out by closing time (once it has come)."""
    if clock.now_utc() < _closing(session, day):
        return []
    return [Finding("visitor_still_in", "visitor", visitor.id, {
        "name": visitor.name or visitor.company,
        "time": clock.local(visitor.arrived_at).format("HH:mm")})
        for visitor in _visitors(session, day, col(Visitor.left_at).is_(None))]


def badges_not_returned(session: Session, day: date) -> list[Finding]:
    return [Finding("badge_not_returned", "visitor", visitor.id, {
        "name": visitor.name or visitor.company, "badge": visitor.badge})
        for visitor in _visitors(session, day, Visitor.badge != "",
                                 col(Visitor.badge_returned_at).is_(None))]


CHECKS = (checklist_not_done, visitors_still_in, badges_not_returned)
