"""The due-date schedule (seed 003 §4.3.1, §4.8.2) as callbacks on the F5 list.

The calls: on the signing day; a week after signing; monthly until the 6th month of the
pregnancy, then weekly in months 7–9; a month before the due date and at least a week
before it; during the hospital stay; days 1–3 after check-out. Each kind of call is a
callback rule of its own (``stays:<topic>``), so the F5 list shows the seed's line to say.

``sync`` is idempotent (one callback per customer, rule and day, as every rule). When the
due date or delivery day changes it is run again: calls still to come that no longer fit
are removed and the new ones made; calls already made (tried or closed) stay as they are.
"""

from datetime import date, timedelta

from sqlmodel import Session, col, select

from models import Callback, CallbackRule, Contract
from reception.clock import clock
from reception.db import chain_lock

#: Stored name prefix of the schedule's rules; ``callback_rules.rule_label`` translates.
PREFIX = "stays:"
EVENT = "stay_schedule"
#: In order of precedence when two fall on one day.
TOPICS = ("signing", "week", "month_before", "week_before", "hospital", "after", "weekly",
          "monthly")
PRENATAL = ("signing", "week", "month_before", "week_before", "weekly", "monthly")
#: The weekly calls start at the 7th month: 16 weeks before the due date.
WEEKLY_FROM_DAYS = 112
MONTH_BEFORE_DAYS = 30
WEEK_BEFORE_DAYS = 7
AFTER_DAYS = (1, 2, 3)


def plan(contract: Contract) -> list[tuple[str, date]]:
    """Every call of the contract's schedule, (topic, day), by day; one call a day."""
    signed, due = contract.signed_day, contract.due_day
    calls: list[tuple[str, date]] = [("signing", signed), ("week", signed + timedelta(days=7))]
    weekly_from = due - timedelta(days=WEEKLY_FROM_DAYS)
    month = signed + timedelta(days=30)
    while month < weekly_from:
        calls.append(("monthly", month))
        month += timedelta(days=30)
    week = max(weekly_from, signed + timedelta(days=14))
    while week < due - timedelta(days=MONTH_BEFORE_DAYS):
        calls.append(("weekly", week))
        week += timedelta(days=7)
    calls.append(("month_before", due - timedelta(days=MONTH_BEFORE_DAYS)))
    calls.append(("week_before", due - timedelta(days=WEEK_BEFORE_DAYS)))
    born = contract.delivery_day
    calls.append(("hospital", (born or due) + timedelta(days=1)))
    if born is not None:
        # Born before the due date: the calls of a pregnancy that is over are dropped.
        calls = [(topic, day) for topic, day in calls if topic not in PRENATAL or day < born]
    if contract.status == "checked_out" and contract.check_out_day:
        calls += [("after", contract.check_out_day + timedelta(days=n)) for n in AFTER_DAYS]
    calls = [(topic, day) for topic, day in calls if day >= signed]
    chosen: dict[date, str] = {}
    for topic, day in calls:
        if day not in chosen or TOPICS.index(topic) < TOPICS.index(chosen[day]):
            chosen[day] = topic
    return sorted(((topic, day) for day, topic in chosen.items()), key=lambda pair: pair[1])


def ensure_rules(session: Session, *, by: int | None = None) -> dict[str, CallbackRule]:
    """The schedule's rules, made once (a manager may switch one off in F5)."""
    names = [PREFIX + topic for topic in TOPICS]
    rules = {rule.name[len(PREFIX):]: rule for rule in session.exec(
        select(CallbackRule).where(col(CallbackRule.name).in_(names))).all()}
    if len(rules) < len(TOPICS):
        # The rules are the chain's: made once, whichever branch comes first.
        chain_lock(session, "callback_rules")
        rules = {rule.name[len(PREFIX):]: rule for rule in session.exec(
            select(CallbackRule).where(col(CallbackRule.name).in_(names))).all()}
    for topic in TOPICS:
        if topic not in rules:
            rule = CallbackRule(name=PREFIX + topic, event=EVENT, days_after=0, active=True,
                                created_at=clock.now_utc(), created_by_id=by)
            session.add(rule)
            rules[topic] = rule
    session.flush()
    return rules


def is_made(callback: Callback) -> bool:
    return callback.status != "open" or callback.attempts > 0


def calls_of(session: Session, contract: Contract) -> list[tuple[str, Callback]]:
    """The contract's schedule as it is on the F5 list: (topic, callback), by day."""
    rules = ensure_rules(session)
    topic_of = {rule.id: topic for topic, rule in rules.items()}
    found = session.exec(select(Callback).where(
        Callback.customer_id == contract.customer_id,
        col(Callback.rule_id).in_(list(topic_of)),
        Callback.event_day >= contract.signed_day).order_by(Callback.due_day)).all()
    return [(topic_of[callback.rule_id], callback) for callback in found]


def sync(session: Session, contract: Contract, *, by: int | None) -> int:
    """Make the schedule's calls from today on; drop untried ones that no longer fit.
    Returns how many calls were made."""
    rules = ensure_rules(session, by=by)
    today = clock.today()
    wanted = set(plan(contract))
    have: set[tuple[str, date]] = set()
    for topic, callback in calls_of(session, contract):
        key = (topic, callback.event_day)
        if key in wanted or is_made(callback):
            have.add(key)
        else:
            session.delete(callback)
    session.flush()
    made = 0
    now = clock.now_utc()
    for topic, day in sorted(wanted - have, key=lambda pair: pair[1]):
        rule = rules[topic]
        if day < today or not rule.active:
            continue
        session.add(Callback(customer_id=contract.customer_id, rule_id=rule.id, event_day=day,
                             due_day=day, status="open", created_at=now, created_by_id=by))
        made += 1
    session.flush()
    return made
