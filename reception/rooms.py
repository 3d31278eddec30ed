"""Meeting-room and VIP-room bookings (seed 001 3.3.1.6; seed 002 §16).

A booking has a room, a time, a host, the number of people and its needs (tea, AC). A
booking overlapping another of the same room is refused, naming the other; none is made in
the past. Fifteen minutes before it starts, the room is to be prepared: the status line
says so until it is marked prepared (or has started).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import arrow
from sqlmodel import Session, col, select

from models import Room, RoomBooking
from reception import audit, days, times
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from reception.text import narrow

#: The rooms of the seeds, added on first use (a manager may add more).
DEFAULT_ROOMS = (("会议室", "meeting"), ("VIP室", "vip"))
PREPARE_MINUTES = 15
DEFAULT_MINUTES = 60
PEOPLE_MAX = 200
HOST_MAX = 100


class RoomError(ReceptionError):
    """A room booking was refused."""


def ensure_default_rooms(session: Session) -> None:
    if session.exec(select(Room.id).limit(1)).first() is not None:
        return
    now = clock.now_utc()
    for name, kind in DEFAULT_ROOMS:
        session.add(Room(name=name, kind=kind, created_at=now))
    session.flush()


def rooms(session: Session) -> list[Room]:
    return list(session.exec(select(Room).where(col(Room.active).is_(True))
                             .order_by(Room.id)).all())


def room_named(session: Session, name: str) -> Room:
    wanted = narrow(name).strip().casefold()
    for room in rooms(session):
        if narrow(room.name).casefold() == wanted:
            return room
    raise ValidationError("room", "rooms.unknown", name=name.strip())


@dataclass(frozen=True)
class Booking:
    booking: RoomBooking
    room: str

    def times(self) -> str:
        start = clock.local(self.booking.starts_at)
        end = clock.local(self.booking.ends_at)
        return f"{start.format('HH:mm')}–{end.format('HH:mm')}"

    def needs(self) -> list[str]:
        return [need for need, wanted in (("tea", self.booking.tea),
                                          ("ac", self.booking.air_conditioning)) if wanted]


def _parse_day(text: str) -> date:
    cleaned = narrow(text).strip()
    if not cleaned:
        return clock.today()
    try:
        if len(cleaned) <= 5:  # MM-DD: this year
            return date.fromisoformat(f"{clock.today().year}-{cleaned.zfill(5)}")
        return date.fromisoformat(cleaned)
    except ValueError:
        raise ValidationError("day", "rooms.bad_day", value=cleaned) from None


def _when(day: date, text: str, field: str) -> datetime:
    hhmm = times.hhmm(text, field=field, message="rooms.bad_time", loose=True)
    local = arrow.get(f"{day.isoformat()}T{hhmm}", tzinfo=clock.tz)
    return local.to("utc").datetime


def overlapping(session: Session, room_id: int, starts_at: datetime, ends_at: datetime,
                *, except_id: int | None = None) -> Booking | None:
    query = (select(RoomBooking, Room.name).join(Room, Room.id == RoomBooking.room_id)
             .where(RoomBooking.room_id == room_id, col(RoomBooking.cancelled_at).is_(None),
                    RoomBooking.starts_at < ends_at, RoomBooking.ends_at > starts_at)
             .order_by(RoomBooking.starts_at))
    if except_id is not None:
        query = query.where(RoomBooking.id != except_id)
    found = session.exec(query).first()
    return Booking(*found) if found else None


def book(session: Session, *, room: str, day: str = "", start: str, end: str = "",
         host: str, people: str = "", tea: bool = False, air_conditioning: bool = False,
         note: str = "", by: int | None) -> RoomBooking:
    """Book a room, or refuse at the field: a time past, an end before the start, another
    booking of the room at that time (named)."""
    booked_room = room_named(session, room)
    booking_day = _parse_day(day)
    days.ensure_open(session, booking_day)
    starts_at = _when(booking_day, start, "start")
    if starts_at < clock.now_utc():
        raise ValidationError("start", "rooms.in_past",
                              when=clock.local(starts_at).format("YYYY-MM-DD HH:mm"))
    ends_at = (_when(booking_day, end, "end") if end.strip()
               else starts_at + timedelta(minutes=DEFAULT_MINUTES))
    if ends_at <= starts_at:
        raise ValidationError("end", "rooms.end_before_start")
    host = " ".join(host.split())
    if not host:
        raise ValidationError("host", "field.required")
    if len(host) > HOST_MAX:
        raise ValidationError("host", "logbook.too_long", limit=HOST_MAX)
    count = narrow(people).strip() or "1"
    if not count.isdigit() or not 1 <= int(count) <= PEOPLE_MAX:
        raise ValidationError("people", "logbook.bad_number", value=count, high=PEOPLE_MAX)
    other = overlapping(session, booked_room.id, starts_at, ends_at)
    if other is not None:
        raise ValidationError("start", "rooms.overlap", room=other.room, times=other.times(),
                              host=other.booking.host)
    now = clock.now_utc()
    booking = RoomBooking(room_id=booked_room.id, day=booking_day, starts_at=starts_at,
                          ends_at=ends_at, host=host, people=int(count), tea=tea,
                          air_conditioning=air_conditioning, note=" ".join(note.split()),
                          created_at=now, created_by_id=by)
    session.add(booking)
    session.flush()
    audit.record(session, by=by, action="room_book", record_type="room_booking",
                 record_id=booking.id, room=booked_room.name,
                 starts_at=starts_at.isoformat())
    return booking


def _open_booking(session: Session, booking_id: int) -> RoomBooking:
    booking = session.get(RoomBooking, booking_id)
    if booking is None:
        raise RoomError("rooms.unknown_booking")
    if booking.cancelled_at is not None:
        raise RoomError("rooms.cancelled")
    return booking


def cancel(session: Session, booking_id: int, *, by: int | None) -> RoomBooking:
    booking = _open_booking(session, booking_id)
    days.ensure_open(session, booking.day)
    booking.cancelled_at, booking.cancelled_by_id = clock.now_utc(), by
    session.add(booking)
    audit.record(session, by=by, action="room_cancel", record_type="room_booking",
                 record_id=booking.id)
    return booking


def mark_prepared(session: Session, booking_id: int, *, by: int | None) -> RoomBooking:
    """The room is ready (AC on, seats, tea): the reminder stops."""
    booking = _open_booking(session, booking_id)
    days.ensure_open(session, booking.day)
    if booking.prepared_at is None:
        booking.prepared_at = clock.now_utc()
        session.add(booking)
        audit.record(session, by=by, action="room_prepared", record_type="room_booking",
                     record_id=booking.id)
    return booking


def bookings(session: Session, day: date, *, include_cancelled: bool = False) -> list[Booking]:
    query = (select(RoomBooking, Room.name).join(Room, Room.id == RoomBooking.room_id)
             .where(RoomBooking.day == day).order_by(RoomBooking.starts_at, RoomBooking.id))
    if not include_cancelled:
        query = query.where(col(RoomBooking.cancelled_at).is_(None))
    return [Booking(*row) for row in session.exec(query).all()]


def reminders(session: Session, now: datetime | None = None) -> list[Booking]:
    """Bookings starting within 15 minutes whose room is not yet marked prepared."""
    now = now or clock.now_utc()
    return [found for found in bookings(session, clock.day_of(now))
            if found.booking.prepared_at is None
            and found.booking.starts_at - timedelta(minutes=PREPARE_MINUTES) <= now
            < found.booking.starts_at]


def status_alert(session: Session, now: datetime | None = None) -> str:
    due = reminders(session, now)
    if not due:
        return ""
    first = due[0]
    return t("rooms.status_prepare", room=first.room, times=first.times(),
             host=first.booking.host, people=first.booking.people,
             needs=needs_text(first)) + (t("rooms.status_more", n=len(due) - 1)
                                         if len(due) > 1 else "")


def needs_text(found: Booking) -> str:
    return t("rooms.list_separator").join(t(f"rooms.need.{need}") for need in found.needs()) \
        or t("rooms.need.none")


def upcoming(session: Session, *, days_ahead: int = 7) -> list[Booking]:
    """Today's bookings and those of the days ahead (the board's list)."""
    first = clock.today()
    last = first + timedelta(days=days_ahead)
    rows = session.exec(
        select(RoomBooking, Room.name).join(Room, Room.id == RoomBooking.room_id)
        .where(RoomBooking.day >= first, RoomBooking.day <= last,
               col(RoomBooking.cancelled_at).is_(None))
        .order_by(RoomBooking.starts_at, RoomBooking.id)).all()
    return [Booking(*row) for row in rows]
