"""``reception export --date D --format json|csv``: every record of one day.

Read in one snapshot (one read transaction), so the export is consistent even while the
counter writes. Tables and their rows:

- records with a ``day``: visit, visitor, appointment, call, message, key_event,
  callback_attempt, case_file_request, rota_entry, paper_count, day_event,
  case_number_day; the logbooks (log_entry, checklist_tick, handover, room_booking);
  callbacks due that day; stays checked in or out that day; the stays' contracts signed,
  arriving, leaving or paid that day, with their payments, deductions, the departments'
  confirmations, visits and requests of the day;
- the logbook kinds and checklist items (log_kind, checklist_item: few rows) so the
  entries and ticks can be read;
- customers first seen that day or met that day (visits, appointments);
- survey answers of the callbacks attempted that day; the day's audit trail;
- staff (id, name, role, active: never the PIN hash) so the ids can be read.

Formats:

- ``json``: one object ``{"day": …, "tables": {name: [row, …]}}`` to ``--output FILE``
  or stdout.
- ``csv`` with ``--output FOLDER``: one ``<table>.csv`` per table (header row first,
  also for an empty table); with ``--output NAME.csv``: one ``NAME-<table>.csv`` per table
  beside it. Without ``--output``: every table to stdout, each as a block that starts with
  a ``# <table>`` line, then its header and rows, blocks separated by an empty line. Every
  cell is spreadsheet-safe (``reception.spreadsheet``).
"""

import json
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import or_
from sqlmodel import Session, SQLModel, col, select

from models import (
    Appointment,
    AuditEntry,
    Call,
    Callback,
    CallbackAttempt,
    CallbackSurvey,
    CaseFileRequest,
    CaseNumberDay,
    ChecklistItem,
    ChecklistTick,
    Customer,
    DayEvent,
    Handover,
    KeyEvent,
    LogEntry,
    LogKind,
    Message,
    PaperCount,
    RoomBooking,
    RotaEntry,
    Staff,
    Stay,
    Visit,
    Visitor,
)
from reception.day_counts import day_bounds
from reception.errors import ReceptionError
from reception.files import private_folder, write_private
from reception.location import os_reason
from reception.spreadsheet import csv_text

DAY_TABLES: tuple[type[SQLModel], ...] = (
    Visit, Visitor, Appointment, Call, Message, KeyEvent, CallbackAttempt, CaseFileRequest,
    RotaEntry, PaperCount, DayEvent, LogEntry, ChecklistTick, Handover, RoomBooking,
)
#: Small tables exported whole with every day: what the logbook's ids refer to.
REFERENCE_TABLES: tuple[type[SQLModel], ...] = (LogKind, ChecklistItem)
STAFF_COLUMNS = ("id", "name", "role", "active")


class ExportError(ReceptionError):
    """The export cannot be written where asked."""


def _columns(model: type[SQLModel]) -> list[str]:
    """The table's columns, primary key first (rows are sorted by it)."""
    columns = list(model.__table__.columns)
    return [column.name for column in columns if column.primary_key] + [
        column.name for column in columns if not column.primary_key]


def _value(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(records: Iterable[SQLModel], columns: list[str]) -> list[dict]:
    return [{name: _value(getattr(record, name)) for name in columns} for record in records]


def day_records(session: Session, day: date) -> dict[str, tuple[list[str], list[dict]]]:
    """``{table: (columns, rows)}`` of every record of ``day``."""
    tables: dict[str, tuple[list[str], list[dict]]] = {}

    def put(model: type[SQLModel], records: Iterable[SQLModel]) -> None:
        columns = _columns(model)
        ordered = sorted(records, key=lambda record: getattr(record, columns[0]) or 0)
        tables[model.__tablename__] = (columns, _rows(ordered, columns))

    for model in DAY_TABLES:
        put(model, session.exec(select(model).where(model.day == day)).all())
    visits = [row for row in tables["visit"][1]]
    appointments = tables["appointment"][1]
    customer_ids = {row["customer_id"] for row in visits + appointments if row["customer_id"]}
    customers = {c.id: c for c in session.exec(
        select(Customer).where(Customer.first_visit_day == day)).all()}
    missing = sorted(customer_ids - customers.keys())
    for start in range(0, len(missing), 500):
        chunk = missing[start:start + 500]
        customers.update({c.id: c for c in session.exec(
            select(Customer).where(col(Customer.id).in_(chunk))).all()})
    put(Customer, customers.values())
    put(Callback, session.exec(select(Callback).where(Callback.due_day == day)).all())
    attempted = sorted({row["callback_id"] for row in tables["callback_attempt"][1]})
    put(CallbackSurvey, session.exec(
        select(CallbackSurvey).where(col(CallbackSurvey.callback_id).in_(attempted))).all()
        if attempted else [])
    put(Stay, session.exec(select(Stay).where(
        or_(Stay.check_in_day == day, Stay.check_out_day == day))).all())
    from reception import stay_findings

    for model, records in stay_findings.export_rows(session, day):
        put(model, records)
    case_day = session.get(CaseNumberDay, day)
    put(CaseNumberDay, [case_day] if case_day else [])
    start, end = day_bounds(day)
    put(AuditEntry, session.exec(
        select(AuditEntry).where(AuditEntry.at >= start, AuditEntry.at < end)).all())
    for model in REFERENCE_TABLES:
        put(model, session.exec(select(model)).all())
    staff = session.exec(select(Staff).order_by(Staff.id)).all()
    tables["staff"] = (list(STAFF_COLUMNS), _rows(staff, list(STAFF_COLUMNS)))
    return dict(sorted(tables.items()))


def _csv_text(columns: list[str], rows: list[dict]) -> str:
    # Customer text never becomes a live formula in the spreadsheet (reception.spreadsheet).
    return csv_text(columns, ([row.get(name) for name in columns] for row in rows))


def _write_atomically(path: Path, text: str) -> None:
    try:
        write_private(path, text)
    except OSError as error:
        raise ExportError("reconcile.export_cannot_write", path=path,
                          reason=os_reason(error, path)) from error


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        write_private(path, data)
    except OSError as error:
        raise ExportError("reconcile.export_cannot_write", path=path,
                          reason=os_reason(error, path)) from error


def export_command(database, day: date, fmt: str, output: str | None) -> int:
    """Write every record of ``day``; 0 when written."""
    if fmt not in ("json", "csv", "xlsx"):
        raise ExportError("reconcile.export_bad_format", fmt=fmt)
    with database.read() as session:
        tables = day_records(session, day)
    if fmt == "xlsx":
        from reception.list_export import ListExportError, _target
        from reception.workbook import Sheet, workbook_bytes

        if output is None:
            raise ListExportError("list_export.xlsx_needs_file")
        # One sheet per table.
        book = workbook_bytes([Sheet(name, columns, [[row.get(column) for column in columns]
                                                     for row in rows])
                               for name, (columns, rows) in tables.items()])
        _write_bytes(_target(output, ".xlsx"), book)
        return 0
    if fmt == "json":
        document = {"day": day.isoformat(),
                    "tables": {name: rows for name, (_columns, rows) in tables.items()}}
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        if output is None:
            sys.stdout.write(text)
            return 0
        target = Path(output).expanduser()
        if target.is_dir():
            raise ExportError("reconcile.export_is_folder", path=target)
        if not target.parent.is_dir():
            raise ExportError("reconcile.export_no_folder", path=target.parent)
        _write_atomically(target, text)
        return 0
    if output is None:
        blocks = [f"# {name}\n" + _csv_text(columns, rows)
                  for name, (columns, rows) in tables.items()]
        sys.stdout.write("\n".join(blocks))
        return 0
    target = Path(output).expanduser()
    if target.suffix.lower() == ".csv" and not target.is_dir():
        # Several tables, several files: NAME-visit.csv, NAME-customer.csv, … beside it.
        if not target.parent.is_dir():
            raise ExportError("reconcile.export_no_folder", path=target.parent)
        for name, (columns, rows) in tables.items():
            _write_atomically(target.with_name(f"{target.stem}-{name}.csv"),
                              _csv_text(columns, rows))
        return 0
    folder = target
    if folder.exists() and not folder.is_dir():
        raise ExportError("reconcile.export_not_folder", path=folder)
    try:
        private_folder(folder)
    except OSError as error:
        raise ExportError("reconcile.export_cannot_write", path=folder,
                          reason=os_reason(error, folder / "x")) from error
    for name, (columns, rows) in tables.items():
        _write_atomically(folder / f"{name}.csv", _csv_text(columns, rows))
    return 0
