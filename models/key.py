"""Room keys and their append-only log (lend, return, correction)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from models.base import BranchOwned, Stamped, time_field


class RoomKey(BranchOwned, Stamped, table=True):
    __tablename__ = "room_key"
    __table_args__ = (UniqueConstraint("name", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    # Comma-separated roles that may take the key.
    roles_allowed: str = Field(default="")
    needs_manager_approval: bool = Field(default=False)
    limit_minutes: int = Field(default=30)
    active: bool = Field(default=True)
    # The archive room's key: case-file requests (triage path C2) are fetched with it.
    is_archive: bool = Field(default=False)


class KeyEventKind(StrEnum):
    OUT = "out"
    BACK = "back"
    CORRECTION = "correction"


class KeyEvent(BranchOwned, Stamped, table=True):
    """One line of the key log. Never updated or deleted (database triggers refuse it)."""

    __tablename__ = "key_event"

    id: int | None = Field(default=None, primary_key=True)
    key_id: int = Field(foreign_key="room_key.id", index=True)
    kind: str = Field(max_length=20)
    day: date = Field(index=True)
    at: datetime = time_field()
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    # Free text as typed; a built-in purpose is stored as its code instead (purpose_code,
    # ``reception.key_purposes``) and shown in the language of whoever reads the log.
    purpose: str = Field(default="")
    purpose_code: str = Field(default="", max_length=40)
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    approved_by_id: int | None = Field(default=None, foreign_key="staff.id")
    # A return closes the loan it names; a correction names the entry it corrects.
    loan_id: int | None = Field(default=None, foreign_key="key_event.id", index=True)
    corrects_id: int | None = Field(default=None, foreign_key="key_event.id")
    note: str = Field(default="")
