"""What F8 needs on first use: the built-in logbooks, the seeds' checklist items and the
two rooms. Read first (``missing``), so opening the screen takes no write lock."""

from sqlmodel import Session, func, select

from models import ChecklistItem, LogKind, Room
from reception import checklists, logbook, rooms


def missing(session: Session) -> bool:
    kinds = session.exec(select(func.count()).select_from(LogKind)
                         .where(LogKind.code != "")).one()
    items = session.exec(select(func.count()).select_from(ChecklistItem)).one()
    have_rooms = session.exec(select(func.count()).select_from(Room)).one()
    return kinds < len(logbook.BUILTIN) or not items or not have_rooms


def ensure(session: Session) -> None:
    logbook.ensure_builtin_kinds(session)
    checklists.ensure_default_items(session)
    rooms.ensure_default_rooms(session)
