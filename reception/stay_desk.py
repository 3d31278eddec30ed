"""Arrival at the desk: the check-in notice the day before and each department's
confirmation of it (seed 003 §4.5.1 2.4 入所通知单), and the check-in itself with the
balance and the deposit (§4.6.2).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from models import Confirmation, Contract, Customer, Stay, StayRoom
from reception import audit, settings
from reception.clock import clock
from reception.errors import ValidationError
from reception.stay_contracts import get
from reception.stay_payments import Kind, Payment, balance_outstanding, take
from reception.stay_rooms import RoomState, StayError, check_overlap, usable_room
from reception.stay_values import fen, line

#: The departments that sign the notice, in the seed's order (店长、护理部、护士部、
#: 产后修复部、营养师、餐厨部).
DEPARTMENTS = ("manager", "nursing", "nurses", "repair", "nutritionist", "kitchen")


@dataclass
class Notice:
    """The check-in notice: what every department reads the day before."""

    contract_id: int
    number: str
    name: str
    phone: str
    hospital: str
    room: str
    arrival_day: date | None
    vouchers: str
    extras: str
    special: str
    #: department -> (who signed, when) for those that confirmed.
    confirmed: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [dept for dept in DEPARTMENTS if dept not in self.confirmed]


def notice(session: Session, contract_id: int) -> Notice:
    contract = get(session, contract_id)
    customer = session.get(Customer, contract.customer_id)
    room = session.get(StayRoom, contract.room_id) if contract.room_id else None
    confirmed = {row.department: (row.signed_by, row.at) for row in session.exec(
        select(Confirmation).where(Confirmation.contract_id == contract.id)).all()}
    return Notice(contract.id, contract.number, customer.name, customer.phone,
                  contract.delivery_hospital or contract.hospital, room.name if room else "",
                  contract.arrival_day, contract.vouchers, contract.extras,
                  contract.special_requests, confirmed)


def confirm(session: Session, contract_id: int, department: str, signed_by: str,
            *, by: int | None) -> Confirmation:
    """A department signed the notice (once; a second signature is refused)."""
    contract = get(session, contract_id)
    if department not in DEPARTMENTS:
        raise ValidationError("department", "stays.bad_choice", value=department)
    signed_by = line(signed_by, "signed_by", limit=100, required=True)
    if session.exec(select(Confirmation.id).where(
            Confirmation.contract_id == contract.id,
            Confirmation.department == department)).first():
        raise ValidationError("department", "stays.already_confirmed")
    row = Confirmation(contract_id=contract.id, department=department, signed_by=signed_by,
                       at=clock.now_utc(), created_at=clock.now_utc(), created_by_id=by)
    session.add(row)
    session.flush()
    audit.record(session, by=by, action="stay_confirm", record_type="stay_confirmation",
                 record_id=row.id, department=department)
    return row


def unconfirmed_before(session: Session, day: date) -> list[tuple[Notice, list[str]]]:
    """Contracts arriving the day after ``day`` whose notice still lacks departments."""
    found = session.exec(select(Contract.id).where(
        Contract.status == "signed", Contract.arrival_day == day + timedelta(days=1))).all()
    result = []
    for contract_id in found:
        shown = notice(session, contract_id)
        if shown.missing:
            result.append((shown, shown.missing))
    return result


@dataclass
class CheckedIn:
    contract_id: int
    receipts: list[str]
    room: str


def check_in(session: Session, contract_id: int, values: dict[str, str],
             *, by: int | None) -> CheckedIn:
    """She arrives: the room, the balance (any method) and the deposit (not by card).

    ``values``: room, balance, balance_method, deposit, deposit_method (text as typed).
    """
    contract = get(session, contract_id)
    if contract.status != "signed":
        raise StayError("stays.not_expected", number=contract.number)
    room = usable_room(session, values.get("room", ""))
    if room.state == RoomState.CLEANING:
        raise ValidationError("room", "stays.room_cleaning", room=room.name)
    today = clock.today()
    check_overlap(session, room.id, today, today + timedelta(days=contract.days),
                  contract_id=contract.id)
    outstanding = balance_outstanding(session, contract)
    balance = fen(values.get("balance", ""), "balance")
    if balance > outstanding:
        raise ValidationError("balance", "stays.balance_above_due",
                              due=f"{outstanding / 100:.2f}")
    deposit_text = (values.get("deposit") or "").strip()
    deposit = (fen(deposit_text, "deposit") if deposit_text
               else settings.load(session).stay_deposit)
    receipts = []
    if balance:
        receipts.append(take(session, contract, kind=Kind.BALANCE, field="balance",
                             method=values.get("balance_method") or "", amount=balance,
                             by=by).receipt)
    receipts.append(take(session, contract, kind=Kind.DEPOSIT, field="deposit",
                         method=values.get("deposit_method") or "", amount=deposit,
                         by=by).receipt)
    stay = Stay(customer_id=contract.customer_id, room=room.name, check_in_day=today,
                created_at=clock.now_utc(), created_by_id=by)
    session.add(stay)
    session.flush()
    contract.room_id, contract.arrival_day, contract.stay_id = room.id, today, stay.id
    contract.status = "in_stay"
    if contract.check_out_day is None or contract.check_out_day <= today:
        contract.check_out_day = today + timedelta(days=contract.days)
    session.add(contract)
    audit.record(session, by=by, action="stay_check_in", record_type="stay_contract",
                 record_id=contract.id, room=room.name, receipts=receipts)
    return CheckedIn(contract.id, receipts, room.name)


def explain_absence(session: Session, contract_id: int, note: str, *, by: int | None) -> None:
    """Why an expected arrival did not come today (the night check accepts it)."""
    contract = get(session, contract_id)
    contract.arrival_note = line(note, "note", limit=500, required=True)
    session.add(contract)
    audit.record(session, by=by, action="stay_arrival_note", record_type="stay_contract",
                 record_id=contract.id)


def deposit_methods_of(session: Session, contract_id: int) -> list[str]:
    return list(session.exec(select(Payment.method).where(
        Payment.contract_id == contract_id, Payment.kind == Kind.DEPOSIT)).all())


def missing_arrivals(session: Session, day: date) -> list[Contract]:
    """Expected on ``day``, not checked in, not explained."""
    return list(session.exec(select(Contract).where(
        Contract.status == "signed", Contract.arrival_day == day,
        col(Contract.arrival_note) == "")).all())
