"""The counter's logbooks (seed 002 §13, §17, §18; seed 001 3.4.2): one mechanism, several
kinds. Each kind is an append-only log of the day with its own fields; a mistake is put
right by a new entry naming the one it corrects (its values replace the old ones, or it
strikes the entry out). No function here updates or deletes an entry, and the store
refuses it (``refuse_changes``).

Built-in kinds (``BUILTIN``) carry their rules in ``logbook_rules``; a kind the manager adds
has a name and the labels of its fields.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, func, select

from models import LogEntry, LogKind, Staff
from reception import audit, days, logbook_rules
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from reception.permissions import require_manager

#: The built-in kinds, in the order the board shows them.
BUILTIN = logbook_rules.BUILTIN
KIND_NAME_MAX = 60
MAX_FIELDS = 6


class LogbookError(ReceptionError):
    """A logbook rule said no."""


@event.listens_for(OrmSession, "before_flush")
def refuse_changes(session, _context, _instances) -> None:
    """A logbook entry, once written, is never changed or removed (corrections are new)."""
    for entry in (*session.dirty, *session.deleted):
        if isinstance(entry, LogEntry) and (entry in session.deleted
                                            or session.is_modified(entry)):
            raise LogbookError("logbook.append_only")


# --- kinds ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    id: int
    code: str
    name: str
    #: (field id, label) in the order they are typed.
    fields: tuple[tuple[str, str], ...]
    active: bool


def _kind(row: LogKind) -> Kind:
    if row.code:
        name = t(f"logbook.kind.{row.code}")
        fields = tuple((field, t(f"logbook.field.{field}"))
                       for field in logbook_rules.FIELDS[row.code])
    else:
        name = row.name
        labels = [line.strip() for line in row.fields.splitlines() if line.strip()]
        fields = tuple((f"f{index}", label) for index, label in enumerate(labels, 1))
    return Kind(row.id, row.code, name, fields, row.active)


def ensure_builtin_kinds(session: Session) -> None:
    """The four built-in kinds, added the first time the logbook is used."""
    have = set(session.exec(select(LogKind.code).where(LogKind.code != "")).all())
    now = clock.now_utc()
    for position, code in enumerate(BUILTIN):
        if code not in have:
            session.add(LogKind(code=code, position=position, created_at=now))
    session.flush()


def kinds(session: Session, *, active_only: bool = True) -> list[Kind]:
    query = select(LogKind).order_by(LogKind.position, LogKind.id)
    if active_only:
        query = query.where(col(LogKind.active).is_(True))
    return [_kind(row) for row in session.exec(query)]


def kind(session: Session, kind_id: int) -> Kind:
    row = session.get(LogKind, kind_id)
    if row is None:
        raise LogbookError("logbook.unknown_kind")
    return _kind(row)


def kind_by_code(session: Session, code: str) -> Kind:
    row = session.exec(select(LogKind).where(LogKind.code == code)).first()
    if row is None:
        ensure_builtin_kinds(session)
        row = session.exec(select(LogKind).where(LogKind.code == code)).one()
    return _kind(row)


def _kind_values(name: str, fields_text: str) -> tuple[str, str]:
    name = name.strip()
    if not name:
        raise ValidationError("name", "field.required")
    if len(name) > KIND_NAME_MAX:
        raise ValidationError("name", "logbook.kind_name_long", limit=KIND_NAME_MAX)
    labels = [label.strip() for label in fields_text.replace("，", ",").replace(",", "\n")
              .splitlines() if label.strip()]
    if not labels:
        raise ValidationError("fields", "logbook.kind_needs_fields")
    if len(labels) > MAX_FIELDS or len(set(labels)) != len(labels):
        raise ValidationError("fields", "logbook.kind_fields_rule", limit=MAX_FIELDS)
    return name, "\n".join(labels)


def add_kind(session: Session, *, name: str, fields: str, by: int | None) -> LogKind:
    """A manager adds a logbook of her own: a name and the labels of its fields."""
    require_manager(session, by, error=LogbookError)
    name, labels = _kind_values(name, fields)
    if any(other.name.casefold() == name.casefold() for other in kinds(session,
                                                                         active_only=False)):
        raise ValidationError("name", "logbook.kind_exists", name=name)
    position = session.exec(select(func.max(LogKind.position))).one() or 0
    row = LogKind(name=name, fields=labels, position=position + 1,
                  created_at=clock.now_utc(), created_by_id=by)
    session.add(row)
    session.flush()
    audit.record(session, by=by, action="log_kind_add", record_type="log_kind",
                 record_id=row.id, name=name)
    return row


def update_kind(session: Session, kind_id: int, *, name: str, fields: str, active: bool,
                by: int | None) -> LogKind:
    """The manager renames a kind she added, changes its fields or puts it away (entries
    already written keep their values). A built-in kind can only be put away."""
    require_manager(session, by, error=LogbookError)
    row = session.get(LogKind, kind_id)
    if row is None:
        raise LogbookError("logbook.unknown_kind")
    if not row.code:
        row.name, row.fields = _kind_values(name, fields)
    row.active = active
    session.add(row)
    audit.record(session, by=by, action="log_kind_update", record_type="log_kind",
                 record_id=row.id, active=active)
    return row


# --- entries -------------------------------------------------------------------------------
def add_entry(session: Session, kind_id: int, values: dict[str, str], *, by: int | None,
              pin: str = "") -> LogEntry:
    """Write one entry of today's log, or refuse saying why (at the field)."""
    today = clock.today()
    days.ensure_open(session, today)
    row = session.get(LogKind, kind_id)
    if row is None or not row.active:
        raise LogbookError("logbook.unknown_kind")
    checked = logbook_rules.check(session, _kind(row), values, by=by, pin=pin)
    now = clock.now_utc()
    entry = LogEntry(kind_id=kind_id, day=today, at=checked.at or now,
                     data=json.dumps(checked.data, ensure_ascii=False),
                     customer_id=checked.customer_id, visit_id=checked.visit_id,
                     visitor_id=checked.visitor_id, staff_id=checked.staff_id,
                     created_at=now, created_by_id=by)
    session.add(entry)
    session.flush()
    audit.record(session, by=by, action="log_entry", record_type="log_entry",
                 record_id=entry.id, kind=row.code or row.name)
    return entry


def correct(session: Session, entry_id: int, *, by: int | None, note: str,
            values: dict[str, str] | None = None, pin: str = "") -> LogEntry:
    """Put an entry right with a new one: ``values`` replace the entry's (checked by the
    same rules), or, without values, the entry is struck out. The reason is required."""
    days.ensure_open(session, clock.today())
    target = session.get(LogEntry, entry_id)
    if target is None:
        raise LogbookError("logbook.unknown_entry")
    days.ensure_open(session, target.day)
    if target.corrects_id is not None:
        target = session.get(LogEntry, target.corrects_id)
    if not note.strip():
        raise ValidationError("note", "logbook.correction_needs_note")
    latest = _latest_corrections(session, [target.id]).get(target.id)
    if latest is not None and latest.voids:
        raise LogbookError("logbook.already_struck", entry=target.id)
    now = clock.now_utc()
    correction = LogEntry(kind_id=target.kind_id, day=target.day, at=target.at,
                          data=target.data if latest is None else latest.data,
                          customer_id=target.customer_id, visit_id=target.visit_id,
                          visitor_id=target.visitor_id, staff_id=target.staff_id,
                          corrects_id=target.id, voids=values is None, note=note.strip(),
                          created_at=now, created_by_id=by)
    if values is not None:
        row = session.get(LogKind, target.kind_id)
        checked = logbook_rules.check(session, _kind(row), values, by=by, pin=pin,
                                      day=target.day)
        correction.data = json.dumps(checked.data, ensure_ascii=False)
        correction.at = checked.at or target.at
        correction.customer_id, correction.visit_id = checked.customer_id, checked.visit_id
        correction.visitor_id, correction.staff_id = checked.visitor_id, checked.staff_id
    session.add(correction)
    session.flush()
    audit.record(session, by=by, action="log_correct", record_type="log_entry",
                 record_id=correction.id, corrects_id=target.id, voids=values is None)
    return correction


def _latest_corrections(session: Session, entry_ids: list[int]) -> dict[int, LogEntry]:
    if not entry_ids:
        return {}
    rows = session.exec(select(LogEntry).where(col(LogEntry.corrects_id).in_(entry_ids))
                        .order_by(LogEntry.id)).all()
    return {row.corrects_id: row for row in rows}


@dataclass(frozen=True)
class Line:
    """One entry of a day's log as it stands (its latest correction applied)."""

    entry_id: int
    kind_id: int
    at: datetime
    values: dict
    written_by: str
    corrected: bool
    struck: bool
    note: str

    def value(self, field: str) -> str:
        return str(self.values.get(field, ""))


def lines(session: Session, day: date, kind_id: int | None = None, *,
          include_struck: bool = True) -> list[Line]:
    """The day's entries (of one kind), oldest first, as corrected."""
    query = (select(LogEntry, Staff.name).outerjoin(Staff, Staff.id == LogEntry.created_by_id)
             .where(LogEntry.day == day, col(LogEntry.corrects_id).is_(None))
             .order_by(LogEntry.at, LogEntry.id))
    if kind_id is not None:
        query = query.where(LogEntry.kind_id == kind_id)
    rows = session.exec(query).all()
    latest = _latest_corrections(session, [entry.id for entry, _ in rows])
    result = []
    for entry, name in rows:
        fix = latest.get(entry.id)
        shown = fix or entry
        line = Line(entry.id, entry.kind_id, shown.at, json.loads(shown.data), name or "",
                    fix is not None, bool(fix and fix.voids), fix.note if fix else "")
        if include_struck or not line.struck:
            result.append(line)
    return result


def counts(session: Session, day: date) -> dict[str, int]:
    """Entries of the day (struck-out ones left out) by kind name, in the board's order."""
    found = {kind.id: 0 for kind in kinds(session, active_only=False)}
    for line in lines(session, day, include_struck=False):
        found[line.kind_id] = found.get(line.kind_id, 0) + 1
    return {kind.name: found[kind.id] for kind in kinds(session, active_only=False)
            if found.get(kind.id) or kind.active}


def drinks_served(session: Session, day: date) -> int:
    drinks = kind_by_code(session, "drinks")
    return sum(_glasses(line) for line in lines(session, day, drinks.id,
                                                include_struck=False))


def _glasses(line: Line) -> int:
    try:
        return max(1, int(line.value("count") or 1))
    except ValueError:
        return 1
