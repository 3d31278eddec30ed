"""The audit trail and saved drafts of half-filled forms."""

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import BranchOwned, Stamped, time_field


class AuditEntry(BranchOwned, SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = time_field(index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    action: str = Field(max_length=60)
    record_type: str = Field(default="", max_length=40)
    record_id: int | None = None
    detail: str = Field(default="{}")


class Draft(BranchOwned, Stamped, table=True):
    """A form's typed text, kept until it is saved or discarded (one per form and staff)."""

    __table_args__ = (UniqueConstraint("form", "owner_id"),)

    id: int | None = Field(default=None, primary_key=True)
    form: str = Field(max_length=60)
    owner_id: int | None = Field(default=None, foreign_key="staff.id")
    data: str = Field(default="{}")
    saved_at: datetime = time_field()
