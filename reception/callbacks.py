"""The daily callback list: rules make it, attempts work it, a survey closes it.

Seed 002 §20: every morning the early shift phones the previous day's new customers and
asks about the front desk, the beautician's professionalism, whether the consultant
answered in time, and any opinion of the company. Seed 003 §4.8 adds calls a few days
after a stay's check-out.

This module records the calls (attempts, retries within opening hours, the survey) and
keeps half-filled surveys; ``callback_rules`` makes the list, ``callback_list`` reads it,
``callback_summary`` sums the surveys up. The names screens use are all reachable here.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import arrow
from sqlmodel import Session, col, select

from models import (
    Callback,
    CallbackAttempt,
    CallbackSurvey,
    Draft,
)
from reception import audit, days, settings, times
from reception.callback_list import (
    Counts,
    Entry,
    attempts_of,
    counts,
    day_list,
    flagged,
    get_entry,
    not_done,
)
from reception.callback_rules import (
    BUILTIN_RULE_NAME,
    CLOSING,
    LIST_LIMIT,
    LOW_SCORE,
    QUESTIONS,
    RETRYABLE,
    CallbackError,
    CallOutcome,
    Event,
    Status,
    add_rule,
    ensure_builtin_rule,
    generate,
    get_rule,
    list_rules,
    rule_label,
    set_rule_active,
    update_rule,
)
from reception.callback_summary import (
    Summary,
    default_export_path,
    export_summary,
    parse_range,
    summary,
    summary_csv,
)
from reception.clock import clock
from reception.errors import ValidationError
from reception.permissions import require_manager
from reception.text import narrow

#: What screens, the CLI and other modules use, wherever it is defined.
__all__ = [
    "Answer",
    "BUILTIN_RULE_NAME",
    "CallOutcome",
    "CallbackError",
    "Counts",
    "Entry",
    "Event",
    "LATER_MAX_DAYS",
    "LOW_SCORE",
    "QUESTIONS",
    "SURVEY_DRAFT_PREFIX",
    "Status",
    "Summary",
    "add_rule",
    "attempts_of",
    "clear_flag",
    "counts",
    "day_list",
    "default_export_path",
    "ensure_builtin_rule",
    "export_summary",
    "flagged",
    "generate",
    "get_entry",
    "get_rule",
    "list_rules",
    "next_try",
    "not_done",
    "opening_hours",
    "parse_later",
    "parse_range",
    "record_attempt",
    "record_survey",
    "rule_label",
    "set_rule_active",
    "summary",
    "summary_csv",
    "survey_draft_form",
    "survey_drafts",
    "survey_of",
    "update_rule",
    "within_opening_hours",
]


# --- opening hours and retries -------------------------------------------------------
def opening_hours(session: Session) -> tuple[time, time]:
    clinic = settings.load(session)
    return clinic.opens, clinic.closes


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


_LATER_TIME = re.compile(r"(?:(?:(\d{4})-)?(\d{1,2})-(\d{1,2})\s)?(\S+)", re.ASCII)


#: How far ahead "call back later" may be set (a mistyped year must not hide a callback).
LATER_MAX_DAYS = 366


def parse_later(text: str, *, now: datetime | None = None) -> datetime:
    """The time typed for "call back later": ``HH:MM`` (today, or tomorrow if past),
    ``MM-DD HH:MM`` or ``YYYY-MM-DD HH:MM``; in the clinic's time zone.

    The whole text must be one of these (not merely contain a time), and the time must lie
    within ``LATER_MAX_DAYS`` days ahead.
    """
    now_local = clock.local(now or clock.now_utc())
    cleaned = " ".join(narrow(text).split())
    match = _LATER_TIME.fullmatch(cleaned) if cleaned.isascii() else None
    if match is None:
        raise ValidationError("call_back_at", "callbacks.later.bad_time")
    year, month, day, typed_time = match.groups()
    hour, minute = times.parse_hhmm(typed_time, field="call_back_at",
                                    message="callbacks.later.bad_time")
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
    clinic = settings.load(session)
    hours = (clinic.opens, clinic.closes)
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
        if callback.attempts >= clinic.callback_max_attempts:
            callback.status = Status.UNREACHED
            callback.closed_at = now
        else:
            retry_at = next_try(now, retry_hours=clinic.callback_retry_hours, hours=hours)
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


def clear_flag(session: Session, callback_id: int, *, by: int | None) -> Callback:
    """The manager has dealt with a low score: it leaves the dashboard."""
    require_manager(session, by, error=CallbackError)
    callback = session.get(Callback, callback_id)
    if callback is None:
        raise CallbackError("callbacks.not_found")
    callback.flagged = False
    session.add(callback)
    audit.record(session, by=by, action="callback_flag_cleared", record_type="callback",
                 record_id=callback.id)
    return callback


# --- drafts of half-filled surveys ---------------------------------------------------
#: The survey form's drafts: ``callbacks.survey.<callback id>`` (``area.form.record``).
SURVEY_DRAFT_PREFIX = "callbacks.survey."


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
