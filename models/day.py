"""Day sign-off and reopening (append-only), and the paper register's counts."""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from models.base import BranchOwned, Stamped


class DayEvent(BranchOwned, Stamped, table=True):
    """A day is read-only while its latest event is a sign-off."""

    __tablename__ = "day_event"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    kind: str = Field(max_length=20)  # signoff, reopen
    reason: str = Field(default="")
    # JSON: counts and findings at sign-off.
    snapshot: str = Field(default="{}")


class PaperCount(BranchOwned, Stamped, table=True):
    """A count the night staff copied from the paper register, to compare with the records."""

    __tablename__ = "paper_count"
    __table_args__ = (UniqueConstraint("day", "name", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    name: str = Field(max_length=40)
    value: int = 0
