"""Walk-in triage (seed 002, D1–D3): visits from arrival to departure, and visitors.

A visit starts on one of four paths — A first visit without appointment, B first visit with
appointment, C1 returning and seeing the doctor first, C2 returning for treatment only — is
handed to a consultant (the next one in the rotation unless the desk picks another), moves
through the statuses of the board, and ends with an outcome and a departure time. A
customer's first closed deal gives them a case number: the day ``YYYYMMDD`` and that day's
sequence (``2013110101``, see ``reception.case_numbers``).

Every function takes the ``session`` of one unit of work; the screen opens it.
"""

from sqlmodel import Session, select

from models import (
    Appointment,
    AppointmentStatus,
    Customer,
    Visit,
    VisitPath,
    VisitStatus,
)
from reception import (
    appointments,
    audit,
    customers,
    days,
    keys,
    phones,
)
from reception import staff as staff_service
from reception.clock import clock
from reception.db import branch_lock, chain_lock, keyed_unit
from reception.errors import ValidationError
from reception.rotation import (
    RotationSlot,
    is_busy,
    passed_over,
    proposed_consultant,
    rotation,
)
from reception.visit_board import (
    BoardRow,
    VisitDetail,
    board,
    consultants,
    latest_visit_of,
    move_status,
    visit_detail,
)
from reception.visit_outcome import correct_visit, parse_amount, parse_departure, record_outcome
from reception.visitors import VISITOR_KINDS, decide_visitor, log_visitor, visitor_left
from reception.visits import AlreadyHereError, TriageError, check_consultant, open_visit_today

#: What screens, the CLI and other modules use, wherever it is defined.
__all__ = [
    "AlreadyHereError",
    "BoardRow",
    "RotationSlot",
    "TriageError",
    "VISITOR_KINDS",
    "VisitDetail",
    "board",
    "consultants",
    "correct_visit",
    "decide_visitor",
    "has_visited",
    "latest_visit_of",
    "log_visitor",
    "move_status",
    "open_visit_today",
    "passed_over",
    "parse_amount",
    "parse_departure",
    "proposed_consultant",
    "record_outcome",
    "rotation",
    "start_visit",
    "triage_new_customer",
    "validate_customer_fields",
    "visit_detail",
    "visitor_left",
]


def start_visit(
    session: Session,
    *,
    customer_id: int,
    path: str,
    by: int | None,
    consultant_id: int | None = None,
    use_rotation: bool = True,
    purpose: str = "",
    appointment_id: int | None = None,
    is_new: bool | None = None,
) -> Visit:
    """A customer arrives and is triaged: the visit is on the board from now on.

    ``consultant_id`` is the receptionist's choice; without one the rotation picks (unless
    ``use_rotation`` is off). C2 (treatment only) goes straight to the treatment waiting
    area and asks the archive room for the case file (if there is one), for the customer's
    consultant.

    Its rules take keyed locks (the customer's visits, the day's rotation): on a server,
    other counters of the branch keep saving meanwhile (``reception.db.keyed_unit``).
    """
    keyed_unit(session)
    days.ensure_open(session, clock.today())
    return _start_visit(session, customer_id=customer_id, path=path, by=by,
                        consultant_id=consultant_id, use_rotation=use_rotation, purpose=purpose,
                        appointment_id=appointment_id, is_new=is_new)


def _start_visit(
    session: Session,
    *,
    customer_id: int,
    path: str,
    by: int | None,
    consultant_id: int | None,
    use_rotation: bool,
    purpose: str,
    appointment_id: int | None,
    is_new: bool | None,
    just_registered: bool = False,
) -> Visit:
    """``start_visit`` once today is known to be open. ``just_registered``: the customer
    was made in this unit of work, so no other unit can start a visit for them yet."""
    path = VisitPath(path)
    day = clock.today()
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise TriageError("triage.customer_not_found")
    if not just_registered:
        # One visit at a time per customer: two counters triaging the same customer queue.
        chain_lock(session, "customer", customer_id)
    already = open_visit_today(session, customer_id)
    if already is not None:
        raise AlreadyHereError(customer.name, already.id)
    consultant = check_consultant(session, consultant_id)
    busy = None  # not known yet
    if consultant is None and use_rotation:
        # The rotation reads every assignment of the day: two walk-ins of the branch pick
        # in turn, so they never both get the consultant who was free.
        branch_lock(session, "rotation", day)
        slots = rotation(session, day)
        if slots:
            consultant, busy = slots[0].consultant, slots[0].busy
    now = clock.now_utc()
    if path == VisitPath.TREATMENT:
        status = VisitStatus.IN_TREATMENT
    elif consultant is not None and not (
            busy if busy is not None else is_busy(session, consultant.id, day)):
        status = VisitStatus.WITH_CONSULTANT
    else:
        status = VisitStatus.WAITING
    if is_new is None:
        is_new = not has_visited(session, customer_id) and path in (VisitPath.FIRST,
                                                                    VisitPath.BOOKED)
    if customer.first_visit_day is None:
        customer.first_visit_day = day
    if customer.consultant_id is None and consultant is not None:
        customer.consultant_id = consultant.id
    session.add(customer)
    visit = Visit(
        day=day, customer_id=customer_id, is_new=is_new, path=path.value,
        purpose=purpose.strip(), consultant_id=consultant.id if consultant else None,
        appointment_id=appointment_id, status=status, status_since=now, arrived_at=now,
        created_at=now, created_by_id=by,
    )
    session.add(visit)
    session.flush()
    if path == VisitPath.TREATMENT and customer.case_number:
        # The key log fulfils it: the file is fetched with the archive key. A customer
        # without a case number has no file in the archive to fetch.
        keys.request_case_file(session, customer_id=customer_id, visit_id=visit.id,
                               consultant_id=consultant.id if consultant else None, by=by)
    audit.record(session, by=by, action="visit_start", record_type="visit", record_id=visit.id,
                 path=path.value, consultant_id=visit.consultant_id, status=status.value)
    return visit


def has_visited(session: Session, customer_id: int) -> bool:
    """Any visit before now: a second visit, even the same day, is a returning one; so is
    a customer known from before today without one (imported from the clinic's sheets)."""
    if session.exec(select(Visit.id).where(Visit.customer_id == customer_id)
                    .limit(1)).first() is not None:
        return True
    customer = session.get(Customer, customer_id)
    return bool(customer and customer.first_visit_day
                and customer.first_visit_day < clock.today())


def triage_new_customer(
    session: Session,
    *,
    name: str,
    phone: str,
    by: int | None,
    gender: str = "",
    interest: str = "",
    source: str = "",
    consultant_id: int | None = None,
    use_rotation: bool = True,
    appointment_id: int | None = None,
) -> tuple[Visit, Customer, bool]:
    """Paths A and B in one unit of work: register, mark the appointment arrived, triage.

    Returns ``(visit, customer, created)``. A phone already on file finds that customer (no
    second record); if they were here on an earlier day the visit counts as returning.
    Every field is checked before anything is written, so a refusal saves nothing. Its
    rules take keyed locks (the appointment, the phone, the customer's visits, the day's
    rotation): on a server, other counters of the branch keep saving meanwhile.
    """
    keyed_unit(session)
    errors = validate_customer_fields(name=name, phone=phone)
    if errors:
        raise next(iter(errors.values()))
    if appointment_id is not None:
        chain_lock(session, "appointment", appointment_id)  # arrives once
    chain_lock(session, "phone", phones.normalise(phone))  # customers.register's, taken first
    day = clock.today()
    days.ensure_open(session, day)
    appointment = None
    if appointment_id is not None:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None:
            raise TriageError("appointment.not_found")
    customer, created = customers.register(
        session, name=name, phone=phone, by=by, gender=gender.strip(),
        interest=interest.strip(), source=source.strip(), first_visit_day=day)
    if appointment is not None:
        # Already marked arrived (e.g. found by the night check untriaged): triage it now.
        if appointment.status != AppointmentStatus.ARRIVED:
            appointments.mark_arrived(session, appointment.id, by=by)
        if appointment.customer_id is None:
            appointment.customer_id = customer.id
            session.add(appointment)
    returning = not created and has_visited(session, customer.id)
    if returning:
        path = VisitPath.DOCTOR_FIRST
    else:
        path = VisitPath.BOOKED if appointment is not None else VisitPath.FIRST
    if (consultant_id is None and use_rotation and appointment is not None
            and appointment.consultant_id):
        if staff_service.is_on_duty(session, appointment.consultant_id, day):
            consultant_id = appointment.consultant_id
    visit = _start_visit(
        session, customer_id=customer.id, path=path, by=by, consultant_id=consultant_id,
        use_rotation=use_rotation, purpose=interest or (appointment.purpose if appointment else ""),
        appointment_id=appointment.id if appointment else None, is_new=not returning,
        just_registered=created)
    return visit, customer, created


def validate_customer_fields(*, name: str, phone: str) -> dict[str, ValidationError]:
    """Every field's error at once (for inline messages); empty when all is well."""
    errors: dict[str, ValidationError] = {}
    try:
        customers.check_name(name)
    except ValidationError as error:
        errors["name"] = error
    try:
        phones.normalise(phone)
    except ValidationError as error:
        errors["phone"] = error
    return errors
