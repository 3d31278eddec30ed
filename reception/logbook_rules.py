"""The rules of the built-in logbooks: what each field takes and who may have what.

* Deliveries (seed 002 §13): carrier, for whom, parcels, signed by, handed to, when.
* Parking tickets (§17): only for a customer who paid or closed a deal today.
* Supplies (§18): department, item, quantity, purpose, confirmed by the requester's
  name and PIN.
* Drinks (seed 001 3.4.2): what, to which of today's customers or visitors, by whom.

A kind the manager adds takes any text in its fields; at least one must be filled.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import Customer, Outcome, Staff, Visit, Visitor
from reception import lockout, times
from reception import staff as staff_service
from reception.auth import verify_pin
from reception.clock import clock
from reception.errors import AuthError, ValidationError
from reception.text import narrow

BUILTIN = ("delivery", "parking", "supplies", "drinks")
FIELDS: dict[str, tuple[str, ...]] = {
    "delivery": ("carrier", "recipient", "parcels", "signed_by", "handed_to", "time"),
    "parking": ("customer", "plate", "tickets"),
    "supplies": ("department", "item", "quantity", "purpose", "requester"),
    "drinks": ("drink", "served_to", "count", "served_by"),
}
VALUE_MAX = 200
NUMBER_MAX = 999


@dataclass
class Checked:
    """An entry's values as stored, and the records it names."""

    data: dict[str, str | int] = field(default_factory=dict)
    at: datetime | None = None
    customer_id: int | None = None
    visit_id: int | None = None
    visitor_id: int | None = None
    staff_id: int | None = None


def check(session: Session, kind, values: dict[str, str], *, by: int | None, pin: str = "",
          day: date | None = None) -> Checked:
    """The values typed for an entry of ``kind``, checked; ValidationError at the field."""
    day = day or clock.today()
    texts = {name: " ".join(str(values.get(name, "")).split()) for name, _label in kind.fields}
    for name, text in texts.items():
        if len(text) > VALUE_MAX:
            raise ValidationError(name, "logbook.too_long", limit=VALUE_MAX)
    if not kind.code:
        if not any(texts.values()):
            raise ValidationError(kind.fields[0][0], "logbook.entry_empty")
        return Checked(data=texts)
    return RULES[kind.code](session, texts, by=by, pin=pin, day=day)


def _required(texts: dict[str, str], *names: str) -> None:
    for name in names:
        if not texts[name]:
            raise ValidationError(name, "field.required")


def _number(texts: dict[str, str], name: str, default: int = 1) -> int:
    text = narrow(texts[name]).strip()
    if not text:
        return default
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= NUMBER_MAX:
        raise ValidationError(name, "logbook.bad_number", value=text, high=NUMBER_MAX)
    return number


def staff_named(session: Session, name: str, field_name: str) -> Staff:
    wanted = name.strip().casefold()
    member = next((member for member in staff_service.list_staff(session)
                   if member.name.casefold() == wanted), None)
    if member is None:
        raise ValidationError(field_name, "logbook.unknown_staff", name=name.strip())
    return member


def confirm_pin(session: Session, member: Staff, pin: str) -> None:
    """A staff member confirms with her PIN. Wrong PINs count towards the same lock as at
    sign-in (``reception.lockout``): the failure is committed before it is refused (this is
    checked before anything of the unit of work is written)."""
    try:
        lockout.refuse_if_locked(session, member.id)
    except AuthError as error:
        session.commit()
        raise ValidationError("pin", error.message_key, **error.params) from error
    if member.pin_hash and verify_pin(pin.strip(), member.pin_hash):
        return
    error = lockout.record_failure(session, member.id)
    session.commit()
    if error.message_key == "auth.wrong_pin":
        raise ValidationError("pin", "logbook.pin_wrong", name=member.name)
    raise ValidationError("pin", error.message_key, **error.params)


def _signed_in_name(session: Session, by: int | None) -> str:
    member = session.get(Staff, by) if by is not None else None
    return member.name if member else ""


def _delivery(session: Session, texts: dict[str, str], *, by, pin, day) -> Checked:
    _required(texts, "carrier", "recipient")
    texts["parcels"] = _number(texts, "parcels")
    texts["signed_by"] = texts["signed_by"] or _signed_in_name(session, by)
    at = None
    if texts["time"]:
        hhmm = times.hhmm(texts["time"], field="time", message="logbook.bad_time")
        at = clock.now().replace(hour=int(hhmm[:2]), minute=int(hhmm[3:]), second=0,
                                 microsecond=0)
        if at.date() == day and at > clock.now():
            raise ValidationError("time", "logbook.time_in_future", value=hhmm)
        texts["time"] = hhmm
        at = at.to("utc").datetime
    else:
        texts["time"] = clock.now().format("HH:mm")
    return Checked(data=texts, at=at)


# --- parking tickets: only for a customer who paid today -----------------------------------
def customers_today(session: Session, day: date) -> list[tuple[Visit, Customer]]:
    return list(session.exec(
        select(Visit, Customer).join(Customer, Customer.id == Visit.customer_id)
        .where(Visit.day == day).order_by(Visit.arrived_at)).all())


def _matches(query: str, name: str, phone: str) -> bool:
    digits = "".join(char for char in narrow(query) if char.isdigit())
    if len(digits) >= 4 and digits == narrow(query).strip():
        return phone.endswith(digits)
    return name.strip().casefold() == query.strip().casefold()


def paid_today(visit: Visit) -> bool:
    """A closed deal or a payment taken at today's visit."""
    return visit.outcome == Outcome.DEAL or bool(visit.amount_cents and visit.amount_cents > 0)


def _parking(session: Session, texts: dict[str, str], *, by, pin, day) -> Checked:
    _required(texts, "customer")
    query = texts["customer"]
    found = [(visit, customer) for visit, customer in customers_today(session, day)
             if _matches(query, customer.name, customer.phone)]
    people = {customer.id for _visit, customer in found}
    if not found:
        raise ValidationError("customer", "logbook.parking.no_visit", name=query)
    if len(people) > 1:
        raise ValidationError("customer", "logbook.parking.several", name=query,
                              count=len(people))
    paid = [(visit, customer) for visit, customer in found if paid_today(visit)]
    if not paid:
        raise ValidationError("customer", "logbook.parking.not_paid", name=found[0][1].name)
    visit, customer = paid[-1]
    texts["customer"] = customer.name
    texts["plate"] = narrow(texts["plate"]).upper()
    texts["tickets"] = _number(texts, "tickets")
    return Checked(data=texts, customer_id=customer.id, visit_id=visit.id)


# --- supplies: the requester confirms with her PIN -----------------------------------------
def _supplies(session: Session, texts: dict[str, str], *, by, pin, day) -> Checked:
    _required(texts, "department", "item", "purpose", "requester")
    texts["quantity"] = _number(texts, "quantity")
    requester = staff_named(session, texts["requester"], "requester")
    if not pin.strip():
        raise ValidationError("pin", "logbook.supplies.pin_required", name=requester.name)
    confirm_pin(session, requester, pin)
    texts["requester"] = requester.name
    return Checked(data=texts, staff_id=requester.id)


# --- drinks: to which of today's customers or visitors, by whom ----------------------------
def guests_today(session: Session, day: date) -> list[tuple[str, int | None, int | None]]:
    """(name, visit id, visitor id) of everyone at the desk today, customers first."""
    guests = [(customer.name, visit.id, None)
              for visit, customer in customers_today(session, day)]
    visitors = session.exec(select(Visitor).where(Visitor.day == day)
                            .order_by(col(Visitor.arrived_at))).all()
    guests += [(visitor.name, None, visitor.id) for visitor in visitors if visitor.name]
    return guests


def _drinks(session: Session, texts: dict[str, str], *, by, pin, day) -> Checked:
    _required(texts, "drink", "served_to")
    wanted = texts["served_to"].casefold()
    matches = [guest for guest in guests_today(session, day) if guest[0].casefold() == wanted]
    if not matches:
        raise ValidationError("served_to", "logbook.drinks.unknown_guest",
                              name=texts["served_to"])
    name, visit_id, visitor_id = matches[-1]
    texts["served_to"] = name
    texts["count"] = _number(texts, "count")
    server = (staff_named(session, texts["served_by"], "served_by") if texts["served_by"]
              else session.get(Staff, by) if by is not None else None)
    texts["served_by"] = server.name if server else ""
    return Checked(data=texts, visit_id=visit_id, visitor_id=visitor_id,
                   staff_id=server.id if server else None)


RULES = {"delivery": _delivery, "parking": _parking, "supplies": _supplies,
         "drinks": _drinks}


def suggestions(session: Session, kind, day: date | None = None) -> dict[str, list[str]]:
    """What each field of an entry suggests as it is typed (staff, today's guests)."""
    day = day or clock.today()
    if not kind.code:
        return {}
    staff = [member.name for member in staff_service.list_staff(session)]
    guests = list(dict.fromkeys(name for name, _visit, _visitor in guests_today(session, day)))
    paid = list(dict.fromkeys(customer.name for visit, customer in customers_today(session, day)
                              if paid_today(visit)))
    found = {"signed_by": staff, "handed_to": staff, "recipient": staff, "requester": staff,
             "served_by": staff, "served_to": guests, "customer": paid}
    return {name: found[name] for name in FIELDS[kind.code] if name in found}
