"""Customers, their case numbers and their stays (postpartum centre)."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import BranchOwned, Stamped, time_field


class Customer(Stamped, table=True):
    __table_args__ = (UniqueConstraint("phone"), UniqueConstraint("case_number"))

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    # Normalised phone (E.164 for mobiles, area code + number for landlines).
    phone: str = Field(max_length=40)
    gender: str = Field(default="", max_length=10)
    # Pinyin initials of the name, for typing "zxm" to find 张小明.
    name_initials: str = Field(default="", max_length=100, index=True)
    source: str = Field(default="", description="how they heard of us")
    interest: str = Field(default="", description="what they first came for")
    case_number: str | None = Field(default=None, max_length=20)
    consultant_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    first_visit_day: date | None = Field(default=None, index=True)
    note: str = Field(default="")
    # Arrival time of the latest visit; the store keeps it with every visit written
    # (triggers of migration 0004), for the search's "most recent visit first".
    last_visit_at: datetime | None = time_field(nullable=True, default=None, index=True)


class CaseNumberDay(SQLModel, table=True):
    """The last case-number sequence handed out on a day (incremented under a write lock)."""

    __tablename__ = "case_number_day"

    day: date = Field(primary_key=True)
    last_seq: int = Field(default=0)


class Stay(BranchOwned, Stamped, table=True):
    """A stay at a care centre: check-in and check-out days (callback rules use check-out)."""

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    room: str = Field(default="", max_length=40)
    check_in_day: date = Field(index=True)
    check_out_day: date | None = Field(default=None, index=True)
