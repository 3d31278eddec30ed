"""How a visit ends: the outcome (deal or not, items, amount), the departure time, the
customer's case number with a first deal, and corrections made afterwards.
"""

from datetime import datetime

from sqlmodel import Session

from models import (
    Customer,
    Outcome,
    Visit,
    VisitStatus,
)
from reception import (
    audit,
    case_numbers,
    customers,
    days,
    phones,
    times,
)
from reception.clock import clock
from reception.db import chain_lock
from reception.errors import ValidationError
from reception.text import narrow
from reception.visits import TriageError, check_consultant, get_visit, hold_visit

MAX_AMOUNT_CENTS = 100_000_000_00


# --- outcome, departure and case numbers ----------------------------------------------
def parse_amount(raw: str) -> int | None:
    """Yuan as typed (``1280``, ``1,280.50``, ``¥99``, ``２００``) → cents; blank → None."""
    text = narrow(raw).strip().replace(",", "").replace("，", "").lstrip("¥￥")
    if not text:
        return None
    try:
        cents = round(float(text) * 100)
    except (ValueError, OverflowError) as error:
        # ``inf`` or ``1e400`` overflow the rounding to whole cents; ``nan`` is no number.
        raise ValidationError("amount", "triage.amount_invalid") from error
    if cents < 0 or cents > MAX_AMOUNT_CENTS:
        raise ValidationError("amount", "triage.amount_invalid")
    return cents


def parse_departure(raw: str, visit: Visit) -> datetime:
    """``HH:MM`` on the visit's day (blank: now); not before arrival, not in the future."""
    text = raw.strip()
    if not text:
        departed = clock.now_utc()
    else:
        hours, minutes = times.parse_hhmm(text, field="departed", message="triage.time_invalid")
        local = clock.local(visit.arrived_at).replace(hour=hours, minute=minutes, second=0,
                                                      microsecond=0)
        departed = local.to("utc").datetime
    if departed < visit.arrived_at.replace(second=0, microsecond=0):
        raise ValidationError("departed", "triage.departed_before_arrival")
    if departed > clock.now_utc():
        raise ValidationError("departed", "triage.departed_in_future")
    return departed


def record_outcome(
    session: Session,
    visit_id: int,
    *,
    outcome: str,
    by: int | None,
    items: str = "",
    amount_cents: int | None = None,
    departed_at: datetime | None = None,
) -> Visit:
    """End a visit: deal closed (items, amount optional) or no deal, and the departure.

    A customer's first deal gives them the next case number of the visit's day. Its rules
    take keyed locks (the visit, the day's case numbers): on a server, the branch's other
    counters keep saving meanwhile.
    """
    hold_visit(session, visit_id)
    visit = get_visit(session, visit_id)
    days.ensure_open(session, visit.day)
    if visit.status == VisitStatus.LEFT:
        # Ended already (e.g. at another counter): fixing it is ``correct_visit``'s job.
        raise TriageError("triage.already_left")
    outcome = Outcome(outcome)
    if outcome == Outcome.DEAL and not items.strip():
        raise ValidationError("items", "field.required")
    if amount_cents is not None and not 0 <= amount_cents <= MAX_AMOUNT_CENTS:
        raise ValidationError("amount", "triage.amount_invalid")
    departed_at = departed_at or clock.now_utc()
    previous = visit.status
    visit.outcome = outcome.value
    visit.items = items.strip() if outcome == Outcome.DEAL else ""
    visit.amount_cents = amount_cents if outcome == Outcome.DEAL else None
    visit.departed_at = departed_at
    visit.status = VisitStatus.LEFT
    visit.status_since = departed_at
    session.add(visit)
    case_number = _give_case_number(session, visit, by=by) if outcome == Outcome.DEAL else None
    audit.record(session, by=by, action="visit_outcome", record_type="visit",
                 record_id=visit.id, outcome=outcome.value, before=previous,
                 case_number=case_number)
    return visit


def _give_case_number(session: Session, visit: Visit, *, by: int | None) -> str | None:
    """The customer's case number on their first deal (None if they already have one)."""
    customer = session.get(Customer, visit.customer_id)
    if customer.case_number:
        return None
    # Case numbers are the chain's: the day's sequence waits for any other branch's deal
    # of the day, and the customer is read again (a deal at another branch may just have
    # given them their number).
    chain_lock(session, "case_number", visit.day)
    session.refresh(customer)
    if customer.case_number:
        return None
    customer.case_number = case_numbers.next_number(session, visit.day)
    if customer.consultant_id is None:
        customer.consultant_id = visit.consultant_id
    session.add(customer)
    session.flush()
    audit.record(session, by=by, action="case_number", record_type="customer",
                 record_id=customer.id, case_number=customer.case_number, visit_id=visit.id)
    return customer.case_number


def correct_visit(
    session: Session,
    visit_id: int,
    *,
    by: int | None,
    name: str | None = None,
    phone: str | None = None,
    consultant_id: int | None = None,
    outcome: str | None = None,
    items: str | None = None,
    amount_cents: int | None = None,
    departed_at: datetime | None = None,
) -> Visit:
    """Fix a visit afterwards (night check): the customer's name/phone, consultant, outcome,
    departure. Everything is checked first; a refusal changes nothing."""
    visit = get_visit(session, visit_id)
    days.ensure_open(session, visit.day)
    customer = session.get(Customer, visit.customer_id)
    changes: dict[str, object] = {}
    if name is not None:
        customers.check_name(name)
    new_phone = phones.normalise(phone) if phone is not None else None
    if new_phone is not None and new_phone != customer.phone:
        chain_lock(session, "phone", new_phone)  # one customer per phone (customers.register)
        other = customers.find_by_phone(session, new_phone)
        if other is not None:
            raise ValidationError("phone", "triage.phone_taken", name=other.name)
    consultant = check_consultant(session, consultant_id)
    new_outcome = Outcome(outcome) if outcome else None
    final_outcome = new_outcome or (Outcome(visit.outcome) if visit.outcome else None)
    final_items = items if items is not None else visit.items
    if final_outcome == Outcome.DEAL and not final_items.strip():
        raise ValidationError("items", "field.required")
    if amount_cents is not None and not 0 <= amount_cents <= MAX_AMOUNT_CENTS:
        raise ValidationError("amount", "triage.amount_invalid")
    if departed_at is not None and departed_at < visit.arrived_at.replace(second=0,
                                                                          microsecond=0):
        raise ValidationError("departed", "triage.departed_before_arrival")
    if final_outcome is None and departed_at is not None:
        raise ValidationError("outcome", "triage.fix_outcome_needed")
    # All checked: write.
    if name is not None and name.strip() != customer.name:
        customer.name = changes["name"] = name.strip()
        customer.name_initials = customers.initials(customer.name)
    if new_phone is not None and new_phone != customer.phone:
        customer.phone = changes["phone"] = new_phone
    if consultant is not None and consultant.id != visit.consultant_id:
        visit.consultant_id = changes["consultant_id"] = consultant.id
    if final_outcome is not None:
        if visit.outcome != final_outcome.value:
            changes["outcome"] = final_outcome.value
        visit.outcome = final_outcome.value
        visit.items = final_items.strip() if final_outcome == Outcome.DEAL else ""
        if final_outcome == Outcome.DEAL:
            if amount_cents is not None:
                visit.amount_cents = amount_cents
        else:
            visit.amount_cents = None
        if departed_at is not None:
            visit.departed_at = changes["departed_at"] = departed_at
        elif visit.departed_at is None:
            visit.departed_at = changes["departed_at"] = clock.now_utc()
        if visit.status != VisitStatus.LEFT:
            visit.status = VisitStatus.LEFT
            visit.status_since = visit.departed_at
    session.add(customer)
    session.add(visit)
    session.flush()
    if final_outcome == Outcome.DEAL:
        number = _give_case_number(session, visit, by=by)
        if number:
            changes["case_number"] = number
    audit.record(session, by=by, action="visit_correct", record_type="visit", record_id=visit.id,
                 **changes)
    return visit
