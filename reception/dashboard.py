"""Today at a glance: who is in the building, messages, keys, callbacks, who is signed in."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from models import Callback, Customer, Message, Staff, Visit, VisitStatus
from reception import auth, callbacks, keys
from reception.clock import clock

LIST_LIMIT = 50


@dataclass
class WaitingVisit:
    visit_id: int
    customer_name: str
    status: str
    with_whom: str
    since: datetime


@dataclass
class PendingMessage:
    message_id: int
    recipient: str
    caller_name: str
    matter: str
    at: datetime


@dataclass
class Glance:
    day: date
    waiting: list[WaitingVisit] = field(default_factory=list)
    messages: list[PendingMessage] = field(default_factory=list)
    keys_out: list[keys.KeyOut] = field(default_factory=list)
    #: Open callbacks due by today (reception.callbacks' one definition): the ready ones
    #: plus those waiting for a later try; F5's header shows the same numbers.
    callbacks_due: int = 0
    callbacks_ready: int = 0
    callbacks_waiting: int = 0
    callbacks_flagged: int = 0
    signed_in: list[tuple[str, str]] = field(default_factory=list)


def today_at_a_glance(session: Session, day: date | None = None) -> Glance:
    day = day or clock.today()
    glance = Glance(day=day)
    visits = session.exec(
        select(Visit, Customer.name, Staff.name)
        .join(Customer, Customer.id == Visit.customer_id)
        .outerjoin(Staff, Staff.id == Visit.consultant_id)
        .where(Visit.day == day, Visit.status != VisitStatus.LEFT)
        .order_by(Visit.arrived_at, Visit.id)  # the id: the same order on every store
        .limit(LIST_LIMIT)
    ).all()
    glance.waiting = [
        WaitingVisit(visit.id, name, visit.status, consultant or "", visit.status_since)
        for visit, name, consultant in visits
    ]
    messages = session.exec(
        select(Message, Staff.name)
        .join(Staff, Staff.id == Message.recipient_id)
        .where(col(Message.relayed_at).is_(None))
        .order_by(Message.created_at, Message.id)
        .limit(LIST_LIMIT)
    ).all()
    glance.messages = [
        PendingMessage(message.id, recipient, message.caller_name, message.matter,
                       message.created_at)
        for message, recipient in messages
    ]
    glance.keys_out = keys.keys_out(session)
    due = callbacks.counts(session, day)
    glance.callbacks_due, glance.callbacks_ready, glance.callbacks_waiting = (
        due.total, due.ready, due.waiting)
    glance.callbacks_flagged = session.exec(
        select(func.count()).select_from(Callback).where(col(Callback.flagged).is_(True))
    ).one()
    glance.signed_in = [(staff.name, staff.role) for staff, _ in auth.signed_in_staff(session)]
    return glance


def callbacks_line(glance: Glance) -> str:
    """The dashboard's callbacks line, in F5's words and numbers."""
    from reception.i18n import t

    if glance.callbacks_waiting:
        return t("callbacks.dash_line", total=glance.callbacks_due,
                 ready=glance.callbacks_ready, waiting=glance.callbacks_waiting)
    return t("callbacks.dash_line.all_ready", total=glance.callbacks_due)
