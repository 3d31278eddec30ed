"""What the F7 screens show, read in one go as plain data: the desk's list, the values a
form opens with, the summaries above the forms."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from models import Customer, StayRoom
from reception import settings
from reception.clock import clock
from reception.stay_care import overdue_complaints, visit_day_of
from reception.stay_contracts import ARCHIVE_FIELDS, ContractLine, get, open_contracts
from reception.stay_payments import balance_outstanding, held
from reception.stay_rooms import RoomLine, board
from reception.stay_values import day_text, moment_text, yuan, yuan_text


@dataclass
class Desk:
    day: date
    #: Today's arrivals first, then the stays, then the contracts still to come.
    contracts: list[ContractLine]
    rooms: list[RoomLine]
    arrivals: int
    open_requests: int
    overdue: int
    #: Today's takings at the desk, fee included, as shown ("" when nothing yet).
    takings: str = ""


def desk(session: Session) -> Desk:
    from reception.stay_care import open_requests

    today = clock.today()
    lines = open_contracts(session)

    def order(line: ContractLine):
        arriving = line.status == "signed" and line.arrival_day == today
        return (0 if arriving else 1 if line.status == "in_stay" else 2,
                line.room if line.status == "in_stay" else "",
                line.arrival_day or line.due_day)

    lines.sort(key=order)
    from reception.i18n import t
    from reception.stay_payments import totals

    takings = " · ".join(f"{t(f'stays.method_short.{total.method}')} {yuan(total.total)}"
                         for total in totals(session, today) if total.count)
    return Desk(today, lines, board(session, today),
                sum(1 for line in lines if line.status == "signed"
                    and line.arrival_day == today),
                len(open_requests(session)), overdue_complaints(session), takings)


def archive_values(session: Session, contract_id: int) -> dict[str, str]:
    contract = get(session, contract_id)
    values: dict[str, str] = {}
    for key in ARCHIVE_FIELDS:
        value = getattr(contract, key)
        if key in ("pickup_at", "dropoff_at"):
            values[key] = moment_text(value)
        elif isinstance(value, date):
            values[key] = day_text(value)
        elif key in ("babies", "baby_weight_g"):
            values[key] = str(value) if value else ""
        else:
            values[key] = "" if value is None else str(value)
    return values


@dataclass
class Summary:
    """The lines above a contract's forms: who, which contract, room, money."""

    contract_id: int
    number: str
    name: str
    phone: str
    status: str
    room: str
    days: int
    balance_due: int
    deposit_held: int
    special: str
    deposit_default: int
    lost_card_fee: int
    visit_day: int | None

    @property
    def balance_text(self) -> str:
        return yuan(self.balance_due)


def summary(session: Session, contract_id: int) -> Summary:
    contract = get(session, contract_id)
    customer = session.get(Customer, contract.customer_id)
    room = session.get(StayRoom, contract.room_id) if contract.room_id else None
    fees = settings.load(session)
    return Summary(contract.id, contract.number, customer.name, customer.phone,
                   contract.status, room.name if room else "", contract.days,
                   balance_outstanding(session, contract),
                   held(session, contract.id).deposit_held, contract.special_requests,
                   fees.stay_deposit, fees.lost_card_fee, visit_day_of(contract))


def check_in_values(found: Summary) -> dict[str, str]:
    return {"room": found.room, "balance": yuan_text(found.balance_due),
            "deposit": yuan_text(found.deposit_default)}
