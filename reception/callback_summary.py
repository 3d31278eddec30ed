"""Callback survey results over a period: averages per question, overall and per
consultant, on screen and as a CSV file.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import case, distinct, func
from sqlmodel import Session, col, select

from models import (
    Callback,
    CallbackSurvey,
    Customer,
    Staff,
)
from reception.callback_rules import QUESTIONS, CallbackError, Status
from reception.errors import ValidationError
from reception.files import write_private
from reception.spreadsheet import csv_text
from reception.text import narrow


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


def parse_range(first: str, last: str) -> tuple[date, date]:
    """The summary's dates as typed (``YYYY-MM-DD``, full-width digits too); the field
    that is not a date is named (``first`` / ``last``)."""
    days_typed = []
    for name, typed in (("first", first), ("last", last)):
        try:
            days_typed.append(date.fromisoformat(narrow(typed).strip()))
        except ValueError:
            raise ValidationError(name, "callbacks.summary.bad_date") from None
    if days_typed[1] < days_typed[0]:
        raise ValidationError("last", "callbacks.summary.bad_range")
    return days_typed[0], days_typed[1]


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
    """The summary as CSV text (UTF-8 with a BOM added by ``export_summary`` for Excel);
    a consultant's name never becomes a live formula (``reception.spreadsheet``)."""
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
