"""Walk-in triage (seed 002, D1–D3): visits from arrival to departure, and visitors.

A visit starts on one of four paths — A first visit without appointment, B first visit with
appointment, C1 returning and seeing the doctor first, C2 returning for treatment only — is
handed to a consultant (the next one in the rotation unless the desk picks another), moves
through the statuses of the board, and ends with an outcome and a departure time. A
customer's first closed deal gives them a case number: the day ``YYYYMMDD`` and that day's
sequence (``2013110101``), counted in ``case_number_day`` under the write lock.

Every function takes the ``session`` of one unit of work; the screen opens it.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import (
    Appointment,
    AppointmentStatus,
    CaseNumberDay,
    Customer,
    Outcome,
    Role,
    Staff,
    Visit,
    Visitor,
    VisitPath,
    VisitStatus,
)
from reception import appointments, audit, customers, days, keys, phones, settings
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError

BOARD_LIMIT = 200
#: The order a visit moves on through, one key at a time; ``left`` needs an outcome.
STATUS_FLOW = [VisitStatus.WAITING, VisitStatus.WITH_CONSULTANT, VisitStatus.WITH_DOCTOR,
               VisitStatus.IN_TREATMENT, VisitStatus.LEFT]
#: A consultant holding a visit in one of these statuses is "with a customer".
BUSY_STATUSES = (VisitStatus.WAITING, VisitStatus.WITH_CONSULTANT)
VISITOR_KINDS = ("boss", "courier", "applicant", "other")
VISITOR_DECISIONS = ("pending", "received", "declined")
MAX_AMOUNT_CENTS = 100_000_000_00


class TriageError(ReceptionError):
    pass


class AlreadyHereError(TriageError):
    """The customer is in the building already: ``visit_id`` is their open visit today."""

    def __init__(self, name: str, visit_id: int) -> None:
        super().__init__("triage.already_here", name=name)
        self.visit_id = visit_id


def open_visit_today(session: Session, customer_id: int | None,
                     day: date | None = None) -> Visit | None:
    """The customer's visit today that has not ended (they are on the board), if any.

    A customer is triaged once per stay: the desk jumps to this visit instead of starting a
    second one.
    """
    if customer_id is None:
        return None
    return session.exec(
        select(Visit).where(Visit.customer_id == customer_id, Visit.day == (day or clock.today()),
                            Visit.status != VisitStatus.LEFT)
        .order_by(col(Visit.id).desc()).limit(1)
    ).first()


# --- the rotation -------------------------------------------------------------------


@dataclass
class RotationSlot:
    """A consultant on today's rota and where they stand in the rotation."""

    consultant: Staff
    position: int
    busy: bool
    new_today: int
    visits_today: int
    last_new_at: datetime | None

    @property
    def sort_key(self) -> tuple:
        # Free before busy; then fewest new customers today; then the one who got a new
        # customer longest ago (never yet = first); then rota order.
        last = self.last_new_at.timestamp() if self.last_new_at else float("-inf")
        return (self.busy, self.new_today, last, self.position)


def rotation(session: Session, day: date) -> list[RotationSlot]:
    """Consultants on duty ``day``, the next one to receive a new customer first.

    Fair round-robin: a consultant with a customer (waiting for them or with them) is
    skipped while another is free; among the free ones the fewest new customers today
    goes next, then the one whose last new customer is oldest, then rota order. When every
    consultant is busy the same order says who takes the next customer when free.
    """
    on_duty = staff_service.on_duty(session, day, role=Role.CONSULTANT)
    if not on_duty:
        return []
    ids = [consultant.id for consultant in on_duty]
    visits = session.exec(
        select(Visit.consultant_id, Visit.status, Visit.is_new, Visit.arrived_at)
        .where(Visit.day == day, col(Visit.consultant_id).in_(ids))
        .limit(5000)
    ).all()
    slots = []
    for position, consultant in enumerate(on_duty):
        mine = [row for row in visits if row[0] == consultant.id]
        new_times = [row[3] for row in mine if row[2]]
        slots.append(RotationSlot(
            consultant=consultant,
            position=position,
            busy=any(row[1] in BUSY_STATUSES for row in mine),
            new_today=len(new_times),
            visits_today=len(mine),
            last_new_at=max(new_times) if new_times else None,
        ))
    return sorted(slots, key=lambda slot: slot.sort_key)


def next_consultant(session: Session, day: date) -> Staff | None:
    """The consultant the rotation gives the next new customer to (None: nobody on duty)."""
    slots = rotation(session, day)
    return slots[0].consultant if slots else None


def proposed_consultant(
    session: Session, day: date, *, customer: Customer | None = None,
    appointment: Appointment | None = None,
) -> tuple[Staff | None, str]:
    """Who to send this customer to, and why: ``own``, ``appointment`` or ``rotation``.

    A returning customer goes to their own consultant and a booked one to the consultant of
    the appointment, when that consultant is on duty today; otherwise the rotation decides.
    """
    for wanted, reason in ((appointment.consultant_id if appointment else None, "appointment"),
                           (customer.consultant_id if customer else None, "own")):
        if wanted is not None and staff_service.is_on_duty(session, wanted, day):
            consultant = session.get(Staff, wanted)
            if consultant is not None and consultant.active:
                return consultant, reason
    return next_consultant(session, day), "rotation"


# --- starting a visit -----------------------------------------------------------------


def _check_consultant(session: Session, consultant_id: int | None) -> Staff | None:
    if consultant_id is None:
        return None
    consultant = session.get(Staff, consultant_id)
    if consultant is None or not consultant.active or consultant.role != Role.CONSULTANT:
        raise TriageError("triage.not_a_consultant")
    return consultant


def _busy(session: Session, consultant_id: int, day: date) -> bool:
    return session.exec(
        select(Visit.id).where(Visit.consultant_id == consultant_id, Visit.day == day,
                               col(Visit.status).in_(BUSY_STATUSES)).limit(1)
    ).first() is not None


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
    """
    path = VisitPath(path)
    day = clock.today()
    days.ensure_open(session, day)
    customer = session.get(Customer, customer_id)
    if customer is None:
        raise TriageError("triage.customer_not_found")
    already = open_visit_today(session, customer_id)
    if already is not None:
        raise AlreadyHereError(customer.name, already.id)
    consultant = _check_consultant(session, consultant_id)
    if consultant is None and use_rotation:
        consultant = next_consultant(session, day)
    now = clock.now_utc()
    if path == VisitPath.TREATMENT:
        status = VisitStatus.IN_TREATMENT
    elif consultant is not None and not _busy(session, consultant.id, day):
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
    """Any visit before now: a second visit, even the same day, is a returning one."""
    return session.exec(select(Visit.id).where(Visit.customer_id == customer_id)
                        .limit(1)).first() is not None


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
    Every field is checked before anything is written, so a refusal saves nothing.
    """
    errors = validate_customer_fields(name=name, phone=phone)
    if errors:
        raise next(iter(errors.values()))
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
    visit = start_visit(
        session, customer_id=customer.id, path=path, by=by, consultant_id=consultant_id,
        use_rotation=use_rotation, purpose=interest or (appointment.purpose if appointment else ""),
        appointment_id=appointment.id if appointment else None, is_new=not returning)
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


# --- the board ------------------------------------------------------------------------


@dataclass
class BoardRow:
    """One person in the building: a customer's visit or a visitor."""

    record_type: str  # visit, visitor
    record_id: int
    name: str
    phone: str
    status: str  # a VisitStatus, or visitor:<decision>
    with_whom: str
    since: datetime
    path: str
    is_new: bool
    alert: bool
    case_number: str | None = None

    def minutes(self, now: datetime) -> int:
        return max(int((now - self.since).total_seconds() // 60), 0)


def board(session: Session, day: date | None = None) -> list[BoardRow]:
    """Everyone in the building now, longest-waiting first (indexed by day and status)."""
    day = day or clock.today()
    now = clock.now_utc()
    alerts = settings.get(session, "alert_minutes") or {}
    rows: list[BoardRow] = []
    visits = session.exec(
        select(Visit, Customer, Staff.name)
        .join(Customer, Customer.id == Visit.customer_id)
        .outerjoin(Staff, Staff.id == Visit.consultant_id)
        .where(Visit.day == day, col(Visit.status).in_(STATUS_FLOW[:-1]))
        .order_by(Visit.arrived_at, Visit.id)
        .limit(BOARD_LIMIT)
    ).all()
    for visit, customer, consultant_name in visits:
        limit = alerts.get(visit.status)
        over = limit is not None and (now - visit.status_since).total_seconds() > limit * 60
        rows.append(BoardRow("visit", visit.id, customer.name, customer.phone, visit.status,
                             consultant_name or "", visit.status_since, visit.path,
                             visit.is_new, over, customer.case_number))
    visitors = session.exec(
        select(Visitor).where(Visitor.day == day, col(Visitor.left_at).is_(None))
        .order_by(Visitor.arrived_at, Visitor.id).limit(BOARD_LIMIT)
    ).all()
    for visitor in visitors:
        limit = alerts.get("visitor", alerts.get("waiting"))
        over = (visitor.decision == "pending" and limit is not None
                and (now - visitor.arrived_at).total_seconds() > limit * 60)
        rows.append(BoardRow("visitor", visitor.id, visitor.name, visitor.phone,
                             f"visitor:{visitor.decision}", visitor.host, visitor.arrived_at,
                             visitor.kind, False, over))
    return rows


def _visit(session: Session, visit_id: int) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise TriageError("triage.visit_not_found")
    return visit


def move_status(session: Session, visit_id: int, *, by: int | None, to: str | None = None,
                back: bool = False) -> Visit:
    """Move a visit on to the next status (or ``to`` a given one, or one ``back``).

    Leaving needs an outcome: use ``record_outcome``.
    """
    visit = _visit(session, visit_id)
    days.ensure_open(session, visit.day)
    if visit.status == VisitStatus.LEFT:
        raise TriageError("triage.already_left")
    index = STATUS_FLOW.index(VisitStatus(visit.status))
    if to is not None:
        target = VisitStatus(to)
    elif back:
        if index == 0:
            raise TriageError("triage.no_earlier_status")
        target = STATUS_FLOW[index - 1]
    else:
        target = STATUS_FLOW[index + 1]
    if target == VisitStatus.LEFT:
        raise TriageError("triage.outcome_needed")
    if target == VisitStatus.WITH_CONSULTANT and visit.consultant_id is None:
        # The board would say "with consultant" and name nobody.
        raise TriageError("triage.consultant_needed")
    previous = visit.status
    visit.status = target
    visit.status_since = clock.now_utc()
    session.add(visit)
    audit.record(session, by=by, action="visit_status", record_type="visit", record_id=visit.id,
                 before=previous, after=target.value)
    return visit


# --- outcome, departure and case numbers ----------------------------------------------


def format_case_number(day: date, sequence: int) -> str:
    """``2013110101``: the day and its sequence, two digits (three and more after 99)."""
    return f"{day:%Y%m%d}{sequence:02d}"


def next_case_number(session: Session, day: date) -> str:
    """Take the next case number of ``day``.

    Call inside ``db.write()``: it began with BEGIN IMMEDIATE and holds the write lock, so
    two counters closing deals at the same moment queue here and never share a number.
    """
    row = session.get(CaseNumberDay, day)
    if row is None:
        row = CaseNumberDay(day=day, last_seq=0)
    row.last_seq += 1
    session.add(row)
    session.flush()
    return format_case_number(day, row.last_seq)


def typed(raw: str) -> str:
    """Text as typed, with full-width digits and signs (a Chinese input method's
    ``１４：３０``, ``２００``, ``，``, ``￥``) read as the ASCII ones."""
    return unicodedata.normalize("NFKC", raw)


def parse_amount(raw: str) -> int | None:
    """Yuan as typed (``1280``, ``1,280.50``, ``¥99``) → cents; blank → None."""
    text = typed(raw).strip().replace(",", "").lstrip("¥")
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
    text = typed(raw).strip()
    if not text:
        departed = clock.now_utc()
    else:
        try:
            hours, minutes = (int(part) for part in text.split(":"))
            local = clock.local(visit.arrived_at).replace(hour=hours, minute=minutes, second=0,
                                                          microsecond=0)
        except ValueError as error:
            raise ValidationError("departed", "triage.time_invalid") from error
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

    A customer's first deal gives them the next case number of the visit's day.
    """
    visit = _visit(session, visit_id)
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
    customer.case_number = next_case_number(session, visit.day)
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
    visit = _visit(session, visit_id)
    days.ensure_open(session, visit.day)
    customer = session.get(Customer, visit.customer_id)
    changes: dict[str, object] = {}
    if name is not None:
        customers.check_name(name)
    new_phone = phones.normalise(phone) if phone is not None else None
    if new_phone is not None and new_phone != customer.phone:
        other = customers.find_by_phone(session, new_phone)
        if other is not None:
            raise ValidationError("phone", "triage.phone_taken", name=other.name)
    consultant = _check_consultant(session, consultant_id)
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


# --- looking up -------------------------------------------------------------------------


@dataclass
class VisitDetail:
    visit: Visit
    customer: Customer
    consultant: Staff | None


def visit_detail(session: Session, visit_id: int) -> VisitDetail:
    visit = _visit(session, visit_id)
    customer = session.get(Customer, visit.customer_id)
    consultant = session.get(Staff, visit.consultant_id) if visit.consultant_id else None
    return VisitDetail(visit, customer, consultant)


def latest_visit_of(session: Session, customer_id: int) -> Visit | None:
    return session.exec(
        select(Visit).where(Visit.customer_id == customer_id)
        .order_by(col(Visit.day).desc(), col(Visit.id).desc()).limit(1)
    ).first()


def consultants(session: Session) -> list[Staff]:
    """Every active consultant (for fixing a visit's consultant afterwards)."""
    return staff_service.list_staff(session, role=Role.CONSULTANT)


# --- visitors who are not customers ------------------------------------------------------


def log_visitor(
    session: Session,
    *,
    by: int | None,
    kind: str,
    name: str = "",
    phone: str = "",
    host: str = "",
    host_id: int | None = None,
    has_appointment: bool = False,
    reason: str = "",
) -> Visitor:
    """Someone at the desk who is not a customer: who, for whom, why. The host decides."""
    if kind not in VISITOR_KINDS:
        raise ValidationError("kind", "triage.visitor_kind_invalid")
    customers.check_name(name, "visitor_name")
    normalised = phones.normalise(phone) if phone.strip() else ""
    # Someone for the boss (or another staff member) needs the host to decide.
    if kind == "boss" and not host.strip() and host_id is None:
        raise ValidationError("visitor_host", "field.required")
    if host_id is None and host.strip():
        # For a member of staff (the name as the desk chose it): linked, so the board and
        # the records name them as they are named, not as typed.
        wanted = host.strip().casefold()
        member = next((member for member in staff_service.list_staff(session)
                       if member.name.casefold() == wanted), None)
        if member is not None:
            host, host_id = member.name, member.id
    day = clock.today()
    days.ensure_open(session, day)
    now = clock.now_utc()
    visitor = Visitor(
        day=day, name=name.strip(), phone=normalised, kind=kind, host=host.strip(),
        host_id=host_id, has_appointment=has_appointment, reason=reason.strip(),
        # A courier's parcel is signed for at the desk (seed 002 §13): nothing to decide.
        decision="received" if kind == "courier" else "pending",
        arrived_at=now, created_at=now, created_by_id=by,
    )
    session.add(visitor)
    session.flush()
    audit.record(session, by=by, action="visitor_log", record_type="visitor",
                 record_id=visitor.id, kind=kind)
    return visitor


def decide_visitor(session: Session, visitor_id: int, decision: str, *,
                   by: int | None) -> Visitor:
    """The host receives the visitor, or declines (the desk says they are out)."""
    if decision not in VISITOR_DECISIONS:
        raise ValidationError("decision", "triage.visitor_decision_invalid")
    visitor = session.get(Visitor, visitor_id)
    if visitor is None:
        raise TriageError("triage.visitor_not_found")
    days.ensure_open(session, visitor.day)
    visitor.decision = decision
    if decision == "declined" and visitor.left_at is None:
        visitor.left_at = clock.now_utc()
    session.add(visitor)
    audit.record(session, by=by, action="visitor_decision", record_type="visitor",
                 record_id=visitor.id, decision=decision)
    return visitor


def visitor_left(session: Session, visitor_id: int, *, by: int | None) -> Visitor:
    visitor = session.get(Visitor, visitor_id)
    if visitor is None:
        raise TriageError("triage.visitor_not_found")
    days.ensure_open(session, visitor.day)
    if visitor.left_at is None:
        visitor.left_at = clock.now_utc()
    session.add(visitor)
    audit.record(session, by=by, action="visitor_left", record_type="visitor",
                 record_id=visitor.id)
    return visitor
