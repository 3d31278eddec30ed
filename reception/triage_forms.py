"""What the F2 screens read before a walk-in is triaged, and the text typed in its forms
read by the rules (seed 002, D1–D3).

The screens show what these return and hand back what was typed; every rule — which
consultant is proposed and why, what ``1``/``2`` or ``y``/``n`` mean, whether a departure
time is possible — lives here or in ``reception.triage``. Each reader returns every field's
error at once, so a form can show them all under their fields.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from models import Appointment, Customer, Outcome, Staff, Visit
from reception import customers, phones, triage
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import ValidationError
from reception.visits import hold_visit

#: What the outcome field takes: 1 deal, 2 no deal.
OUTCOME_CODES = {"1": Outcome.DEAL.value, "2": Outcome.NO_DEAL.value}
YES = ("y", "yes", "是", "有")
NO = ("n", "no", "否", "无", "没有")


# --- before triage: who is this, who should see them ---------------------------------------


def search_returning(session: Session, query: str, *, limit: int) -> list[customers.Found]:
    """Returning customers, ranked by ``customers.search`` (an appointment number finds the
    customer who booked it, first; each row says why it matched)."""
    return customers.search(session, query, limit=limit)


def appointment_today(session: Session, appointment_id: int) -> Appointment | None:
    """Today's appointment (the night check's jump to one not triaged); None otherwise."""
    appointment = session.get(Appointment, appointment_id)
    if appointment is None or appointment.day != clock.today():
        return None
    return appointment


@dataclass
class Proposal:
    """The consultant step of a walk-in: who they are, who is proposed and why."""

    customer: Customer | None
    appointment: Appointment | None
    consultant: Staff | None
    #: own (their consultant), appointment (the booked one) or rotation
    reason: str
    #: Their own (or the appointment's) consultant, passed over: not on duty today.
    passed_over: Staff | None
    slots: list[triage.RotationSlot]
    #: Their visit today that has not ended: they are in the building already.
    here: triage.VisitDetail | None


def proposal(session: Session, day: date, *, customer_id: int | None = None,
             phone: str = "", appointment_id: int | None = None) -> Proposal:
    """Everything the consultant step shows, read in one go."""
    customer = session.get(Customer, customer_id) if customer_id else None
    if customer is None and phone:
        try:
            customer = customers.find_by_phone(session, phones.normalise(phone))
        except ValidationError:
            customer = None
    appointment = session.get(Appointment, appointment_id) if appointment_id else None
    consultant, reason = triage.proposed_consultant(session, day, customer=customer,
                                                    appointment=appointment)
    passed_over = None
    wanted = (appointment.consultant_id if appointment else None) or (
        customer.consultant_id if customer else None)
    if reason == "rotation" and wanted is not None:
        passed_over = session.get(Staff, wanted)
    here = triage.open_visit_today(session, customer.id) if customer else None
    return Proposal(customer, appointment, consultant, reason, passed_over,
                    triage.rotation(session, day),
                    triage.visit_detail(session, here.id) if here else None)


def staff_names(session: Session) -> list[str]:
    """Everyone a visitor may ask for (the "for whom" suggestions)."""
    return [member.name for member in staff_service.list_staff(session)]


# --- the visitor form ------------------------------------------------------------------------


def read_yes_no(raw: str, field: str = "appt") -> bool:
    """``y``/``n`` (or 是/否, 有/无); blank is no."""
    text = raw.strip().lower()
    if text in YES:
        return True
    if text in NO or not text:
        return False
    raise ValidationError(field, "triage.yes_no_invalid")


# --- the outcome and fix forms -----------------------------------------------------------------


@dataclass
class OutcomeEntry:
    outcome: str | None
    items: str
    amount_cents: int | None
    departed_at: datetime | None


def read_outcome_code(raw: str, *, blank_ok: bool = False) -> str | None:
    text = raw.strip()
    if not text and blank_ok:
        return None
    if text not in OUTCOME_CODES:
        raise ValidationError("outcome", "triage.outcome_invalid")
    return OUTCOME_CODES[text]


def read_outcome(visit: Visit, *, outcome: str, items: str, amount: str, departed: str,
                 fixing: bool = False) -> tuple[OutcomeEntry | None, dict[str, ValidationError]]:
    """The outcome, items, amount and departure as typed: the entry, or every error.

    ``fixing`` (the fix form): a blank outcome leaves the visit open, a blank departure
    keeps the one on record."""
    errors: dict[str, ValidationError] = {}
    code = amount_cents = departed_at = None
    try:
        code = read_outcome_code(outcome, blank_ok=fixing)
    except ValidationError as error:
        errors["outcome"] = error
    if code == Outcome.DEAL.value and not items.strip():
        errors["items"] = ValidationError("items", "field.required")
    try:
        amount_cents = triage.parse_amount(amount)
    except ValidationError as error:
        errors["amount"] = error
    if departed.strip() or not fixing:
        try:
            departed_at = triage.parse_departure(departed, visit)
        except ValidationError as error:
            errors["departed"] = error
    if errors:
        return None, errors
    return OutcomeEntry(code, items, amount_cents, departed_at), {}


@dataclass
class Closed:
    """A visit ended: who, how, and the case number this deal gave (a first deal)."""

    visit_id: int
    name: str
    outcome: str
    case_number: str | None


def close_visit(session: Session, visit_id: int, *, outcome: str, items: str, amount: str,
                departed: str, by: int | None) -> Closed:
    """The outcome form saved: checked again here, under the visit's lock."""
    hold_visit(session, visit_id)
    detail = triage.visit_detail(session, visit_id)
    entry, errors = read_outcome(detail.visit, outcome=outcome, items=items, amount=amount,
                                 departed=departed)
    if errors:
        raise next(iter(errors.values()))
    before = detail.customer.case_number
    visit = triage.record_outcome(session, visit_id, outcome=entry.outcome, items=items,
                                  amount_cents=entry.amount_cents,
                                  departed_at=entry.departed_at, by=by)
    customer = session.get(Customer, visit.customer_id)
    given = customer.case_number if customer.case_number != before else None
    return Closed(visit.id, customer.name, entry.outcome, given)


def read_consultant_number(raw: str, consultant_ids: list[int]) -> int | None:
    """The number of a consultant in the list shown (1 the first); blank: no change."""
    text = raw.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= len(consultant_ids):
        raise ValidationError("consultant", "triage.consultant_invalid")
    return consultant_ids[int(text) - 1]


def read_fix(visit: Visit, consultant_ids: list[int], values: dict[str, str]
             ) -> tuple[dict | None, dict[str, ValidationError]]:
    """The fix form as typed: the arguments of ``triage.correct_visit``, or every error."""
    errors = triage.validate_customer_fields(name=values["name"], phone=values["phone"])
    consultant_id = None
    try:
        consultant_id = read_consultant_number(values["consultant"], consultant_ids)
    except ValidationError as error:
        errors["consultant"] = error
    entry, outcome_errors = read_outcome(
        visit, outcome=values["outcome"], items=values["items"],
        amount=values["amount"], departed=values["departed"], fixing=True)
    errors.update(outcome_errors)
    if errors:
        return None, errors
    return {"name": values["name"], "phone": values["phone"], "consultant_id": consultant_id,
            "outcome": entry.outcome, "items": values["items"],
            "amount_cents": entry.amount_cents, "departed_at": entry.departed_at}, {}


def fix_visit(session: Session, visit_id: int, consultant_ids: list[int],
              values: dict[str, str], *, by: int | None) -> Visit:
    """The fix form saved: checked again here, under the write lock."""
    visit = triage.visit_detail(session, visit_id).visit
    changes, errors = read_fix(visit, consultant_ids, values)
    if errors:
        raise next(iter(errors.values()))
    return triage.correct_visit(session, visit_id, by=by, **changes)


def current_fix_values(detail: triage.VisitDetail, consultant_ids: list[int]) -> dict[str, str]:
    """A visit as the fix form shows it."""
    visit, customer = detail.visit, detail.customer
    return {
        "name": customer.name,
        "phone": customer.phone,
        "consultant": str(consultant_ids.index(visit.consultant_id) + 1)
        if visit.consultant_id in consultant_ids else "",
        "outcome": {code: key for key, code in OUTCOME_CODES.items()}.get(visit.outcome or "",
                                                                          ""),
        "items": visit.items,
        "amount": f"{visit.amount_cents / 100:.2f}" if visit.amount_cents is not None else "",
        "departed": clock.local(visit.departed_at).format("HH:mm") if visit.departed_at else "",
    }
