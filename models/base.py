"""Fields every record carries: when it was made and by which signed-in staff member."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel

from models.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def time_field(*, nullable: bool = False, index: bool = False, **kwargs):
    """A timezone-aware time column."""
    return Field(sa_type=UTCDateTime, nullable=nullable, index=index, **kwargs)


class Stamped(SQLModel):
    created_at: datetime = time_field()
    created_by_id: int | None = Field(default=None, foreign_key="staff.id")
