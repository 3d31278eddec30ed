"""The cashier's book of the stays (seed 003 §4.6.2): the balance and the deposit taken at
check-in, the deposit given back at check-out, corrections.

- Methods: card (a credit card pays a 0.6% fee on top, a debit card none), Alipay,
  WeChat, cash. The deposit is never taken by card.
- Every line gets a receipt number: ``S`` + the day + a sequence (``S20261122-003``).
- Append-only: there is no function that edits or deletes a line, and the store refuses
  it (a flush that changes or deletes a ``Payment`` raises). A correction is a new line
  with the opposite amount, naming the one it corrects.
- Totals per method and per day, fee included, for the cashier and the night check.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import event, func
from sqlmodel import Session, select

from models import Contract, Payment
from reception import audit
from reception.clock import clock
from reception.errors import ValidationError
from reception.stay_rooms import StayError


class Method:
    CREDIT = "card_credit"
    DEBIT = "card_debit"
    ALIPAY = "alipay"
    WECHAT = "wechat"
    CASH = "cash"


class Kind:
    BALANCE = "balance"
    DEPOSIT = "deposit"
    REFUND = "refund"
    CORRECTION = "correction"


METHODS = (Method.CASH, Method.WECHAT, Method.ALIPAY, Method.DEBIT, Method.CREDIT)
DEPOSIT_METHODS = (Method.CASH, Method.WECHAT, Method.ALIPAY)
#: Credit-card fee: six per thousand (千分之六).
CARD_FEE_PER_MILLE = 6


def card_fee(amount: int, method: str) -> int:
    """The fee on ``amount`` fen paid by ``method``: 0.6% by credit card, rounded half up."""
    if method != Method.CREDIT or amount <= 0:
        return 0
    return (amount * CARD_FEE_PER_MILLE + 500) // 1000


@event.listens_for(Session, "before_flush")
def _append_only(session, _context, _instances) -> None:
    for instance in (*session.dirty, *session.deleted):
        if isinstance(instance, Payment) and (instance in session.deleted
                                              or session.is_modified(instance)):
            raise StayError("stays.payment_append_only")


def _receipt(session: Session, day: date) -> str:
    prefix = f"S{day:%Y%m%d}-"
    count = session.exec(select(func.count()).select_from(Payment)
                         .where(Payment.day == day)).one()
    return f"{prefix}{count + 1:03d}"


def take(session: Session, contract: Contract, *, kind: str, method: str, amount: int,
         by: int | None, note: str = "", corrects_id: int | None = None,
         field: str = "amount") -> Payment:
    """One line in the book; the fee is worked out here."""
    if method not in METHODS:
        raise ValidationError(f"{kind}_method" if kind in (Kind.BALANCE, Kind.DEPOSIT)
                              else "method", "stays.bad_method", method=method)
    if kind == Kind.DEPOSIT and method not in DEPOSIT_METHODS:
        raise ValidationError("deposit_method", "stays.deposit_not_by_card")
    if kind in (Kind.BALANCE, Kind.DEPOSIT) and amount <= 0:
        raise ValidationError(field, "stays.amount_positive")
    day = clock.today()
    payment = Payment(
        receipt=_receipt(session, day), contract_id=contract.id, kind=kind, method=method,
        amount=amount, fee=card_fee(amount, method), day=day, at=clock.now_utc(),
        corrects_id=corrects_id, note=note, created_at=clock.now_utc(), created_by_id=by)
    session.add(payment)
    session.flush()
    audit.record(session, by=by, action="stay_payment", record_type="stay_payment",
                 record_id=payment.id, receipt=payment.receipt, kind=kind, method=method,
                 amount=amount, fee=payment.fee)
    return payment


def correct(session: Session, payment_id: int, *, reason: str, by: int | None) -> Payment:
    """The line that undoes ``payment_id`` (same method, opposite amount and fee)."""
    original = session.get(Payment, payment_id)
    if original is None:
        raise StayError("stays.no_such_payment")
    if not reason.strip():
        raise ValidationError("reason", "field.required")
    if session.exec(select(Payment.id).where(Payment.corrects_id == payment_id)).first():
        raise StayError("stays.already_corrected", receipt=original.receipt)
    contract = session.get(Contract, original.contract_id)
    line = Payment(
        receipt=_receipt(session, clock.today()), contract_id=contract.id,
        kind=Kind.CORRECTION, method=original.method, amount=-original.amount,
        fee=-original.fee, day=clock.today(), at=clock.now_utc(), corrects_id=original.id,
        note=reason.strip(), created_at=clock.now_utc(), created_by_id=by)
    session.add(line)
    session.flush()
    audit.record(session, by=by, action="stay_payment_correct", record_type="stay_payment",
                 record_id=line.id, corrects=original.receipt, reason=reason.strip())
    return line


def of_contract(session: Session, contract_id: int) -> list[Payment]:
    return list(session.exec(select(Payment).where(Payment.contract_id == contract_id)
                             .order_by(Payment.id)).all())


def _kind_of(session: Session, payment: Payment) -> str:
    if payment.kind != Kind.CORRECTION:
        return payment.kind
    original = session.get(Payment, payment.corrects_id)
    return original.kind if original else payment.kind


@dataclass
class Held:
    """What a contract has paid at the desk."""

    balance_paid: int = 0
    deposit_paid: int = 0
    refunded: int = 0

    @property
    def deposit_held(self) -> int:
        return self.deposit_paid - self.refunded


def held(session: Session, contract_id: int) -> Held:
    totals = Held()
    for payment in of_contract(session, contract_id):
        kind = _kind_of(session, payment)
        if kind == Kind.BALANCE:
            totals.balance_paid += payment.amount
        elif kind == Kind.DEPOSIT:
            totals.deposit_paid += payment.amount
        elif kind == Kind.REFUND:
            totals.refunded -= payment.amount
    return totals


def balance_outstanding(session: Session, contract: Contract) -> int:
    return contract.balance_due - held(session, contract.id).balance_paid


@dataclass
class MethodTotal:
    method: str
    count: int
    amount: int
    fee: int

    @property
    def total(self) -> int:
        return self.amount + self.fee


def totals(session: Session, day: date) -> list[MethodTotal]:
    """The cashier's totals of a day per method (every method, even with nothing)."""
    rows = session.exec(
        select(Payment.method, func.count(), func.sum(Payment.amount), func.sum(Payment.fee))
        .where(Payment.day == day).group_by(Payment.method)).all()
    found = {method: (count, amount or 0, fee or 0) for method, count, amount, fee in rows}
    return [MethodTotal(method, *found.get(method, (0, 0, 0))) for method in METHODS]


def day_lines(session: Session, day: date) -> list[Payment]:
    return list(session.exec(select(Payment).where(Payment.day == day)
                             .order_by(Payment.id)).all())
