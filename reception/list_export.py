"""``reception export --list …``: the desk's lists as CSV or ``.xlsx`` (seed 002).

- ``day``: the register book of ``--date``, new customers and returning ones;
- ``deals`` / ``no-deals``: 已成交 / 未成交顾客档案 from ``--date`` to ``--to``;
- ``month``: each consultant's month (the month of ``--date``), or ``--consultant``'s;
- ``callbacks``: the callback summary from ``--date`` to ``--to``.

Phones are masked (as the lists show them) unless ``--full-phone``. xlsx: one sheet per
list part (new / returning, each consultant). CSV: one file; a list in several parts
writes ``NAME-PART.csv`` beside ``NAME.csv``. Every cell is spreadsheet-safe.
"""

import sys
from datetime import date
from pathlib import Path

from sqlmodel import Session

from reception import callback_summary, register
from reception.errors import ReceptionError
from reception.files import write_private
from reception.i18n import t
from reception.list_kinds import LISTS
from reception.spreadsheet import csv_text
from reception.workbook import Sheet, workbook_bytes


class ListExportError(ReceptionError):
    """The list cannot be exported as asked."""


def _as_numbers(sheet: Sheet) -> Sheet:
    """Amounts as numbers (xlsx); CSV keeps the register's two-decimal text."""
    for row in sheet.rows:
        for column in sheet.money:
            if row[column] != "":
                row[column] = float(row[column])
    return sheet


def _register_sheet(title: str, rows, columns: tuple[str, ...], full_phone: bool) -> Sheet:
    return Sheet(title, register.headers(columns),
                 [register.cells(row, columns, full_phone=full_phone) for row in rows],
                 money={columns.index("amount")} if "amount" in columns else set())


def _consultant(session: Session, wanted: str, month: date):
    found = register.consultants_with_visits(session, month)
    for staff in found:
        if wanted in (str(staff.id), staff.name):
            return staff
    raise ListExportError("list_export.no_consultant", name=wanted)


def sheets(session: Session, kind: str, first: date, last: date, *, consultant: str | None,
           full_phone: bool, numbers: bool = False) -> list[Sheet]:
    """The list ``kind`` as sheets (title, header, rows); ``numbers``: rates and averages
    as numbers (xlsx), else as text with fixed digits."""
    if kind == "day":
        book = register.day_book(session, first)
        return [_register_sheet(t("register.new"), book.new, register.DAY_COLUMNS, full_phone),
                _register_sheet(t("register.returning"), book.returning, register.DAY_COLUMNS,
                                full_phone)]
    if kind == "deals":
        return [_register_sheet(t("register.deals"), register.deals(session, first, last),
                                register.DEAL_COLUMNS, full_phone)]
    if kind == "no-deals":
        return [_register_sheet(t("register.no_deals"), register.no_deals(session, first, last),
                                register.NO_DEAL_COLUMNS, full_phone)]
    if kind == "month":
        chosen = ([_consultant(session, consultant, first)] if consultant
                  else register.consultants_with_visits(session, first))
        return [_register_sheet(staff.name, register.consultant_month(session, staff.id, first),
                                register.MONTH_COLUMNS, full_phone) for staff in chosen]
    if numbers:
        header, rows = callback_summary.summary_table(
            session, first, last,
            number=lambda value, digits: None if value is None else round(value, digits))
    else:
        header, rows = callback_summary.summary_table(session, first, last)
    return [Sheet(t("list_export.callbacks"), header, rows)]


def export_list(database, kind: str, first: date, last: date | None, fmt: str,
                output: str | None, *, consultant: str | None = None,
                full_phone: bool = False) -> int:
    """Write the list; 0 when written."""
    if kind not in LISTS:
        raise ListExportError("list_export.unknown", kind=kind)
    if fmt not in ("csv", "xlsx"):
        raise ListExportError("list_export.format", fmt=fmt)
    last = last or first
    if last < first:
        raise ListExportError("list_export.order", first=first, last=last)
    with database.read() as session:
        parts = sheets(session, kind, first, last, consultant=consultant,
                       full_phone=full_phone, numbers=fmt == "xlsx")
    if fmt == "xlsx":
        if output is None:
            raise ListExportError("list_export.xlsx_needs_file")
        target = _target(output, ".xlsx")
        write_private(target, workbook_bytes([_as_numbers(part) for part in parts]))
        return 0
    if output is None:
        sys.stdout.write("\n".join(
            (f"# {part.title}\n" if len(parts) > 1 else "") + csv_text(part.header, part.rows)
            for part in parts))
        return 0
    target = _target(output, ".csv")
    if len(parts) == 1:
        write_private(target, csv_text(parts[0].header, parts[0].rows), encoding="utf-8-sig")
        return 0
    for number, part in enumerate(parts, start=1):
        label = "".join(char for char in part.title if char.isalnum())[:20] or str(number)
        write_private(target.with_name(f"{target.stem}-{label}.csv"),
                      csv_text(part.header, part.rows), encoding="utf-8-sig")
    return 0


def _target(output: str, suffix: str) -> Path:
    target = Path(output).expanduser()
    if target.is_dir():
        raise ListExportError("reconcile.export_is_folder", path=target)
    if not target.parent.is_dir():
        raise ListExportError("reconcile.export_no_folder", path=target.parent)
    return target if target.suffix.lower() == suffix else target.with_name(
        target.name + suffix)
