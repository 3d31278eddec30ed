"""The centre's rooms and what each is doing on a day: free, booked, occupied, cleaning or
out of service (seed 003 §2.1 职责 7 房态管理). A booking is a contract's room from its
arrival (the due date until the arrival is known) for the contract's days; two bookings
of one room may not overlap.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from models import Contract, Customer, StayRoom
from reception import audit
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.stay_values import line


class StayError(ReceptionError):
    """A stays rule said no."""


class RoomState:
    FREE = "free"
    BOOKED = "booked"
    OCCUPIED = "occupied"
    CLEANING = "cleaning"
    OUT = "out"


#: States a manager or housekeeping sets on the room itself.
SET_STATES = ("ok", RoomState.CLEANING, RoomState.OUT)
#: Contract statuses that hold a room.
HOLDING = ("signed", "in_stay")
DEFAULT_ROOMS = ("601", "602", "603", "605", "606", "608")
ROOMS_LIMIT = 200


def span(contract: Contract) -> tuple[date, date]:
    """The days a contract holds its room: [first day, day after the last night)."""
    first = contract.arrival_day or contract.due_day
    last = contract.check_out_day or first + timedelta(days=max(contract.days, 1))
    return first, max(last, first + timedelta(days=1))


def list_rooms(session: Session) -> list[StayRoom]:
    return list(session.exec(select(StayRoom).order_by(StayRoom.name).limit(ROOMS_LIMIT)).all())


def ensure_rooms(session: Session, names=DEFAULT_ROOMS, *, by: int | None) -> list[StayRoom]:
    """The rooms named, made if missing (first run and demo)."""
    have = {room.name for room in list_rooms(session)}
    made = []
    for name in names:
        if name not in have:
            room = StayRoom(name=name, created_at=clock.now_utc(), created_by_id=by)
            session.add(room)
            made.append(room)
    session.flush()
    return made


def add_room(session: Session, name: str, *, by: int | None) -> StayRoom:
    name = line(name, "room", limit=40, required=True)
    if find_room(session, name) is not None:
        raise ValidationError("room", "stays.room_exists", room=name)
    room = StayRoom(name=name, created_at=clock.now_utc(), created_by_id=by)
    session.add(room)
    session.flush()
    audit.record(session, by=by, action="stay_room_add", record_type="stay_room",
                 record_id=room.id, name=name)
    return room


def find_room(session: Session, name: str) -> StayRoom | None:
    return session.exec(select(StayRoom).where(StayRoom.name == name.strip())).first()


def usable_room(session: Session, name: str, field: str = "room") -> StayRoom:
    """The room typed, if it exists and is in service; else the field's error."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(field, "field.required")
    room = find_room(session, name)
    if room is None:
        raise ValidationError(field, "stays.no_such_room", room=name)
    if room.state == RoomState.OUT:
        raise ValidationError(field, "stays.room_out", room=name)
    return room


def set_room_state(session: Session, room_id: int, state: str, *, by: int | None) -> StayRoom:
    if state not in SET_STATES:
        raise StayError("stays.bad_room_state", state=state)
    room = session.get(StayRoom, room_id)
    if room is None:
        raise StayError("stays.no_such_room", room=room_id)
    before, room.state = room.state, state
    session.add(room)
    audit.record(session, by=by, action="stay_room_state", record_type="stay_room",
                 record_id=room.id, state=state, before=before)
    return room


def check_overlap(session: Session, room_id: int, first: date, end: date,
                  *, contract_id: int | None = None, field: str = "room") -> None:
    """Refuse a booking of ``room_id`` for [first, end) that overlaps another, naming it."""
    others = session.exec(
        select(Contract, Customer).join(Customer, Customer.id == Contract.customer_id)
        .where(Contract.room_id == room_id, col(Contract.status).in_(HOLDING))
    ).all()
    for other, customer in others:
        if other.id == contract_id:
            continue
        other_first, other_end = span(other)
        if first < other_end and other_first < end:
            raise ValidationError(
                field, "stays.room_overlap", number=other.number, name=customer.name,
                first=other_first.isoformat(),
                last=(other_end - timedelta(days=1)).isoformat())


@dataclass
class RoomLine:
    room_id: int
    name: str
    state: str
    #: Who holds it (customer's name), the contract number, and until when.
    who: str = ""
    contract_number: str = ""
    contract_id: int | None = None
    until: date | None = None
    since: date | None = None


def board(session: Session, day: date | None = None) -> list[RoomLine]:
    """Each room's state on ``day`` (default today), with who and until when."""
    day = day or clock.today()
    rooms = list_rooms(session)
    holding = session.exec(
        select(Contract, Customer).join(Customer, Customer.id == Contract.customer_id)
        .where(col(Contract.status).in_(HOLDING), col(Contract.room_id).is_not(None))
    ).all()
    by_room: dict[int, list[tuple[Contract, Customer]]] = {}
    for contract, customer in holding:
        by_room.setdefault(contract.room_id, []).append((contract, customer))
    lines = []
    for room in rooms:
        found = RoomLine(room.id, room.name, RoomState.FREE)
        if room.state in (RoomState.OUT, RoomState.CLEANING):
            found.state = room.state
        candidates = sorted(by_room.get(room.id, []), key=lambda pair: span(pair[0])[0])
        for contract, customer in candidates:
            first, end = span(contract)
            if contract.status == "in_stay":
                state = RoomState.OCCUPIED
            elif end <= day:
                continue
            else:
                state = RoomState.BOOKED
            if found.state in (RoomState.FREE, RoomState.BOOKED) or state == RoomState.OCCUPIED:
                found.state = state
                found.who, found.contract_number = customer.name, contract.number
                found.contract_id, found.since = contract.id, first
                found.until = end - timedelta(days=1)
                if state == RoomState.OCCUPIED:
                    break
                break
        lines.append(found)
    return lines
