"""Appointments, walk-in visits, visitors who are not customers, and case-file requests."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from models.base import BranchOwned, Stamped, time_field


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


class Appointment(BranchOwned, Stamped, table=True):
    __table_args__ = (UniqueConstraint("number", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    # Kept as given at booking, for a caller who is not yet a customer.
    name: str = Field(default="")
    phone: str = Field(default="", max_length=40, index=True)
    consultant_id: int | None = Field(default=None, foreign_key="staff.id")
    scheduled_at: datetime = time_field(index=True)
    day: date = Field(index=True)
    purpose: str = Field(default="")
    status: str = Field(default=AppointmentStatus.BOOKED, max_length=20)
    arrived_at: datetime | None = time_field(nullable=True, default=None)
    call_id: int | None = Field(default=None, foreign_key="call.id")


class VisitPath(StrEnum):
    FIRST = "A"  # first visit, no appointment
    BOOKED = "B"  # first visit, with appointment
    DOCTOR_FIRST = "C1"  # returning, sees the doctor first
    TREATMENT = "C2"  # returning, treatment only


class VisitStatus(StrEnum):
    WAITING = "waiting"
    WITH_CONSULTANT = "with_consultant"
    WITH_DOCTOR = "with_doctor"
    IN_TREATMENT = "in_treatment"
    LEFT = "left"


class Outcome(StrEnum):
    DEAL = "deal"
    NO_DEAL = "no_deal"


class Visit(BranchOwned, Stamped, table=True):
    __table_args__ = (
        Index("ix_visit_day_status", "day", "status"),
        Index("ix_visit_consultant_day", "consultant_id", "day"),
        Index("ix_visit_customer_day", "customer_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    customer_id: int = Field(foreign_key="customer.id")
    is_new: bool = Field(default=True, description="first visit (new customer) or returning")
    path: str = Field(max_length=4)
    purpose: str = Field(default="")
    consultant_id: int | None = Field(default=None, foreign_key="staff.id")
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    status: str = Field(default=VisitStatus.WAITING, max_length=20)
    status_since: datetime = time_field()
    arrived_at: datetime = time_field()
    outcome: str | None = Field(default=None, max_length=10)
    items: str = Field(default="", description="treatment items of a closed deal")
    amount_cents: int | None = Field(default=None)
    departed_at: datetime | None = time_field(nullable=True, default=None)


class Visitor(BranchOwned, Stamped, table=True):
    """Someone at the desk who is not a customer: for the boss, a courier, a job applicant."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    name: str = Field(default="")
    phone: str = Field(default="", max_length=40)
    kind: str = Field(default="other", max_length=20)  # boss, courier, applicant, other
    host: str = Field(default="", description="for whom")
    host_id: int | None = Field(default=None, foreign_key="staff.id")
    has_appointment: bool = Field(default=False)
    reason: str = Field(default="")
    decision: str = Field(default="pending", max_length=20)  # pending, received, declined
    arrived_at: datetime = time_field()
    left_at: datetime | None = time_field(nullable=True, default=None)
    # The registration form (客人来访登记表): filled in at the desk (F8).
    company: str = Field(default="")
    people: int = Field(default=1)
    room: str = Field(default="", description="which room, when not a person")
    id_checked: bool = Field(default=False)
    drink: str = Field(default="")
    badge: str = Field(default="", max_length=40, description="badge or temporary card given")
    badge_returned_at: datetime | None = time_field(nullable=True, default=None)
    # A job applicant's form, handed to HR (seed 001, 秘书服务 1).
    handed_to_hr_at: datetime | None = time_field(nullable=True, default=None)


class CaseFileRequest(BranchOwned, Stamped, table=True):
    """Triage path C2 asks for a case file from the archive room; the key log fulfils it."""

    __tablename__ = "case_file_request"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    customer_id: int = Field(foreign_key="customer.id")
    visit_id: int | None = Field(default=None, foreign_key="visit.id")
    consultant_id: int | None = Field(default=None, foreign_key="staff.id")
    key_event_id: int | None = Field(default=None, foreign_key="key_event.id")
    fulfilled_at: datetime | None = time_field(nullable=True, default=None, index=True)
