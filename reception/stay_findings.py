"""What the night check finds in a day of stays (issue: the night check of a day covers
payments per method adding up, every expected arrival checked in or explained, check-outs
with their deposit refunded, complaints answered, confirmations complete), and the day's
stays in the report and the export.
"""

from datetime import date

from sqlmodel import Session, col, or_, select

from models import (
    Confirmation,
    Contract,
    Customer,
    DailyVisit,
    Deduction,
    Payment,
    StayRequest,
)
from reception.day_counts import day_bounds
from reception.night_findings import FINDINGS_LIMIT, Finding
from reception.stay_care import unanswered_complaints_of_day
from reception.stay_checkout import unrefunded
from reception.stay_desk import missing_arrivals, unconfirmed_before
from reception.stay_payments import DEPOSIT_METHODS, Kind, card_fee, day_lines, totals


def _name(session: Session, contract: Contract) -> str:
    customer = session.get(Customer, contract.customer_id)
    return customer.name if customer else ""


def payments_not_adding_up(session: Session, day: date) -> list[Finding]:
    """Lines of the day whose fee is not the method's, deposits by card, or a receipt
    sequence with a gap: the per-method totals would not add up to the receipts."""
    found = []
    lines = day_lines(session, day)
    for line in lines:
        expected = card_fee(line.amount, line.method) if line.kind != Kind.CORRECTION else None
        wrong_fee = expected is not None and line.fee != expected
        card_deposit = line.kind == Kind.DEPOSIT and line.method not in DEPOSIT_METHODS
        if wrong_fee or card_deposit:
            found.append(Finding("stay_payment_wrong", "stay_payment", line.id,
                                 {"receipt": line.receipt}))
    numbers = sorted(int(line.receipt.rsplit("-", 1)[-1]) for line in lines
                     if line.receipt.startswith(f"S{day:%Y%m%d}-"))
    for expected, number in enumerate(numbers, start=1):
        if number != expected:
            found.append(Finding("stay_receipt_gap", "stay_payment", None,
                                 {"receipt": f"S{day:%Y%m%d}-{expected:03d}"}))
            break
    return found[:FINDINGS_LIMIT + 1]


def arrivals_not_checked_in(session: Session, day: date) -> list[Finding]:
    return [Finding("stay_arrival_missing", "stay_contract", contract.id,
                    {"number": contract.number, "name": _name(session, contract)})
            for contract in missing_arrivals(session, day)][:FINDINGS_LIMIT + 1]


def deposits_not_refunded(session: Session, day: date) -> list[Finding]:
    found = []
    for number, left in unrefunded(session, day):
        contract = session.exec(select(Contract).where(Contract.number == number)).first()
        found.append(Finding("stay_deposit_kept", "stay_contract", contract.id,
                             {"number": number, "amount": f"{left / 100:,.2f}"}))
    return found[:FINDINGS_LIMIT + 1]


def complaints_unanswered(session: Session, day: date) -> list[Finding]:
    return [Finding("stay_complaint_unanswered", "stay_request", line.request_id,
                    {"name": line.name, "room": line.room, "text": line.text[:40]})
            for line in unanswered_complaints_of_day(session, day)][:FINDINGS_LIMIT + 1]


def confirmations_missing(session: Session, day: date) -> list[Finding]:
    from reception.i18n import t

    return [Finding("stay_unconfirmed", "stay_contract", notice.contract_id,
                    {"number": notice.number, "name": notice.name,
                     "departments": "、".join(t(f"stays.dept.{dept}") for dept in missing)})
            for notice, missing in unconfirmed_before(session, day)][:FINDINGS_LIMIT + 1]


CHECKS = (payments_not_adding_up, arrivals_not_checked_in, deposits_not_refunded,
          complaints_unanswered, confirmations_missing)


def cashier_lines(session: Session, day: date) -> list[dict]:
    """The report's cashier totals of the day: one row per method with any line."""
    return [{"method": total.method, "count": total.count, "amount": total.amount,
             "fee": total.fee, "total": total.total}
            for total in totals(session, day) if total.count]


def export_rows(session: Session, day: date) -> list[tuple[type, list]]:
    """The day's stays for ``reception export``: contracts signed, arriving or leaving that
    day or paid that day, their payments, deductions, confirmations, visits, requests."""
    start, end = day_bounds(day)
    payments = session.exec(select(Payment).where(Payment.day == day)).all()
    paid = {payment.contract_id for payment in payments}
    contracts = session.exec(select(Contract).where(or_(
        Contract.signed_day == day, Contract.arrival_day == day, Contract.check_out_day == day,
        col(Contract.id).in_(paid or {0})))).all()
    ids = {contract.id for contract in contracts} or {0}
    return [
        (Contract, contracts),
        (Payment, payments),
        (Deduction, session.exec(select(Deduction).where(col(Deduction.contract_id).in_(ids))
                                 ).all()),
        (Confirmation, session.exec(select(Confirmation).where(
            Confirmation.at >= start, Confirmation.at < end)).all()),
        (DailyVisit, session.exec(select(DailyVisit).where(
            DailyVisit.at >= start, DailyVisit.at < end)).all()),
        (StayRequest, session.exec(select(StayRequest).where(
            StayRequest.at >= start, StayRequest.at < end)).all()),
    ]
