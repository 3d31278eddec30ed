"""Payments: card fee, deposit not by card, receipts, append-only, totals; the refund."""

import pytest
from sqlmodel import select

from models import Contract, Payment, Stay, StayRoom
from reception import settings, stays
from reception.errors import ReceptionError, ValidationError
from reception.stay_values import fen, yuan
from tests.conftest import today
from tests.unit.stays.helpers import arrive_today, check_in, rooms, sign


@pytest.fixture
def arriving(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    arrive_today(db, team, contract_id)
    return contract_id


def test_money_is_typed_in_yuan_and_kept_in_fen():
    assert fen("12,800.5", "x") == 1_280_050 and fen("￥3000", "x") == 300_000
    assert fen("", "x") == 0 and yuan(1_280_050) == "12,800.50" and yuan(20000) == "200"
    for bad in ("-1", "1.234", "abc", "nan"):
        with pytest.raises(ValidationError):
            fen(bad, "x")


def test_the_credit_card_fee_is_six_per_thousand_and_debit_none():
    assert stays.card_fee(6_800_000, "card_credit") == 40_800  # 408 yuan on 68,000
    assert stays.card_fee(12_345, "card_credit") == 74  # 0.6% of 123.45 = 0.7407 → 0.74
    assert stays.card_fee(6_800_000, "card_debit") == 0
    assert stays.card_fee(6_800_000, "wechat") == 0


def test_check_in_takes_balance_and_deposit_with_receipts(db, team, arriving):
    done = check_in(db, team, arriving, balance_method="card_credit")
    assert done.receipts == ["S20261122-001", "S20261122-002"] and done.room == "601"
    with db.read() as session:
        balance, deposit = session.exec(select(Payment).order_by(Payment.id)).all()
        assert (balance.kind, balance.amount, balance.fee) == ("balance", 6_800_000, 40_800)
        assert (deposit.kind, deposit.method, deposit.amount) == ("deposit", "cash", 200_000)
        contract = session.get(Contract, arriving)
        assert contract.status == "in_stay" and contract.arrival_day == today()
        stay = session.get(Stay, contract.stay_id)
        assert stay.room == "601" and stay.check_in_day == today()
        assert stays.balance_outstanding(session, contract) == 0
        by_method = {total.method: total for total in stays.totals(session, today())}
        assert by_method["card_credit"].total == 6_840_800
        assert by_method["cash"].total == 200_000 and by_method["wechat"].count == 0
        assert [line.state for line in stays.board(session) if line.name == "601"] == [
            "occupied"]


@pytest.mark.parametrize("method", ["card_credit", "card_debit"])
def test_the_deposit_is_never_taken_by_card(db, team, arriving, method):
    with pytest.raises(ValidationError) as raised:
        check_in(db, team, arriving, deposit_method=method)
    assert raised.value.field == "deposit_method"
    with db.read() as session:  # nothing half-saved: no balance line either
        assert session.exec(select(Payment)).all() == []
        assert session.get(Contract, arriving).status == "signed"


def test_check_in_refuses_more_than_the_balance_and_a_missing_room(db, team, arriving):
    with pytest.raises(ValidationError) as raised:
        check_in(db, team, arriving, balance="68001")
    assert raised.value.field == "balance"
    with pytest.raises(ValidationError) as raised:
        check_in(db, team, arriving, room="999")
    assert raised.value.message_key == "stays.no_such_room"


def test_payments_are_append_only_and_corrected_by_a_new_line(db, team, arriving):
    check_in(db, team, arriving)
    with db.write() as session:
        first = session.exec(select(Payment).order_by(Payment.id)).first()
        correction = stays.correct(session, first.id, reason="收错金额", by=None)
        assert (correction.amount, correction.corrects_id) == (-first.amount, first.id)
        assert correction.receipt == "S20261122-003"
    with db.read() as session:
        by_method = {total.method: total for total in stays.totals(session, today())}
        assert by_method["wechat"].amount == 0 and by_method["wechat"].count == 2
        assert stays.held(session, arriving).balance_paid == 0
    with pytest.raises(ReceptionError, match="never changed"), db.write() as session:
        payment = session.exec(select(Payment)).first()
        payment.amount = 1
    with pytest.raises(ReceptionError, match="never changed"), db.write() as session:
        session.delete(session.exec(select(Payment)).first())
    with pytest.raises(ReceptionError), db.write() as session:
        stays.correct(session, first.id, reason="again", by=None)
    assert not hasattr(stays, "update_payment") and not hasattr(stays, "delete_payment")


def test_the_refund_is_the_deposit_less_each_deduction():
    refund = stays.work_out(200_000, lost_cards=2, card_fee=20_000, other=5_000,
                            other_reason="浴巾损坏")
    assert refund.deducted == 45_000 and refund.amount == 155_000
    assert [reason for reason, _ in refund.deductions] == ["Lost room card ×2", "浴巾损坏"]
    with pytest.raises(ValidationError) as raised:
        stays.work_out(200_000, lost_cards=0, card_fee=20_000, other=300_000,
                       other_reason="x")
    assert raised.value.message_key == "stays.deductions_above"
    with pytest.raises(ValidationError) as raised:
        stays.work_out(200_000, lost_cards=0, card_fee=20_000, other=100, other_reason="")
    assert raised.value.field == "other_reason"


def test_check_out_refunds_less_a_lost_card_at_the_managers_amount(db, team, arriving):
    check_in(db, team, arriving)
    with db.write() as session:
        settings.update(session, "stay_fees", "2000 300", by=team.manager.id)
    bad = [({"day": "2026-11-21"}, "day"), ({"refund": "2001"}, "refund"),
           ({"items_confirmed": "n"}, "items_confirmed"), ({"refund_method": "card_credit"},
                                                           "refund_method")]
    base = {"items_confirmed": "y", "room_checked": "y", "lost_cards": "1",
            "survey_score": "4", "survey_text": "很满意"}
    for change, field in bad:
        with pytest.raises(ValidationError) as raised, db.write() as session:
            stays.check_out(session, arriving, {**base, **change}, by=None)
        assert raised.value.field == field
    with db.write() as session:
        refund = stays.check_out(session, arriving, {**base, "refund": "1700"}, by=None)
    assert refund.amount == 170_000
    with db.read() as session:
        contract = session.get(Contract, arriving)
        assert contract.status == "checked_out" and contract.survey_score == 4
        assert session.get(Stay, contract.stay_id).check_out_day == today()
        assert session.get(StayRoom, contract.room_id).state == "cleaning"
        assert [(d.reason, d.amount) for d in stays.deductions_of(session, arriving)] == [
            ("Lost room card ×1", 30_000)]
        refund_line = session.exec(select(Payment).where(Payment.kind == "refund")).one()
        assert refund_line.amount == -170_000 and refund_line.method == "cash"
        assert stays.unrefunded(session, today()) == []
        assert settings.load(session).lost_card_fee == 30_000
