"""Staff, their roles, the rota by day, and who is signed in where."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from models.base import BranchOwned, Stamped, time_field


class Role(StrEnum):
    RECEPTIONIST = "receptionist"
    CONSULTANT = "consultant"
    DOCTOR = "doctor"
    BEAUTICIAN = "beautician"
    CASHIER = "cashier"
    MANAGER = "manager"


class Staff(BranchOwned, Stamped, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=100)
    role: str = Field(max_length=20, index=True)
    pin_hash: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=40)
    active: bool = Field(default=True)


class RotaEntry(BranchOwned, Stamped, table=True):
    """One staff member on duty on one day; ``position`` orders the rotation."""

    __tablename__ = "rota_entry"
    __table_args__ = (UniqueConstraint("day", "staff_id"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    shift: str = Field(default="", max_length=40)
    position: int = Field(default=0)


class SignIn(BranchOwned, Stamped, table=True):
    """A counter session: who signed in, on which terminal, still alive when."""

    __tablename__ = "sign_in"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    terminal: str = Field(default="", max_length=200)
    signed_in_at: datetime = time_field()
    last_seen_at: datetime = time_field(index=True)
    signed_out_at: datetime | None = time_field(nullable=True, default=None)
