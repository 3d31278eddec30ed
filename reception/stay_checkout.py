"""Check-out (seed 003 §4.7.2 出所手续办理、押金清退、物品清点): the other departments'
outstanding items confirmed, the room's items checked, the deposit given back less the
deductions (each with its reason; a lost room card 200 yuan by default, a setting), the
satisfaction survey (seed 000 意见收集), and the stay closed — its after-check-out calls
begin (§4.8.2).
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from models import Deduction, Stay, StayRoom
from reception import audit, settings
from reception.clock import clock
from reception.errors import ValidationError
from reception.i18n import t
from reception.stay_contracts import get
from reception.stay_payments import DEPOSIT_METHODS, Kind, held, take
from reception.stay_rooms import RoomState, StayError
from reception.stay_values import day, fen, line, whole, yes_no
from reception.stay_values import yuan as yuan_of

SURVEY_RANGE = (1, 5)


@dataclass
class Refund:
    deposit: int
    deductions: list[tuple[str, int]]

    @property
    def deducted(self) -> int:
        return sum(amount for _reason, amount in self.deductions)

    @property
    def amount(self) -> int:
        return self.deposit - self.deducted


def work_out(deposit: int, *, lost_cards: int, card_fee: int, other: int = 0,
             other_reason: str = "") -> Refund:
    """The refund arithmetic: the deposit less each deduction; never more than the deposit
    is kept (``ValidationError`` at the field that makes it so)."""
    deductions = []
    if lost_cards:
        deductions.append((t("stays.deduct.lost_card", count=lost_cards),
                           lost_cards * card_fee))
    if other:
        if not other_reason.strip():
            raise ValidationError("other_reason", "stays.reason_required")
        deductions.append((other_reason.strip(), other))
    refund = Refund(deposit, deductions)
    if refund.amount < 0:
        raise ValidationError("other" if other else "lost_cards", "stays.deductions_above",
                              deposit=yuan_of(deposit))
    return refund


def preview(session: Session, contract_id: int, lost_cards: int = 0) -> Refund:
    contract = get(session, contract_id)
    fee = settings.load(session).lost_card_fee
    return Refund(held(session, contract.id).deposit_held,
                  [(t("stays.deduct.lost_card", count=lost_cards), lost_cards * fee)]
                  if lost_cards else [])


def check_out(session: Session, contract_id: int, values: dict[str, str],
              *, by: int | None) -> Refund:
    """``values``: day, items_confirmed, room_checked, lost_cards, other, other_reason,
    refund (empty = the deposit less deductions), refund_method, survey_score, survey_text."""
    from reception import stay_schedule

    contract = get(session, contract_id)
    if contract.status != "in_stay":
        raise StayError("stays.not_in_stay", number=contract.number)
    out_day = day(values.get("day", ""), "day") or clock.today()
    if contract.arrival_day and out_day < contract.arrival_day:
        raise ValidationError("day", "stays.out_before_in")
    if out_day > clock.today():
        raise ValidationError("day", "stays.out_in_future")
    if not yes_no(values.get("items_confirmed", ""), "items_confirmed"):
        raise ValidationError("items_confirmed", "stays.must_confirm")
    if not yes_no(values.get("room_checked", ""), "room_checked"):
        raise ValidationError("room_checked", "stays.must_confirm")
    fees = settings.load(session)
    refund = work_out(
        held(session, contract.id).deposit_held,
        lost_cards=whole(values.get("lost_cards", ""), "lost_cards", 0, 20, default=0),
        card_fee=fees.lost_card_fee, other=fen(values.get("other", ""), "other"),
        other_reason=line(values.get("other_reason", ""), "other_reason", limit=200))
    typed = (values.get("refund") or "").strip()
    if typed:
        amount = fen(typed, "refund")
        if amount > refund.deposit:
            raise ValidationError("refund", "stays.refund_above_deposit",
                                  deposit=yuan_of(refund.deposit))
        if amount != refund.amount:
            raise ValidationError("refund", "stays.refund_mismatch",
                                  expected=yuan_of(refund.amount))
    method = values.get("refund_method") or "cash"
    if method not in DEPOSIT_METHODS:
        raise ValidationError("refund_method", "stays.deposit_not_by_card")
    score = whole(values.get("survey_score", ""), "survey_score", *SURVEY_RANGE)
    for reason, amount in refund.deductions:
        session.add(Deduction(contract_id=contract.id, reason=reason, amount=amount,
                              created_at=clock.now_utc(), created_by_id=by))
    if refund.amount:
        take(session, contract, kind=Kind.REFUND, method=method, amount=-refund.amount,
             by=by)
    contract.items_confirmed = contract.room_checked = True
    contract.survey_score = score
    contract.survey_text = line(values.get("survey_text", ""), "survey_text", limit=2000)
    contract.status, contract.check_out_day = "checked_out", out_day
    contract.checked_out_at = clock.now_utc()
    session.add(contract)
    if contract.stay_id:
        stay = session.get(Stay, contract.stay_id)
        stay.check_out_day = out_day
        session.add(stay)
    if contract.room_id:
        room = session.get(StayRoom, contract.room_id)
        room.state = RoomState.CLEANING
        session.add(room)
    session.flush()
    audit.record(session, by=by, action="stay_check_out", record_type="stay_contract",
                 record_id=contract.id, refund=refund.amount, deducted=refund.deducted)
    stay_schedule.sync(session, contract, by=by)
    return refund


def deductions_of(session: Session, contract_id: int) -> list[Deduction]:
    return list(session.exec(select(Deduction).where(Deduction.contract_id == contract_id)
                             .order_by(Deduction.id)).all())


def unrefunded(session: Session, on: date) -> list[tuple[str, int]]:
    """Contracts checked out on ``on`` still holding some deposit (night check)."""
    from models import Contract

    found = session.exec(select(Contract).where(Contract.status == "checked_out",
                                                Contract.check_out_day == on)).all()
    return [(contract.number, left) for contract in found
            if (left := held(session, contract.id).deposit_held
                - sum(d.amount for d in deductions_of(session, contract.id))) > 0]
