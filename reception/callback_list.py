"""The callback list of a day as the early shift works it: what is due, what is ready
to try again, what was left undone, and the flagged low scores.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import arrow
from sqlalchemy import case, func
from sqlmodel import Session, col, select

from models import (
    Callback,
    CallbackAttempt,
    CallbackRule,
    Customer,
    Staff,
)
from reception.callback_rules import LIST_LIMIT, CallbackError, Status, rule_label
from reception.clock import clock


# --- the list of a day ---------------------------------------------------------------
@dataclass
class Entry:
    callback_id: int
    customer_id: int
    customer_name: str
    phone: str
    rule_name: str
    event: str
    event_day: date
    due_day: date
    attempts: int
    last_outcome: str
    next_try_at: datetime | None
    status: str
    consultant_name: str = ""
    #: A low score the manager has not cleared yet.
    flagged: bool = False

    @property
    def carried_over(self) -> bool:
        return self.attempts > 0 or self.due_day < clock.today()


@dataclass
class DayList:
    """The open callbacks of a day, each in exactly one of two groups (see ``day_list``)."""

    day: date
    #: To call now: due, or carried over, and with no later try pending; oldest first.
    ready: list[Entry] = field(default_factory=list)
    #: Waiting for a later try (no answer, busy, "call back at …"), later today or on a
    #: later day; soonest first.
    waiting: list[Entry] = field(default_factory=list)
    #: The counts of both groups (not capped by ``LIST_LIMIT`` like the lists).
    counts: "Counts | None" = None


@dataclass
class Counts:
    """How many open callbacks a day has: to call now, waiting for a later try."""

    ready: int = 0
    waiting: int = 0

    @property
    def total(self) -> int:
        """Every open callback due on or before the day: the dashboard's "callbacks due"."""
        return self.ready + self.waiting


def _entry(callback: Callback, customer: Customer, rule: CallbackRule,
           consultant: str | None) -> Entry:
    return Entry(
        callback_id=callback.id, customer_id=customer.id, customer_name=customer.name,
        phone=customer.phone, rule_name=rule_label(rule), event=rule.event,
        event_day=callback.event_day, due_day=callback.due_day, attempts=callback.attempts,
        last_outcome=callback.last_outcome, next_try_at=callback.next_try_at,
        status=callback.status, consultant_name=consultant or "", flagged=callback.flagged,
    )


def _day_end(day: date) -> datetime:
    return arrow.Arrow(day.year, day.month, day.day, tzinfo=clock.tz).shift(days=1).to(
        "utc").datetime


# The one definition of a day's callbacks, used by F5, the dashboard and the night check:
#
# * due (outstanding) on ``day``: status open and ``due_day <= day`` — whatever its tries,
#   however long ago it fell due (carried over), and whenever its next try is;
# * of those, *ready* (to call now): no next try set, or its time has come (``cutoff``:
#   now for today, the day's end for a past day);
# * the rest *waiting*: a next try after the cutoff (later today or on a later day). They
#   are counted and listed, never dropped;
# * done: any other status (reached, declined, wrong number, unreached).
def _cutoff(day: date) -> datetime:
    """The moment up to which a next try counts as "come" for ``day``."""
    today = clock.today()
    if day < today:
        return _day_end(day)
    if day == today:
        return clock.now_utc()
    return _day_end(day - timedelta(days=1))


def _due_on(day: date):
    return (Callback.status == Status.OPEN) & (Callback.due_day <= day)


def _ready_at(cutoff: datetime):
    return col(Callback.next_try_at).is_(None) | (Callback.next_try_at <= cutoff)


def counts(session: Session, day: date | None = None) -> Counts:
    """The open callbacks of ``day`` (default today): ready to call, waiting (one query)."""
    day = day or clock.today()
    ready_at = _ready_at(_cutoff(day))
    ready, waiting = session.exec(
        select(func.sum(case((ready_at, 1), else_=0)),
               func.sum(case((ready_at, 0), else_=1)))
        .select_from(Callback).where(_due_on(day))
    ).one()
    return Counts(ready=ready or 0, waiting=waiting or 0)


def _entries(session: Session, where, order, limit: int) -> list[Entry]:
    rows = session.exec(
        select(Callback, Customer, CallbackRule, Staff.name)
        .join(Customer, Customer.id == Callback.customer_id)
        .join(CallbackRule, CallbackRule.id == Callback.rule_id)
        .outerjoin(Staff, Staff.id == Customer.consultant_id)
        .where(where)
        .order_by(*order)
        .limit(limit)
    ).all()
    return [_entry(*row) for row in rows]


def day_list(session: Session, day: date | None = None) -> DayList:
    """Open callbacks due on or before ``day``: ready to call, and waiting for later.

    Every open callback due by ``day`` is in exactly one of the two lists (up to
    ``LIST_LIMIT`` each); ``counts`` has the full numbers, equal to the dashboard's.
    """
    day = day or clock.today()
    ready_at = _ready_at(_cutoff(day))
    return DayList(
        day=day,
        ready=_entries(session, _due_on(day) & ready_at,
                       (Callback.due_day, Callback.event_day, Callback.id), LIST_LIMIT),
        waiting=_entries(session, _due_on(day) & ~ready_at,
                         (Callback.next_try_at, Callback.id), LIST_LIMIT),
        counts=counts(session, day),
    )


def not_done(session: Session, day: date, *, limit: int = LIST_LIMIT) -> list[Entry]:
    """The night check's "callback not done": open, due by ``day``, and its call was due
    by the end of ``day`` (never tried, or a retry / "call back at" time on that day that
    was not made), whatever its earlier tries. A callback whose next try was set for a
    later day (the last try of the day, or the customer's wish) is not a finding.
    """
    return _entries(session, _due_on(day) & _ready_at(_day_end(day)),
                    (Callback.due_day, Callback.id), limit)


def get_entry(session: Session, callback_id: int) -> Entry:
    row = session.exec(
        select(Callback, Customer, CallbackRule, Staff.name)
        .join(Customer, Customer.id == Callback.customer_id)
        .join(CallbackRule, CallbackRule.id == Callback.rule_id)
        .outerjoin(Staff, Staff.id == Customer.consultant_id)
        .where(Callback.id == callback_id)
    ).first()
    if row is None:
        raise CallbackError("callbacks.not_found")
    return _entry(*row)


def attempts_of(session: Session, callback_id: int) -> list[tuple[CallbackAttempt, str]]:
    """Every attempt of a callback with who made it, oldest first."""
    return [(attempt, name or "") for attempt, name in session.exec(
        select(CallbackAttempt, Staff.name)
        .outerjoin(Staff, Staff.id == CallbackAttempt.created_by_id)
        .where(CallbackAttempt.callback_id == callback_id)
        .order_by(CallbackAttempt.at, CallbackAttempt.id)
        .limit(LIST_LIMIT)
    ).all()]


def flagged(session: Session) -> list[Entry]:
    """Callbacks with a low score the manager has not yet cleared, newest first."""
    rows = session.exec(
        select(Callback, Customer, CallbackRule, Staff.name)
        .join(Customer, Customer.id == Callback.customer_id)
        .join(CallbackRule, CallbackRule.id == Callback.rule_id)
        .outerjoin(Staff, Staff.id == Customer.consultant_id)
        .where(col(Callback.flagged).is_(True))
        .order_by(Callback.closed_at.desc(), Callback.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    return [_entry(*row) for row in rows]
