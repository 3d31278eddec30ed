"""The register book (seed 002 §5–§6) and the spreadsheets the desk kept beside it.

- a day's visits, new and returning customers listed apart (the paper book keeps them apart);
- the closed-deal list (已成交顾客档案) and the no-deal list (未成交顾客档案);
- each consultant's monthly list.

Each is a list of ``RegisterRow`` from a day- or month-bounded, indexed query, and each can
be written as CSV text with ``to_csv``.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from models import Customer, Outcome, Staff, Visit
from reception import phones
from reception.clock import clock
from reception.customers import gender_label
from reception.files import write_private
from reception.i18n import t
from reception.spreadsheet import csv_text

ROW_LIMIT = 5000


@dataclass
class RegisterRow:
    visit_id: int
    day: date
    arrived_at: datetime
    departed_at: datetime | None
    name: str
    gender: str
    phone: str
    is_new: bool
    path: str
    purpose: str
    consultant: str
    outcome: str | None
    items: str
    amount_cents: int | None
    case_number: str | None


@dataclass
class DayBook:
    day: date
    new: list[RegisterRow]
    returning: list[RegisterRow]


def _rows(session: Session, *conditions, limit: int = ROW_LIMIT) -> list[RegisterRow]:
    found = session.exec(
        select(Visit, Customer, Staff.name)
        .join(Customer, Customer.id == Visit.customer_id)
        .outerjoin(Staff, Staff.id == Visit.consultant_id)
        .where(*conditions)
        .order_by(Visit.day, Visit.arrived_at, Visit.id)
        .limit(limit)
    ).all()
    return [
        RegisterRow(
            visit_id=visit.id, day=visit.day, arrived_at=visit.arrived_at,
            departed_at=visit.departed_at, name=customer.name, gender=customer.gender,
            phone=customer.phone, is_new=visit.is_new, path=visit.path,
            purpose=visit.purpose or customer.interest, consultant=consultant or "",
            outcome=visit.outcome, items=visit.items, amount_cents=visit.amount_cents,
            case_number=customer.case_number,
        )
        for visit, customer, consultant in found
    ]


def day_book(session: Session, day: date) -> DayBook:
    """A day's visits, new customers apart from returning ones."""
    rows = _rows(session, Visit.day == day)
    return DayBook(day, [row for row in rows if row.is_new],
                   [row for row in rows if not row.is_new])


def deals(session: Session, start: date, end: date | None = None) -> list[RegisterRow]:
    """Closed deals from ``start`` to ``end`` (inclusive; default the one day)."""
    return _rows(session, Visit.day >= start, Visit.day <= (end or start),
                 Visit.outcome == Outcome.DEAL)


def no_deals(session: Session, start: date, end: date | None = None) -> list[RegisterRow]:
    """Visits that ended without a deal, from ``start`` to ``end`` (inclusive)."""
    return _rows(session, Visit.day >= start, Visit.day <= (end or start),
                 Visit.outcome == Outcome.NO_DEAL)


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def consultant_month(session: Session, consultant_id: int, month: date) -> list[RegisterRow]:
    """Every visit a consultant received in the month of ``month`` (indexed by consultant, day)."""
    first, last = month_bounds(month)
    return _rows(session, Visit.consultant_id == consultant_id, Visit.day >= first,
                 Visit.day <= last)


def consultants_with_visits(session: Session, month: date) -> list[Staff]:
    """Consultants (active or not) who received visits in the month, then active ones."""
    first, last = month_bounds(month)
    ids = session.exec(
        select(Visit.consultant_id).where(Visit.day >= first, Visit.day <= last,
                                          col(Visit.consultant_id).is_not(None))
        .distinct().limit(200)
    ).all()
    found = session.exec(
        select(Staff).where((col(Staff.id).in_(ids)) | ((Staff.role == "consultant")
                                                        & col(Staff.active).is_(True)))
        .order_by(Staff.name)
    ).all()
    return list(found)


# --- CSV --------------------------------------------------------------------------------

#: Columns of the exports: (header key, value of a row).
COLUMNS = {
    "day": ("register.col.day", lambda row, _full: row.day.isoformat()),
    "arrived": ("register.col.arrived",
                lambda row, _full: clock.local(row.arrived_at).format("HH:mm")),
    "departed": ("register.col.departed",
                 lambda row, _full: clock.local(row.departed_at).format("HH:mm")
                 if row.departed_at else ""),
    "name": ("register.col.name", lambda row, _full: row.name),
    "gender": ("register.col.gender",
               lambda row, _full: gender_label(row.gender)),
    "phone": ("register.col.phone",
              lambda row, full: row.phone if full else phones.mask(row.phone)),
    "new": ("register.col.new", lambda row, _full: t("yes") if row.is_new else t("no")),
    "purpose": ("register.col.purpose", lambda row, _full: row.purpose),
    "consultant": ("register.col.consultant", lambda row, _full: row.consultant),
    "outcome": ("register.col.outcome",
                lambda row, _full: t(f"triage.outcome.{row.outcome}") if row.outcome else ""),
    "items": ("register.col.items", lambda row, _full: row.items),
    "amount": ("register.col.amount",
               lambda row, _full: f"{row.amount_cents / 100:.2f}"
               if row.amount_cents is not None else ""),
    "case_number": ("register.col.case_number", lambda row, _full: row.case_number or ""),
}
DAY_COLUMNS = ("arrived", "name", "gender", "phone", "purpose", "consultant", "outcome",
               "items", "case_number", "departed")
DEAL_COLUMNS = ("day", "name", "gender", "phone", "items", "amount", "consultant",
                "case_number")
NO_DEAL_COLUMNS = ("day", "name", "gender", "phone", "purpose", "consultant")
MONTH_COLUMNS = ("day", "name", "gender", "phone", "new", "purpose", "outcome", "items",
                 "case_number")


def cells(row: RegisterRow, columns: tuple[str, ...], *, full_phone: bool = False) -> list[str]:
    return [COLUMNS[name][1](row, full_phone) for name in columns]


def headers(columns: tuple[str, ...]) -> list[str]:
    return [t(COLUMNS[name][0]) for name in columns]


def to_csv(rows: list[RegisterRow], columns: tuple[str, ...], *,
           full_phone: bool = False) -> str:
    """The rows as CSV text (a header line, then one line per row).

    Phones are masked unless ``full_phone`` (lists show masked phones; seed 000: privacy).
    """
    # Customer text never becomes a live formula in the spreadsheet (reception.spreadsheet).
    return csv_text(headers(columns),
                    (cells(row, columns, full_phone=full_phone) for row in rows))


def write_export(rows: list[RegisterRow], columns: tuple[str, ...], path: Path) -> Path:
    """Write the rows to ``path`` as CSV, owner-only (UTF-8 with a BOM: spreadsheet programs
    then read the Chinese names correctly); OSError when it cannot be written."""
    return write_private(path, to_csv(rows, columns), encoding="utf-8-sig")
