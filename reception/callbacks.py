"""The daily callback list: rules make it, attempts work it, a survey closes it.

Seed 002 §20: every morning the early shift phones the previous day's new customers and
asks about the front desk, the beautician's professionalism, whether the consultant
answered in time, and any opinion of the company. Seed 003 §4.8 adds calls a few days
after a stay's check-out. Each rule turns events (first visit, deal closed, check-out)
into callbacks due ``days_after`` the event.

Generating the list is idempotent: one callback per customer, rule and event day (a
unique constraint), inserted under the write lock with ``ON CONFLICT DO NOTHING``, so
opening the screen twice or in two processes never makes a callback twice.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path

import arrow
from sqlalchemy import case, distinct, func
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models import (
    Callback,
    CallbackAttempt,
    CallbackRule,
    CallbackSurvey,
    Customer,
    Draft,
    Outcome,
    Role,
    Staff,
    Stay,
    Visit,
)
from reception import audit, days, settings
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.files import write_private
from reception.spreadsheet import csv_text


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
        rule = CallbackRule(name=BUILTIN_RULE_NAME, event=Event.FIRST_VISIT, days_after=1,
                            active=True, builtin=True, created_at=clock.now_utc(),
                            created_by_id=by)
        session.add(rule)
        session.flush()
    return rule


def rule_label(rule: CallbackRule) -> str:
    from reception.i18n import t

    return t("callbacks.rule.builtin") if rule.builtin else rule.name


def list_rules(session: Session) -> list[CallbackRule]:
    return list(session.exec(select(CallbackRule).order_by(CallbackRule.id)
                             .limit(RULES_LIMIT)).all())


def _require_manager(session: Session, by: int | None) -> None:
    staff = session.get(Staff, by) if by is not None else None
    if staff is None or staff.role != Role.MANAGER:
        raise CallbackError("staff.manager_only")


def add_rule(
    session: Session, *, name: str, event: str, days_after: int, by: int | None
) -> CallbackRule:
    """A manager's rule: a callback ``days_after`` days after ``event``."""
    _require_manager(session, by)
    name = name.strip()
    if not name:
        raise ValidationError("name", "field.required")
    if len(name) > 100:
        raise ValidationError("name", "callbacks.rule.name_too_long")
    if event not in Event.__members__.values():
        raise ValidationError("event", "callbacks.rule.bad_event", event=event)
    if not isinstance(days_after, int) or not 0 <= days_after <= 365:
        raise ValidationError("days_after", "callbacks.rule.bad_days")
    rule = CallbackRule(name=name, event=event, days_after=days_after, active=True,
                        created_at=clock.now_utc(), created_by_id=by)
    session.add(rule)
    session.flush()
    audit.record(session, by=by, action="callback_rule_add", record_type="callback_rule",
                 record_id=rule.id, name=name, event=event, days_after=days_after)
    return rule


def set_rule_active(session: Session, rule_id: int, active: bool, *, by: int | None
                    ) -> CallbackRule:
    _require_manager(session, by)
    rule = session.get(CallbackRule, rule_id)
    if rule is None:
        raise CallbackError("callbacks.rule.not_found")
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
            statement = sqlite_insert(Callback).on_conflict_do_nothing(
                index_elements=["customer_id", "rule_id", "event_day"])
            result = session.connection().execute(statement, rows)
            inserted = result.rowcount
            made += inserted if inserted is not None and inserted >= 0 else len(rows)
    if made:
        audit.record(session, by=by, action="callbacks_generated", record_type="callback",
                     day=day.isoformat(), count=made)
    return made


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
        status=callback.status, consultant_name=consultant or "",
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


# --- opening hours and retries -------------------------------------------------------


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def opening_hours(session: Session) -> tuple[time, time]:
    opens, closes = settings.get(session, "opening_hours")
    return _hhmm(opens), _hhmm(closes)


def _at(day: date, when: time) -> arrow.Arrow:
    return arrow.Arrow(day.year, day.month, day.day, when.hour, when.minute, tzinfo=clock.tz)


def within_opening_hours(when: datetime, hours: tuple[time, time]) -> bool:
    local = clock.local(when)
    return hours[0] <= local.time() < hours[1]


def next_try(after: datetime, *, retry_hours: float, hours: tuple[time, time]) -> datetime:
    """``retry_hours`` after ``after``, moved into opening hours.

    Before opening → that day's opening; at or after closing (the last try of the day
    has been made) → the next day's opening.
    """
    candidate = clock.local(after).shift(hours=retry_hours)
    opens, closes = hours
    if candidate.time() < opens:
        candidate = _at(candidate.date(), opens)
    elif candidate.time() >= closes:
        candidate = _at(candidate.date() + timedelta(days=1), opens)
    return candidate.to("utc").datetime


_LATER_TIME = re.compile(r"(?:(?:(\d{4})-)?(\d{1,2})-(\d{1,2})\s)?(\d{1,2}):(\d{2})")
#: Digits, colon and hyphen as a Chinese input method may type them.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９：－", "0123456789:-")
#: How far ahead "call back later" may be set (a mistyped year must not hide a callback).
LATER_MAX_DAYS = 366


def parse_later(text: str, *, now: datetime | None = None) -> datetime:
    """The time typed for "call back later": ``HH:MM`` (today, or tomorrow if past),
    ``MM-DD HH:MM`` or ``YYYY-MM-DD HH:MM``; in the clinic's time zone.

    The whole text must be one of these (not merely contain a time), and the time must lie
    within ``LATER_MAX_DAYS`` days ahead.
    """
    now_local = clock.local(now or clock.now_utc())
    cleaned = " ".join(text.translate(_FULL_WIDTH).split())
    match = _LATER_TIME.fullmatch(cleaned) if cleaned.isascii() else None
    if match is None:
        raise ValidationError("call_back_at", "callbacks.later.bad_time")
    year, month, day, hour, minute = match.groups()
    try:
        if month is None:
            parsed = _at(now_local.date(), time(int(hour), int(minute)))
            if parsed <= now_local:
                parsed = parsed.shift(days=1)
        else:
            parsed = arrow.Arrow(int(year) if year else now_local.year, int(month), int(day),
                                 int(hour), int(minute), tzinfo=clock.tz)
            if year is None and parsed <= now_local:
                parsed = arrow.Arrow(now_local.year + 1, int(month), int(day), int(hour),
                                     int(minute), tzinfo=clock.tz)
        if parsed <= now_local:
            raise ValidationError("call_back_at", "callbacks.later.in_past")
        if parsed > now_local.shift(days=LATER_MAX_DAYS):
            raise ValidationError("call_back_at", "callbacks.later.too_far",
                                  days=LATER_MAX_DAYS)
        return parsed.to("utc").datetime
    except (ValueError, OverflowError):
        # Not a date (02-30), or a year so far off the time zone maths overflows.
        raise ValidationError("call_back_at", "callbacks.later.bad_time") from None


# --- recording calls -----------------------------------------------------------------


def _open_callback(session: Session, callback_id: int) -> Callback:
    callback = session.get(Callback, callback_id)
    if callback is None:
        raise CallbackError("callbacks.not_found")
    if callback.status != Status.OPEN:
        raise CallbackError("callbacks.closed", status=callback.status)
    return callback


def record_attempt(
    session: Session,
    callback_id: int,
    outcome: str,
    *,
    by: int | None,
    call_back_at: datetime | None = None,
    note: str = "",
) -> Callback:
    """A call that did not reach a survey: no answer, busy, wrong number, later, declined.

    No answer / busy: tried again ``callback_retry_hours`` later within opening hours; at
    ``callback_max_attempts`` the callback closes as unreached. "Later" needs the time the
    customer asked for (within opening hours); the callback comes back then.
    """
    if outcome == CallOutcome.REACHED:
        raise CallbackError("callbacks.reached_needs_survey")
    if outcome not in CallOutcome.__members__.values():
        raise CallbackError("callbacks.bad_outcome", outcome=outcome)
    now = clock.now_utc()
    days.ensure_open(session, clock.day_of(now))
    callback = _open_callback(session, callback_id)
    hours = opening_hours(session)
    retry_at: datetime | None = None
    if outcome == CallOutcome.LATER:
        if call_back_at is None:
            raise ValidationError("call_back_at", "callbacks.later.bad_time")
        if call_back_at <= now:
            raise ValidationError("call_back_at", "callbacks.later.in_past")
        if not within_opening_hours(call_back_at, hours):
            raise ValidationError("call_back_at", "callbacks.later.closed",
                                  opens=hours[0].strftime("%H:%M"),
                                  closes=hours[1].strftime("%H:%M"))
        retry_at = call_back_at
    callback.attempts += 1
    callback.last_outcome = outcome
    if outcome in RETRYABLE:
        if callback.attempts >= int(settings.get(session, "callback_max_attempts")):
            callback.status = Status.UNREACHED
            callback.closed_at = now
        else:
            retry_at = next_try(now, retry_hours=float(settings.get(
                session, "callback_retry_hours")), hours=hours)
    elif outcome in CLOSING:
        callback.status = CLOSING[outcome]
        callback.closed_at = now
    callback.next_try_at = retry_at
    session.add(callback)
    session.add(CallbackAttempt(
        callback_id=callback.id, day=clock.day_of(now), at=now, outcome=outcome,
        retry_at=retry_at, note=note.strip(), created_at=now, created_by_id=by))
    audit.record(session, by=by, action="callback_attempt", record_type="callback",
                 record_id=callback.id, outcome=outcome, status=callback.status,
                 retry_at=retry_at)
    return callback


@dataclass
class Answer:
    score: int | None = None
    text: str = ""


def record_survey(
    session: Session,
    callback_id: int,
    answers: dict[str, Answer],
    *,
    by: int | None,
    note: str = "",
) -> CallbackSurvey:
    """The customer was reached: the four questions as one survey record; closes the call.

    A score of 2 or less flags the callback for the manager (dashboard).
    """
    for prefix, _key in QUESTIONS:
        answer = answers.get(prefix, Answer())
        if answer.score is not None and not (
            isinstance(answer.score, int) and 1 <= answer.score <= 5
        ):
            raise ValidationError(prefix, "callbacks.survey.bad_score")
    if not any(answers.get(prefix, Answer()).score is not None
               or answers.get(prefix, Answer()).text.strip() for prefix, _key in QUESTIONS):
        raise ValidationError(QUESTIONS[0][0], "callbacks.survey.empty")
    now = clock.now_utc()
    days.ensure_open(session, clock.day_of(now))
    callback = _open_callback(session, callback_id)
    survey = CallbackSurvey(callback_id=callback.id, created_at=now, created_by_id=by)
    for prefix, _key in QUESTIONS:
        answer = answers.get(prefix, Answer())
        setattr(survey, f"{prefix}_score", answer.score)
        setattr(survey, f"{prefix}_text", answer.text.strip())
    low = any(answers.get(prefix, Answer()).score is not None
              and answers[prefix].score <= LOW_SCORE for prefix, _key in QUESTIONS)
    callback.attempts += 1
    callback.last_outcome = CallOutcome.REACHED
    callback.status = Status.REACHED
    callback.closed_at = now
    callback.next_try_at = None
    callback.flagged = callback.flagged or low
    session.add(callback)
    session.add(survey)
    session.add(CallbackAttempt(
        callback_id=callback.id, day=clock.day_of(now), at=now, outcome=CallOutcome.REACHED,
        note=note.strip(), created_at=now, created_by_id=by))
    session.flush()
    audit.record(session, by=by, action="callback_survey", record_type="callback",
                 record_id=callback.id, flagged=callback.flagged)
    return survey


def survey_of(session: Session, callback_id: int) -> CallbackSurvey | None:
    return session.exec(
        select(CallbackSurvey).where(CallbackSurvey.callback_id == callback_id)).first()


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


def clear_flag(session: Session, callback_id: int, *, by: int | None) -> Callback:
    """The manager has dealt with a low score: it leaves the dashboard."""
    _require_manager(session, by)
    callback = session.get(Callback, callback_id)
    if callback is None:
        raise CallbackError("callbacks.not_found")
    callback.flagged = False
    session.add(callback)
    audit.record(session, by=by, action="callback_flag_cleared", record_type="callback",
                 record_id=callback.id)
    return callback


# --- summary and export --------------------------------------------------------------


@dataclass
class SummaryRow:
    consultant_id: int | None
    consultant_name: str
    callbacks: int = 0
    reached: int = 0
    closed_unreached: int = 0
    still_open: int = 0
    flagged: int = 0
    #: Average score per question prefix (None: no score given).
    averages: dict[str, float | None] = field(default_factory=dict)

    @property
    def reached_rate(self) -> float | None:
        return self.reached / self.callbacks if self.callbacks else None


@dataclass
class Summary:
    first: date
    last: date
    total: SummaryRow
    by_consultant: list[SummaryRow]


def _summary_query(first: date, last: date, *, per_consultant: bool):
    columns = [
        func.count(distinct(Callback.id)),
        func.sum(case((Callback.status == Status.REACHED, 1), else_=0)),
        func.sum(case((col(Callback.status).in_(
            [Status.UNREACHED, Status.WRONG_NUMBER, Status.DECLINED]), 1), else_=0)),
        func.sum(case((Callback.status == Status.OPEN, 1), else_=0)),
        func.sum(case((col(Callback.flagged).is_(True), 1), else_=0)),
        *[func.avg(getattr(CallbackSurvey, f"{prefix}_score")) for prefix, _ in QUESTIONS],
    ]
    if per_consultant:
        columns = [Customer.consultant_id, Staff.name, *columns]
    query = (
        select(*columns)
        .select_from(Callback)
        .join(Customer, Customer.id == Callback.customer_id)
        .outerjoin(CallbackSurvey, CallbackSurvey.callback_id == Callback.id)
        .where(Callback.due_day >= first, Callback.due_day <= last)
    )
    if per_consultant:
        query = (query.outerjoin(Staff, Staff.id == Customer.consultant_id)
                 .group_by(Customer.consultant_id, Staff.name)
                 .order_by(Staff.name))
    return query


def _summary_row(consultant_id, name, values) -> SummaryRow:
    callbacks, reached, unreached, still_open, flagged_count, *averages = values
    return SummaryRow(
        consultant_id=consultant_id, consultant_name=name or "",
        callbacks=callbacks or 0, reached=reached or 0, closed_unreached=unreached or 0,
        still_open=still_open or 0, flagged=flagged_count or 0,
        averages={prefix: (float(value) if value is not None else None)
                  for (prefix, _), value in zip(QUESTIONS, averages, strict=True)},
    )


def summary(session: Session, first: date, last: date) -> Summary:
    """Callbacks due in ``first..last``: reached rate, average per question, per consultant
    (the customer's consultant)."""
    if last < first:
        raise ValidationError("last", "callbacks.summary.bad_range")
    total = _summary_row(None, "", session.exec(
        _summary_query(first, last, per_consultant=False)).one())
    by_consultant = [
        _summary_row(row[0], row[1], row[2:])
        for row in session.exec(_summary_query(first, last, per_consultant=True)).all()
    ]
    return Summary(first=first, last=last, total=total, by_consultant=by_consultant)


def _number(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def summary_csv(session: Session, first: date, last: date) -> str:
    """The summary as CSV text (UTF-8 with a BOM added by ``export_summary`` for Excel)."""
    return csv_text(*summary_table(session, first, last))


def summary_table(session: Session, first: date, last: date, *,
                  number=_number) -> tuple[list[str], list[list[object]]]:
    """The summary as a header and rows (for CSV and xlsx alike); ``number(value, digits)``
    writes a rate or an average (text with fixed digits by default)."""
    from reception.i18n import t

    result = summary(session, first, last)
    header = [
        t("callbacks.csv.from"), t("callbacks.csv.to"), t("callbacks.csv.consultant"),
        t("callbacks.csv.callbacks"), t("callbacks.csv.reached"),
        t("callbacks.csv.closed_unreached"), t("callbacks.csv.open"),
        t("callbacks.csv.reached_rate"), t("callbacks.csv.flagged"),
        *[t(key) for _prefix, key in QUESTIONS],
    ]
    rows = [(t("callbacks.csv.all"), result.total)]
    rows += [(row.consultant_name or t("callbacks.csv.no_consultant"), row)
             for row in result.by_consultant]
    return header, [[
        first.isoformat(), last.isoformat(), label, row.callbacks, row.reached,
        row.closed_unreached, row.still_open, number(row.reached_rate, 3), row.flagged,
        *[number(row.averages.get(prefix), 2) for prefix, _ in QUESTIONS],
    ] for label, row in rows]


def default_export_path(first: date, last: date, folder: Path | None = None) -> Path:
    """``callbacks-FIRST-LAST.csv`` in ``folder`` (the app passes the exports folder
    beside the database, where the register book's exports go too)."""
    if folder is None:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("reception", appauthor=False))
    return folder / f"callbacks-{first:%Y%m%d}-{last:%Y%m%d}.csv"


def export_summary(session: Session, first: date, last: date, path: str | Path) -> Path:
    """Write the summary CSV to ``path`` (a folder gets the default file name)."""
    text = summary_csv(session, first, last)
    target = Path(str(path).strip() or default_export_path(first, last)).expanduser()
    if target.is_dir():
        target = target / default_export_path(first, last).name
    try:
        # The BOM lets Excel (the seed's "表格") open the Chinese text correctly.
        write_private(target, text, encoding="utf-8-sig")
    except OSError as error:
        raise CallbackError("callbacks.export.failed", path=target,
                            reason=error.strerror or str(error)) from error
    return target


# --- drafts of half-filled surveys ---------------------------------------------------

SURVEY_DRAFT_PREFIX = "callback_survey:"


def survey_draft_form(callback_id: int) -> str:
    """The draft name of one callback's survey (one draft per callback and staff)."""
    return f"{SURVEY_DRAFT_PREFIX}{callback_id}"


def survey_drafts(session: Session, owner_id: int | None) -> list[int]:
    """Callbacks (still open) whose survey ``owner_id`` left half-filled."""
    forms = session.exec(
        select(Draft.form).where(col(Draft.form).startswith(SURVEY_DRAFT_PREFIX),
                                 Draft.owner_id == owner_id).limit(LIST_LIMIT)
    ).all()
    ids = [int(form.removeprefix(SURVEY_DRAFT_PREFIX)) for form in forms
           if form.removeprefix(SURVEY_DRAFT_PREFIX).isdigit()]
    if not ids:
        return []
    return list(session.exec(
        select(Callback.id).where(col(Callback.id).in_(ids), Callback.status == Status.OPEN)
        .order_by(Callback.id)).all())
