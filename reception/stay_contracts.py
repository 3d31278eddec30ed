"""Contracts: the handover at signing (seed 003 §4.2.1 签约客户交接表) and the archive that
grows through the stay (§4.2.2 客户档案登记表).

The forms hand over what was typed (``dict`` of field id → text); every field is read
here, and a bad one raises ``ValidationError`` naming it, before anything is written.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from models import Contract, Customer, Staff, StayRoom
from reception import audit, customers, phones
from reception.clock import clock
from reception.errors import ValidationError
from reception.stay_rooms import StayError, check_overlap, span, usable_room
from reception.stay_values import day, fen, line, moment, whole, yes_no

DELIVERY_MODES = ("natural", "caesarean")
BABY_SEXES = ("girl", "boy", "girls", "boys", "mixed")
STATUSES = ("signed", "in_stay", "checked_out", "cancelled")
DAYS_RANGE = (1, 120)
LIST_LIMIT = 200
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def check_id_number(text: str, field: str = "id_number") -> str:
    """A mainland ID card (18 characters, its check digit right) or a passport number."""
    cleaned = re.sub(r"\s", "", text or "").upper()
    if not cleaned:
        raise ValidationError(field, "field.required")
    if re.fullmatch(r"\d{17}[\dX]", cleaned):
        total = sum(int(digit) * weight for digit, weight in zip(cleaned, _ID_WEIGHTS,
                                                                  strict=False))
        if _ID_CHECK[total % 11] != cleaned[-1]:
            raise ValidationError(field, "stays.bad_id_number")
        return cleaned
    if re.fullmatch(r"\d+X?", cleaned) or not re.fullmatch(r"[A-Z0-9]{5,20}", cleaned):
        raise ValidationError(field, "stays.bad_id_number")
    return cleaned


def mask_id(number: str) -> str:
    """``110101199003071234`` → ``1101**********1234`` (lists show this)."""
    if len(number) <= 8:
        return number[:1] + "*" * max(len(number) - 2, 0) + number[-1:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _staff(session: Session, name: str, field: str) -> int | None:
    name = (name or "").strip()
    if not name:
        return None
    found = session.exec(select(Staff).where(Staff.name == name,
                                             col(Staff.active).is_(True))).first()
    if found is None:
        raise ValidationError(field, "stays.no_such_staff", name=name)
    return found.id


def staff_names(session: Session) -> list[str]:
    return list(session.exec(select(Staff.name).where(col(Staff.active).is_(True))
                             .order_by(Staff.name).limit(200)).all())


def sign(session: Session, values: dict[str, str], *, by: int | None) -> Contract:
    """A signed contract handed over by sales: the customer (found by phone or made), the
    handover's fields, the room booked, and its due-date calls."""
    from reception import stay_schedule

    number = line(values.get("number", ""), "number", limit=40, required=True)
    if session.exec(select(Contract.id).where(Contract.number == number)).first():
        raise ValidationError("number", "stays.number_taken", number=number)
    name = customers.check_name(values.get("name", ""))
    phone = phones.normalise(values.get("phone", ""))
    id_number = check_id_number(values.get("id_number", ""))
    emergency_phone = ""
    if (values.get("emergency_phone") or "").strip():
        try:
            emergency_phone = phones.normalise(values["emergency_phone"])
        except ValidationError as error:
            raise ValidationError("emergency_phone", error.message_key) from None
    signed_day = day(values.get("signed_day", ""), "signed_day") or clock.today()
    if signed_day > clock.today():
        raise ValidationError("signed_day", "stays.signed_in_future")
    due_day = day(values.get("due_day", ""), "due_day", required=True)
    if due_day < signed_day:  # in the past on the day she signed
        raise ValidationError("due_day", "stays.due_in_past")
    if due_day > signed_day + timedelta(days=300):
        raise ValidationError("due_day", "stays.due_too_far")
    days = whole(values.get("days", ""), "days", *DAYS_RANGE, default=28)
    list_price = fen(values.get("list_price", ""), "list_price")
    price = fen(values.get("price", ""), "price", required=True)
    if list_price and price > list_price:
        raise ValidationError("price", "stays.price_above_list")
    first_payment = fen(values.get("first_payment", ""), "first_payment")
    if first_payment > price:
        raise ValidationError("first_payment", "stays.paid_above_price")
    balance_text = values.get("balance_due", "")
    balance_due = (fen(balance_text, "balance_due") if (balance_text or "").strip()
                   else price - first_payment)
    if balance_due != price - first_payment:
        raise ValidationError("balance_due", "stays.balance_mismatch")
    contract = Contract(
        number=number, customer_id=0, id_number=id_number,
        emergency_name=line(values.get("emergency_name", ""), "emergency_name", limit=100),
        emergency_relation=line(values.get("emergency_relation", ""), "emergency_relation",
                                limit=40),
        emergency_phone=emergency_phone,
        address=line(values.get("address", ""), "address", limit=500),
        package=line(values.get("package", ""), "package", limit=100, required=True),
        days=days, list_price=list_price or price, price=price, first_payment=first_payment,
        balance_due=balance_due, card_fee=fen(values.get("card_fee", ""), "card_fee"),
        signed_day=signed_day, due_day=due_day,
        hospital=line(values.get("hospital", ""), "hospital", limit=100),
        hospital_escort=yes_no(values.get("hospital_escort", ""), "hospital_escort"),
        in_contract=line(values.get("in_contract", ""), "in_contract", limit=2000),
        not_in_contract=line(values.get("not_in_contract", ""), "not_in_contract",
                             limit=2000),
        other_terms=line(values.get("other_terms", ""), "other_terms", limit=2000),
        special_requests=line(values.get("special_requests", ""), "special_requests",
                              limit=2000),
        sales_id=_staff(session, values.get("sales", ""), "sales"),
        service_id=_staff(session, values.get("service", ""), "service"),
        created_at=clock.now_utc(), created_by_id=by,
    )
    if (values.get("room") or "").strip():
        room = usable_room(session, values["room"])
        first, end = span(contract)
        check_overlap(session, room.id, first, end)
        contract.room_id = room.id
    customer, _new = customers.register(session, name=name, phone=phone, by=by,
                                        gender="f", interest="stay")
    contract.customer_id = customer.id
    session.add(contract)
    session.flush()
    audit.record(session, by=by, action="stay_contract_sign", record_type="stay_contract",
                 record_id=contract.id, number=number)
    stay_schedule.sync(session, contract, by=by)
    return contract


#: The archive's fields (§4.2.2), in the order the archive form shows them.
ARCHIVE_FIELDS = (
    "due_day", "delivery_day", "delivery_mode", "delivery_hospital", "delivery_bed",
    "babies", "baby_sex", "baby_weight_g", "nurse", "pickup_at", "pickup_place",
    "arrival_day", "days", "check_out_day", "photo_day", "head_shave_day", "party_day",
    "dropoff_at", "dropoff_place", "vouchers", "extras", "follow_up",
)


def get(session: Session, contract_id: int) -> Contract:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise StayError("stays.no_such_contract")
    return contract


def update_archive(session: Session, contract_id: int, values: dict[str, str],
                   *, by: int | None) -> Contract:
    """The archive as typed; a changed due date or delivery day rebuilds the call schedule
    (calls to come move, calls made stay)."""
    from reception import stay_schedule

    contract = get(session, contract_id)
    if contract.status in ("checked_out", "cancelled"):
        raise StayError("stays.contract_closed")
    parsed: dict[str, object] = {}
    parsed["due_day"] = day(values.get("due_day", ""), "due_day", required=True)
    parsed["delivery_day"] = day(values.get("delivery_day", ""), "delivery_day")
    if parsed["delivery_day"] and parsed["delivery_day"] > clock.today():
        raise ValidationError("delivery_day", "stays.delivery_in_future")
    mode = (values.get("delivery_mode") or "").strip()
    if mode and mode not in DELIVERY_MODES:
        raise ValidationError("delivery_mode", "stays.bad_choice", value=mode)
    parsed["delivery_mode"] = mode
    parsed["delivery_hospital"] = line(values.get("delivery_hospital", ""),
                                       "delivery_hospital", limit=100)
    parsed["delivery_bed"] = line(values.get("delivery_bed", ""), "delivery_bed", limit=40)
    parsed["babies"] = whole(values.get("babies", ""), "babies", 0, 4, default=0)
    sex = (values.get("baby_sex") or "").strip()
    if sex and sex not in BABY_SEXES:
        raise ValidationError("baby_sex", "stays.bad_choice", value=sex)
    parsed["baby_sex"] = sex
    parsed["baby_weight_g"] = whole(values.get("baby_weight_g", ""), "baby_weight_g",
                                    0, 8000, default=0)
    parsed["nurse"] = line(values.get("nurse", ""), "nurse", limit=100)
    parsed["pickup_at"] = moment(values.get("pickup_at", ""), "pickup_at")
    parsed["pickup_place"] = line(values.get("pickup_place", ""), "pickup_place", limit=200)
    parsed["arrival_day"] = day(values.get("arrival_day", ""), "arrival_day")
    parsed["days"] = whole(values.get("days", ""), "days", *DAYS_RANGE, default=contract.days)
    parsed["check_out_day"] = day(values.get("check_out_day", ""), "check_out_day")
    if (parsed["check_out_day"] and parsed["arrival_day"]
            and parsed["check_out_day"] <= parsed["arrival_day"]):
        raise ValidationError("check_out_day", "stays.out_before_in")
    for key in ("photo_day", "head_shave_day", "party_day"):
        parsed[key] = day(values.get(key, ""), key)
    parsed["dropoff_at"] = moment(values.get("dropoff_at", ""), "dropoff_at")
    parsed["dropoff_place"] = line(values.get("dropoff_place", ""), "dropoff_place",
                                   limit=200)
    parsed["vouchers"] = line(values.get("vouchers", ""), "vouchers", limit=500)
    parsed["extras"] = line(values.get("extras", ""), "extras", limit=500)
    parsed["follow_up"] = line(values.get("follow_up", ""), "follow_up", limit=4000)
    before = {key: getattr(contract, key) for key in ("due_day", "delivery_day")}
    for key, value in parsed.items():
        setattr(contract, key, value)
    if contract.room_id is not None and contract.status == "signed":
        first, end = span(contract)
        check_overlap(session, contract.room_id, first, end, contract_id=contract.id,
                      field="arrival_day")
    session.add(contract)
    session.flush()
    audit.record(session, by=by, action="stay_archive", record_type="stay_contract",
                 record_id=contract.id)
    if before != {key: getattr(contract, key) for key in before}:
        stay_schedule.sync(session, contract, by=by)
    return contract


@dataclass
class ContractLine:
    """A contract as lists show it (ID number masked, phone masked)."""

    contract_id: int
    number: str
    customer_id: int
    name: str
    phone: str
    status: str
    room: str
    due_day: date
    arrival_day: date | None
    check_out_day: date | None
    special: str
    id_masked: str


def _lines(session: Session, query) -> list[ContractLine]:
    rows = session.exec(query.limit(LIST_LIMIT)).all()
    return [ContractLine(
        contract.id, contract.number, customer.id, customer.name, phones.mask(customer.phone),
        contract.status, room.name if room else "", contract.due_day, contract.arrival_day,
        contract.check_out_day, contract.special_requests, mask_id(contract.id_number))
        for contract, customer, room in rows]


def _base():
    return (select(Contract, Customer, StayRoom)
            .join(Customer, Customer.id == Contract.customer_id)
            .outerjoin(StayRoom, StayRoom.id == Contract.room_id))


def arrivals(session: Session, on: date | None = None) -> list[ContractLine]:
    """Contracts expected to arrive on ``on`` (seed 000 预抵客户), not yet checked in."""
    on = on or clock.today()
    return _lines(session, _base().where(Contract.status == "signed",
                                         Contract.arrival_day == on).order_by(Contract.number))


def in_stay(session: Session) -> list[ContractLine]:
    return _lines(session, _base().where(Contract.status == "in_stay")
                  .order_by(StayRoom.name))


def open_contracts(session: Session) -> list[ContractLine]:
    """Every contract not yet checked out or cancelled: in stay first, then by due date."""
    return _lines(session, _base().where(col(Contract.status).in_(("signed", "in_stay")))
                  .order_by(Contract.status.desc(), Contract.due_day))


def find(session: Session, number_or_name: str) -> list[ContractLine]:
    text = (number_or_name or "").strip()
    if not text:
        return []
    return _lines(session, _base().where(
        (Contract.number == text) | col(Customer.name).contains(text))
        .order_by(Contract.signed_day.desc()))
