"""A postpartum centre's stays (seed 003 §4.2–§4.8): rooms, contracts with their handover
and archive, payments (append-only), the departments' confirmations of a check-in notice,
the first week's daily visits, in-stay requests and complaints, and check-out deductions.

Money is integer fen. A contract's customer is a ``Customer``; the stay itself (check-in
and check-out days, what the check-out callback rules read) is a ``Stay`` linked from it.
"""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from models.base import BranchOwned, Stamped, time_field


class StayRoom(BranchOwned, Stamped, table=True):
    __tablename__ = "stay_room"
    __table_args__ = (UniqueConstraint("name", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40)
    #: "ok", "cleaning" (after a check-out, until ready) or "out" (out of service).
    state: str = Field(default="ok", max_length=20)
    note: str = Field(default="")


class Contract(BranchOwned, Stamped, table=True):
    """The handover form (§4.2.1) and the customer's archive (§4.2.2), one row per contract."""

    __tablename__ = "stay_contract"
    __table_args__ = (UniqueConstraint("number", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    #: signed, in_stay, checked_out, cancelled
    status: str = Field(default="signed", max_length=20, index=True)
    id_number: str = Field(default="", max_length=40)
    emergency_name: str = Field(default="", max_length=100)
    emergency_relation: str = Field(default="", max_length=40)
    emergency_phone: str = Field(default="", max_length=40)
    address: str = Field(default="")
    package: str = Field(default="", max_length=100)
    days: int = Field(default=28)
    list_price: int = Field(default=0)
    price: int = Field(default=0)
    first_payment: int = Field(default=0)
    balance_due: int = Field(default=0)
    card_fee: int = Field(default=0)
    signed_day: date = Field(index=True)
    hospital: str = Field(default="", max_length=100)
    hospital_escort: bool = Field(default=False)
    due_day: date = Field(index=True)
    room_id: int | None = Field(default=None, foreign_key="stay_room.id", index=True)
    in_contract: str = Field(default="")
    not_in_contract: str = Field(default="")
    other_terms: str = Field(default="")
    special_requests: str = Field(default="")
    sales_id: int | None = Field(default=None, foreign_key="staff.id")
    service_id: int | None = Field(default=None, foreign_key="staff.id")
    # --- the archive, filled in as the stay goes on (§4.2.2) ---
    delivery_day: date | None = Field(default=None)
    delivery_mode: str = Field(default="", max_length=20)  # natural / caesarean
    delivery_hospital: str = Field(default="", max_length=100)
    delivery_bed: str = Field(default="", max_length=40)
    babies: int = Field(default=0)
    baby_sex: str = Field(default="", max_length=20)
    baby_weight_g: int = Field(default=0)
    nurse: str = Field(default="", max_length=100)
    pickup_at: datetime | None = time_field(nullable=True, default=None)
    pickup_place: str = Field(default="", max_length=200)
    #: The expected (then actual) day of arrival; None until known.
    arrival_day: date | None = Field(default=None, index=True)
    check_out_day: date | None = Field(default=None, index=True)
    photo_day: date | None = Field(default=None)
    head_shave_day: date | None = Field(default=None)
    party_day: date | None = Field(default=None)
    dropoff_at: datetime | None = time_field(nullable=True, default=None)
    dropoff_place: str = Field(default="", max_length=200)
    follow_up: str = Field(default="")
    #: On the check-in notice (§4.5.1): cash vouchers, and what is given on top.
    vouchers: str = Field(default="")
    extras: str = Field(default="")
    #: Why an expected arrival did not come (the night check accepts it as explained).
    arrival_note: str = Field(default="")
    stay_id: int | None = Field(default=None, foreign_key="stay.id")
    # --- check-out (§4.7.2) ---
    items_confirmed: bool = Field(default=False)
    room_checked: bool = Field(default=False)
    survey_score: int | None = Field(default=None)
    survey_text: str = Field(default="")
    checked_out_at: datetime | None = time_field(nullable=True, default=None)


class Payment(BranchOwned, Stamped, table=True):
    """One line of the cashier's book. Never edited or deleted: a correction is a new line
    (``corrects_id``) with the opposite amount."""

    __tablename__ = "stay_payment"
    __table_args__ = (UniqueConstraint("receipt", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    receipt: str = Field(max_length=40)
    contract_id: int = Field(foreign_key="stay_contract.id", index=True)
    #: balance, deposit, refund (the deposit given back), correction
    kind: str = Field(max_length=20)
    #: card_credit, card_debit, alipay, wechat, cash
    method: str = Field(max_length=20)
    #: Fen taken in (a refund or the correction of an intake is negative).
    amount: int
    #: The credit-card fee taken on top of ``amount`` (0.6%).
    fee: int = Field(default=0)
    day: date = Field(index=True)
    at: datetime = time_field()
    corrects_id: int | None = Field(default=None, foreign_key="stay_payment.id")
    note: str = Field(default="")


class Deduction(BranchOwned, Stamped, table=True):
    """What is kept from the deposit at check-out, each with its reason."""

    __tablename__ = "stay_deduction"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="stay_contract.id", index=True)
    reason: str = Field(max_length=200)
    amount: int


class Confirmation(BranchOwned, Stamped, table=True):
    """A department signed the check-in notice (§4.5.1 2.4)."""

    __tablename__ = "stay_confirmation"
    __table_args__ = (UniqueConstraint("contract_id", "department", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="stay_contract.id", index=True)
    department: str = Field(max_length=20)
    #: Who signed for the department (as told to the front desk).
    signed_by: str = Field(default="", max_length=100)
    at: datetime = time_field()


class DailyVisit(BranchOwned, Stamped, table=True):
    """One of the first seven days' visits (§4.6.3), ticked when made."""

    __tablename__ = "stay_visit"
    __table_args__ = (UniqueConstraint("contract_id", "day_no", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="stay_contract.id", index=True)
    day_no: int
    at: datetime = time_field()
    note: str = Field(default="")


class StayRequest(BranchOwned, Stamped, table=True):
    """An in-stay request (meal change, care change, …) or a complaint, relayed to a
    department and tracked until done. A complaint is promised an answer in ten minutes."""

    __tablename__ = "stay_request"

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="stay_contract.id", index=True)
    #: meal, care, other, complaint
    kind: str = Field(max_length=20)
    text: str
    department: str = Field(default="", max_length=20)
    at: datetime = time_field(index=True)
    answered_at: datetime | None = time_field(nullable=True, default=None)
    answer: str = Field(default="")
    done_at: datetime | None = time_field(nullable=True, default=None, index=True)
