"""The counter's logbooks (deliveries, parking tickets, supplies, drinks, and the kinds a
manager adds), checklists with due times, shift handovers and room bookings."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from models.base import BranchOwned, Stamped, time_field


class LogKind(BranchOwned, Stamped, table=True):
    """A kind of logbook. Built-in kinds have a ``code`` and rules of their own; a kind the
    manager adds has a name and the labels of its fields (one per line)."""

    __tablename__ = "log_kind"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(default="", max_length=20)  # delivery, parking, supplies, drinks, ""
    name: str = Field(default="", max_length=60)
    # The fields of a kind the manager adds, one label per line.
    fields: str = Field(default="")
    position: int = Field(default=0)
    active: bool = Field(default=True)


class LogEntry(BranchOwned, Stamped, table=True):
    """One line of a logbook. Never updated or deleted (the store refuses it): a mistake
    is put right by a new entry naming the one it corrects (``corrects_id``)."""

    __tablename__ = "log_entry"

    id: int | None = Field(default=None, primary_key=True)
    kind_id: int = Field(foreign_key="log_kind.id", index=True)
    day: date = Field(index=True)
    at: datetime = time_field()
    # JSON: the entry's fields by name (built-in kinds) or label (the manager's kinds).
    data: str = Field(default="{}")
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    visitor_id: int | None = Field(default=None, foreign_key="visitor.id")
    # Who served, or who confirmed with her PIN (supplies).
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    corrects_id: int | None = Field(default=None, foreign_key="log_entry.id", index=True)
    # A correction that strikes the entry out rather than replacing its values.
    voids: bool = Field(default=False)
    note: str = Field(default="")


class ChecklistItem(BranchOwned, Stamped, table=True):
    """One duty of a checklist (opening, dusk, patrol, closing), as the manager keeps it."""

    __tablename__ = "checklist_item"

    id: int | None = Field(default=None, primary_key=True)
    checklist: str = Field(max_length=20, index=True)
    # A duty from the seeds is kept as its code (shown in the reader's language) until the
    # manager rewords it: then ``text`` holds her words and the code is cleared.
    code: str = Field(default="", max_length=40)
    text: str = Field(default="")
    position: int = Field(default=0)
    active: bool = Field(default=True)


class ChecklistTick(BranchOwned, Stamped, table=True):
    """An item of one day's checklist ticked (the round of a patrol), by whom and when."""

    __tablename__ = "checklist_tick"
    __table_args__ = (UniqueConstraint("day", "item_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    item_id: int = Field(foreign_key="checklist_item.id")
    round: int = Field(default=0)
    due_at: datetime = time_field()
    ticked_at: datetime = time_field()
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    note: str = Field(default="")


class Handover(BranchOwned, Stamped, table=True):
    """The outgoing staff member's note and what the app knew then; acknowledged by the
    incoming staff member with her PIN."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    from_staff_id: int = Field(foreign_key="staff.id")
    note: str = Field(default="")
    # JSON: what the app filled in (customers in, keys out, messages, …) when written.
    contents: str = Field(default="{}")
    acknowledged_at: datetime | None = time_field(nullable=True, default=None, index=True)
    acknowledged_by_id: int | None = Field(default=None, foreign_key="staff.id")


class Room(BranchOwned, Stamped, table=True):
    """A meeting room or the VIP room, booked at the desk."""

    __table_args__ = (UniqueConstraint("name", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=60)
    kind: str = Field(default="meeting", max_length=20)  # meeting, vip
    active: bool = Field(default=True)


class RoomBooking(BranchOwned, Stamped, table=True):
    __tablename__ = "room_booking"

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id", index=True)
    day: date = Field(index=True)
    starts_at: datetime = time_field(index=True)
    ends_at: datetime = time_field()
    host: str = Field(default="")
    people: int = Field(default=1)
    tea: bool = Field(default=False)
    air_conditioning: bool = Field(default=False)
    note: str = Field(default="")
    prepared_at: datetime | None = time_field(nullable=True, default=None)
    cancelled_at: datetime | None = time_field(nullable=True, default=None)
    cancelled_by_id: int | None = Field(default=None, foreign_key="staff.id")
