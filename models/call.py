"""Phone calls (the path taken through the script) and messages to relay."""

from datetime import date, datetime

from sqlmodel import Field

from models.base import BranchOwned, Stamped, time_field


class Call(BranchOwned, Stamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    started_at: datetime = time_field()
    ended_at: datetime | None = time_field(nullable=True, default=None)
    # JSON list of the script node ids visited, in order.
    path: str = Field(default="[]")
    outcome: str = Field(default="", max_length=40)  # message, booked, transferred, abandoned, …
    caller_name: str = Field(default="")
    caller_phone: str = Field(default="", max_length=40)
    note: str = Field(default="")
    taken_by_id: int | None = Field(default=None, foreign_key="staff.id")


class Message(BranchOwned, Stamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    call_id: int | None = Field(default=None, foreign_key="call.id")
    recipient_id: int = Field(foreign_key="staff.id", index=True)
    caller_name: str = Field(default="")
    phone: str = Field(default="", max_length=40)
    matter: str = Field(default="")
    relayed_at: datetime | None = time_field(nullable=True, default=None, index=True)
    relayed_by_id: int | None = Field(default=None, foreign_key="staff.id")
