"""Fields records carry: when it was made and by which signed-in staff member; the branch."""

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


class BranchOwned(SQLModel):
    """A row that belongs to one branch of a chain.

    Domain code never sets it: the store fills it in — 1 on SQLite (a single branch), the
    counter's branch on PostgreSQL (the column's default reads the transaction's branch, and
    row-level security keeps every other branch's rows out of sight). The demo's bulk writer
    alone gives it on a server (its own branch, which the policies check).
    """

    branch_id: int | None = Field(
        default=None, nullable=False, index=True, foreign_key="branch.id",
        sa_column_kwargs={"server_default": "1"})
