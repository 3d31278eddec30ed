"""A day's counts (visits, new and returning customers, deals, calls, messages) made in
SQL from the records, and the same counts copied from the paper register.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import arrow
from sqlalchemy import case, func
from sqlmodel import Session, col, select

from models import (
    Call,
    Message,
    Outcome,
    PaperCount,
    Staff,
    Visit,
)
from reception import audit, days, settings
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.text import narrow

#: The days the night check can be moved to (a mistyped year, or stepping past the last
#: date Python knows, must not end the program).
FIRST_DAY = date(2000, 1, 1)


LAST_DAY = date(2099, 12, 31)


#: The largest count the paper register can hold (a slip of the finger adds a digit).
PAPER_COUNT_MAX = 1_000_000


#: The totals the night staff copies from the paper register, in display order.
PAPER_COUNT_NAMES = ("visits", "new", "returning", "deals", "calls", "messages")


class ReconcileError(ReceptionError):
    """A night-check rule said no (bad paper count, bad date, …)."""


@dataclass
class Counts:
    visits: int = 0
    new: int = 0
    returning: int = 0
    deals: int = 0
    calls: int = 0
    messages: int = 0
    # (staff id or None, name, visits) — None is "no consultant".
    per_consultant: list[tuple[int | None, str, int]] = field(default_factory=list)

    def total(self, name: str) -> int:
        return getattr(self, name)


# --- time helpers -----------------------------------------------------------------------
def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day's start and the next day's start, in UTC (for time-indexed columns)."""
    start = arrow.Arrow(day.year, day.month, day.day, tzinfo=clock.tz)
    return start.to("utc").datetime, start.shift(days=1).to("utc").datetime


def day_has_ended(session: Session, day: date) -> bool:
    """A past day, or today after closing time (the closing_time setting)."""
    today = clock.today()
    if day != today:
        return day < today
    return clock.now().time() >= settings.load(session).closing


# --- counts -----------------------------------------------------------------------------
def count_day(session: Session, day: date) -> Counts:
    visits, new, deals = session.exec(
        select(
            func.count(Visit.id),
            func.coalesce(func.sum(case((col(Visit.is_new).is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Visit.outcome == Outcome.DEAL, 1), else_=0)), 0),
        ).where(Visit.day == day)
    ).one()
    calls = session.exec(select(func.count(Call.id)).where(Call.day == day)).one()
    messages = session.exec(select(func.count(Message.id)).where(Message.day == day)).one()
    per_consultant = session.exec(
        select(Visit.consultant_id, Staff.name, func.count(Visit.id))
        .outerjoin(Staff, Staff.id == Visit.consultant_id)
        .where(Visit.day == day)
        .group_by(Visit.consultant_id, Staff.name)
        .order_by(func.count(Visit.id).desc(), Staff.name)
    ).all()
    return Counts(
        visits=visits, new=new, returning=visits - new, deals=deals, calls=calls,
        messages=messages,
        per_consultant=[(staff_id, name or "", n) for staff_id, name, n in per_consultant],
    )


def parse_day(text: str) -> date:
    """A day typed as YYYY-MM-DD, within the days the night check knows."""
    value = text.strip()
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError("day", "reconcile.bad_date", value=value) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError("day", "reconcile.day_out_of_range", value=value,
                              first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    return day


def paper_counts(session: Session, day: date) -> dict[str, int]:
    rows = session.exec(select(PaperCount).where(PaperCount.day == day)).all()
    return {row.name: row.value for row in rows}


def set_paper_count(
    session: Session, day: date, name: str, value: int | str | None, *, by: int | None
) -> None:
    """Store (or, with None / "", clear) one count copied from the paper register."""
    days.ensure_open(session, day)
    if name not in PAPER_COUNT_NAMES:
        raise ReconcileError("reconcile.unknown_count", name=name)
    if isinstance(value, str):
        value = narrow(value).strip()
        if value == "":
            value = None
        elif not (value.isascii() and value.isdigit()):
            raise ValidationError("paper", "reconcile.paper_not_number", value=value)
        else:
            value = int(value)
    if value is not None and value < 0:
        raise ValidationError("paper", "reconcile.paper_not_number", value=value)
    if value is not None and value > PAPER_COUNT_MAX:
        raise ValidationError("paper", "reconcile.paper_too_big", value=value,
                              most=PAPER_COUNT_MAX)
    row = session.exec(
        select(PaperCount).where(PaperCount.day == day, PaperCount.name == name)
    ).first()
    if value is None:
        if row is not None:
            session.delete(row)
    else:
        row = row or PaperCount(day=day, name=name, created_at=clock.now_utc(),
                                created_by_id=by)
        row.value = value
        session.add(row)
    session.flush()
    audit.record(session, by=by, action="paper_count", record_type="paper_count",
                 record_id=row.id if row is not None else None, day=day.isoformat(),
                 name=name, value=value)
