"""Appointments: booked by phone (F3), found and marked arrived at the desk (F2 path B).

The number is the appointment day and its sequence that day, ``YYMMDD-NN`` (three digits
after 99); at the desk the sequence alone finds one of today's appointments.
"""

from datetime import date, datetime

from sqlmodel import Session, func, or_, select

from models import Appointment, AppointmentStatus
from reception import audit, customers, days, phones
from reception.clock import clock
from reception.errors import ReceptionError
from reception.text import narrow


class AppointmentError(ReceptionError):
    pass


def next_number(session: Session, day: date) -> str:
    """Call inside a write unit of work (it holds the write lock, so numbers never clash)."""
    booked = session.exec(select(func.count()).select_from(Appointment)
                          .where(Appointment.day == day)).one()
    return f"{day:%y%m%d}-{booked + 1:02d}"


def book(
    session: Session,
    *,
    scheduled_at: datetime,
    name: str,
    phone: str,
    by: int | None,
    consultant_id: int | None = None,
    purpose: str = "",
    call_id: int | None = None,
) -> Appointment:
    name = customers.check_name(name)
    normalised = phones.normalise(phone)
    day = clock.day_of(scheduled_at)
    days.ensure_open(session, day)
    existing = customers.find_by_phone(session, normalised)
    appointment = Appointment(
        number=next_number(session, day),
        customer_id=existing.id if existing else None,
        name=name,
        phone=normalised,
        consultant_id=consultant_id,
        scheduled_at=scheduled_at,
        day=day,
        purpose=purpose,
        call_id=call_id,
        created_at=clock.now_utc(),
        created_by_id=by,
    )
    session.add(appointment)
    session.flush()
    audit.record(session, by=by, action="appointment_book", record_type="appointment",
                 record_id=appointment.id, number=appointment.number)
    return appointment


def find_for_day(session: Session, day: date, query: str, *, limit: int = 20) -> list[Appointment]:
    """Booked appointments of ``day`` by number, sequence, any part of phone, or name."""
    query = narrow(query).strip()
    statement = select(Appointment).where(Appointment.day == day,
                                          Appointment.status == AppointmentStatus.BOOKED)
    if query:
        conditions = [Appointment.number == query, Appointment.name.contains(query)]
        if query.isdigit() and len(query) <= 3:
            # A short number is the sequence of the day, as the desk says it.
            conditions.append(Appointment.number == f"{day:%y%m%d}-{int(query):02d}")
        elif query.isdigit():
            conditions.append(Appointment.phone.contains(query))
        statement = statement.where(or_(*conditions))
    return list(session.exec(statement.order_by(Appointment.scheduled_at).limit(limit)).all())


def find_by_number(session: Session, number: str) -> Appointment | None:
    number = narrow(number).strip()
    return session.exec(select(Appointment).where(Appointment.number == number)).first()


def mark_arrived(session: Session, appointment_id: int, *, by: int | None) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise AppointmentError("appointment.not_found")
    days.ensure_open(session, clock.today())
    if appointment.status != AppointmentStatus.BOOKED:
        raise AppointmentError("appointment.not_booked", number=appointment.number)
    appointment.status = AppointmentStatus.ARRIVED
    appointment.arrived_at = clock.now_utc()
    session.add(appointment)
    audit.record(session, by=by, action="appointment_arrived", record_type="appointment",
                 record_id=appointment.id)
    return appointment
