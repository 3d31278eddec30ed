"""Callback rules and the list they make (seed 002 §20, seed 003 §4.8).

Each rule turns events (first visit, deal closed, check-out) into callbacks due
``days_after`` the event. Generating the list is idempotent: one callback per customer,
rule and event day (a unique constraint), inserted under the write lock with
``ON CONFLICT DO NOTHING``, so opening the screen twice or in two processes never makes a
callback twice.
"""

from datetime import date, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from models import (
    Callback,
    CallbackRule,
    Customer,
    Outcome,
    Stay,
    Visit,
)
from reception import audit, days
from reception.bulk import insert_ignoring
from reception.clock import clock
from reception.db import chain_lock
from reception.errors import ReceptionError, ValidationError
from reception.permissions import require_manager


class CallbackError(ReceptionError):
    """A callback rule said no (closed callback, bad time, not a manager…)."""


class Event(StrEnum):
    FIRST_VISIT = "first_visit"
    DEAL_CLOSED = "deal_closed"
    CHECK_OUT = "check_out"


class CallOutcome(StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    WRONG_NUMBER = "wrong_number"
    LATER = "later"
    DECLINED = "declined"


class Status(StrEnum):
    OPEN = "open"
    REACHED = "reached"
    DECLINED = "declined"
    WRONG_NUMBER = "wrong_number"
    UNREACHED = "unreached"  # closed after the maximum number of attempts


#: Outcomes after which the callback is tried again a few hours later.
RETRYABLE = (CallOutcome.NO_ANSWER, CallOutcome.BUSY)


#: Outcomes that close the callback, and the status they close it with.
CLOSING = {
    CallOutcome.WRONG_NUMBER: Status.WRONG_NUMBER,
    CallOutcome.DECLINED: Status.DECLINED,
}


#: The seed's four questions, in order: (survey field prefix, message key).
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("front_desk", "callbacks.q.front_desk"),
    ("beautician", "callbacks.q.beautician"),
    ("consultant", "callbacks.q.consultant"),
    ("company", "callbacks.q.company"),
)


LOW_SCORE = 2


#: Stored name of the built-in rule (shown translated; ``CallbackRule.builtin`` marks it).
BUILTIN_RULE_NAME = "builtin:new_customer_next_day"


#: How far back generation looks for events whose callback fell due and was never made
#: (the screen was not opened that day): the list carries them over.
LOOKBACK_DAYS = 7


LIST_LIMIT = 200


RULES_LIMIT = 100


# --- rules ---------------------------------------------------------------------------
def ensure_builtin_rule(session: Session, *, by: int | None = None) -> CallbackRule:
    """The built-in rule, created if missing (never re-created once the manager has it)."""
    rule = session.exec(
        select(CallbackRule).where(col(CallbackRule.builtin).is_(True)).limit(1)
    ).first()
    if rule is None:
        # The rules are the chain's: made once, whichever branch comes first.
        chain_lock(session, "callback_rules")
        rule = session.exec(
            select(CallbackRule).where(col(CallbackRule.builtin).is_(True)).limit(1)
        ).first()
    if rule is None:
        rule = CallbackRule(name=BUILTIN_RULE_NAME, event=Event.FIRST_VISIT, days_after=1,
                            active=True, builtin=True, created_at=clock.now_utc(),
                            created_by_id=by)
        session.add(rule)
        session.flush()
    return rule


def rule_label(rule: CallbackRule) -> str:
    from reception.i18n import t

    if rule.builtin:
        return t("callbacks.rule.builtin")
    if rule.name.startswith("stays:"):
        # The due-date schedule's calls (reception.stay_schedule): the seed's line to say.
        return t(f"stays.call.{rule.name[len('stays:'):]}")
    return rule.name


def list_rules(session: Session) -> list[CallbackRule]:
    return list(session.exec(select(CallbackRule).order_by(CallbackRule.id)
                             .limit(RULES_LIMIT)).all())


def _checked_rule(name: str, event: str, days_after: int) -> str:
    """The rule's name, trimmed, once its fields pass; else the field's ValidationError."""
    name = name.strip()
    if not name:
        raise ValidationError("name", "field.required")
    if len(name) > 100:
        raise ValidationError("name", "callbacks.rule.name_too_long")
    if event not in Event.__members__.values():
        raise ValidationError("event", "callbacks.rule.bad_event", event=event)
    if not isinstance(days_after, int) or not 0 <= days_after <= 365:
        raise ValidationError("days_after", "callbacks.rule.bad_days")
    return name


def get_rule(session: Session, rule_id: int) -> CallbackRule:
    rule = session.get(CallbackRule, rule_id)
    if rule is None:
        raise CallbackError("callbacks.rule.not_found")
    return rule


def add_rule(
    session: Session, *, name: str, event: str, days_after: int, by: int | None
) -> CallbackRule:
    """A manager's rule: a callback ``days_after`` days after ``event``."""
    require_manager(session, by, error=CallbackError)
    name = _checked_rule(name, event, days_after)
    rule = CallbackRule(name=name, event=event, days_after=days_after, active=True,
                        created_at=clock.now_utc(), created_by_id=by)
    session.add(rule)
    session.flush()
    audit.record(session, by=by, action="callback_rule_add", record_type="callback_rule",
                 record_id=rule.id, name=name, event=event, days_after=days_after)
    return rule


def update_rule(
    session: Session, rule_id: int, *, name: str | None, event: str, days_after: int,
    by: int | None
) -> CallbackRule:
    """The manager changes a rule; callbacks already made stay as they are. The built-in
    rule keeps its name (``name`` None keeps any rule's name)."""
    require_manager(session, by, error=CallbackError)
    rule = get_rule(session, rule_id)
    if name is None or rule.builtin:
        name = rule.name
    name = _checked_rule(name, event, days_after)
    before = {"name": rule.name, "event": rule.event, "days_after": rule.days_after}
    rule.name, rule.event, rule.days_after = name, event, days_after
    session.add(rule)
    audit.record(session, by=by, action="callback_rule_edit", record_type="callback_rule",
                 record_id=rule.id, before=before, name=name, event=event,
                 days_after=days_after)
    return rule


def set_rule_active(session: Session, rule_id: int, active: bool, *, by: int | None
                    ) -> CallbackRule:
    require_manager(session, by, error=CallbackError)
    rule = get_rule(session, rule_id)
    rule.active = active
    session.add(rule)
    audit.record(session, by=by, action="callback_rule_active", record_type="callback_rule",
                 record_id=rule.id, active=active)
    return rule


# --- generation ----------------------------------------------------------------------
def _events(session: Session, event: str, first: date, last: date) -> list[tuple[int, date]]:
    """(customer id, event day) of ``event`` with its day in ``first..last``."""
    if event == Event.FIRST_VISIT:
        query = select(Customer.id, Customer.first_visit_day).where(
            Customer.first_visit_day >= first, Customer.first_visit_day <= last)
    elif event == Event.DEAL_CLOSED:
        query = select(Visit.customer_id, Visit.day).distinct().where(
            Visit.day >= first, Visit.day <= last, Visit.outcome == Outcome.DEAL)
    elif event == Event.CHECK_OUT:
        query = select(Stay.customer_id, Stay.check_out_day).distinct().where(
            Stay.check_out_day >= first, Stay.check_out_day <= last)
    else:
        return []
    return [(customer_id, day) for customer_id, day in session.exec(query).all()]


def generate(session: Session, day: date | None = None, *, by: int | None) -> int:
    """Make the callbacks due on or before ``day`` (default today); returns how many are new.

    Safe to call as often as one likes, from any number of processes.
    """
    day = day or clock.today()
    days.ensure_open(session, day)
    ensure_builtin_rule(session, by=by)
    now = clock.now_utc()
    made = 0
    rules = session.exec(select(CallbackRule).where(col(CallbackRule.active).is_(True))
                         .limit(RULES_LIMIT)).all()
    for rule in rules:
        earliest_due = day - timedelta(days=LOOKBACK_DAYS)
        if not rule.builtin:
            # A new rule does not dig up callbacks that fell due before it existed.
            earliest_due = max(earliest_due, clock.day_of(rule.created_at))
        if earliest_due > day:
            continue
        offset = timedelta(days=rule.days_after)
        events = _events(session, rule.event, earliest_due - offset, day - offset)
        if not events:
            continue
        existing: set[tuple[int, date]] = set()
        customer_ids = sorted({customer_id for customer_id, _day in events})
        # By customer first: the unique constraint's index answers this without a scan.
        for start in range(0, len(customer_ids), 500):
            existing.update(session.exec(
                select(Callback.customer_id, Callback.event_day).where(
                    col(Callback.customer_id).in_(customer_ids[start:start + 500]),
                    Callback.rule_id == rule.id,
                    Callback.event_day >= earliest_due - offset,
                    Callback.event_day <= day - offset,
                )).all())
        rows = [
            {"customer_id": customer_id, "rule_id": rule.id, "event_day": event_day,
             "due_day": event_day + offset, "status": Status.OPEN, "attempts": 0,
             "last_outcome": "", "flagged": False, "created_at": now, "created_by_id": by}
            for customer_id, event_day in events
            if (customer_id, event_day) not in existing
        ]
        if rows:
            made += insert_ignoring(session, Callback, rows,
                                    ["branch_id", "customer_id", "rule_id", "event_day"])
    if made:
        audit.record(session, by=by, action="callbacks_generated", record_type="callback",
                     day=day.isoformat(), count=made)
    return made
