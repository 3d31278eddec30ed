"""The night check of a day of stays, and the day's stays in the report and the export."""

from datetime import timedelta

from models import Payment
from reception import export, night_report, reconcile, stays
from reception.clock import clock
from tests.conftest import today
from tests.unit.stays.helpers import arrive_today, check_in, rooms, sign


def stay_findings(db, day=None) -> list[tuple[str, str]]:
    with db.read() as session:
        report = reconcile.day_report(session, day or today())
    return [(finding.kind, finding.text()) for finding in report.findings
            if finding.kind.startswith("stay_")]


def test_each_stay_rule_is_a_finding_until_put_right(db, team):
    rooms(db, team)
    arriving = sign(db, team)
    arrive_today(db, team, arriving)
    tomorrow = sign(db, team, number="YZ-2026-002", phone="13800003333", name="赵敏",
                    room="602")
    with db.write() as session:
        contract = stays.get(session, tomorrow)
        stays.update_archive(session, tomorrow, {
            "due_day": contract.due_day.isoformat(),
            "arrival_day": (today() + timedelta(days=1)).isoformat()}, by=None)
    found = dict(stay_findings(db))
    assert found["stay_arrival_missing"].startswith("Expected, not checked in: YZ-2026-001")
    assert "missing Manager、Nursing" in found["stay_unconfirmed"]
    check_in(db, team, arriving)
    with db.write() as session:
        for department in stays.DEPARTMENTS:
            stays.confirm(session, tomorrow, department, "签字", by=None)
        stays.add_request(session, arriving, kind="complaint", text="太吵",
                          department="housekeeping", by=None)
    assert [kind for kind, _ in stay_findings(db)] == ["stay_complaint_unanswered"]
    with db.write() as session:
        request = stays.open_requests(session)[0]
        stays.answer(session, request.request_id, "已处理", done=True, by=None)
    assert stay_findings(db) == []


def test_a_deposit_not_refunded_and_a_wrong_fee_are_found(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    arrive_today(db, team, contract_id)
    check_in(db, team, contract_id)
    with db.write() as session:
        contract = stays.get(session, contract_id)
        # A line entered as if by hand, its fee not the method's.
        session.add(Payment(receipt="S20261122-003", contract_id=contract_id, kind="balance",
                            method="wechat", amount=100, fee=1, day=today(),
                            at=clock.now_utc(), created_at=clock.now_utc()))
        contract.status, contract.check_out_day = "checked_out", today()
        session.add(contract)
    found = dict(stay_findings(db))
    assert found["stay_payment_wrong"] == "Receipt S20261122-003: fee or method against the rules"
    assert found["stay_deposit_kept"].endswith("2,000.00 left")


def test_the_report_and_the_export_carry_the_days_stays(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    arrive_today(db, team, contract_id)
    check_in(db, team, contract_id, balance_method="card_credit")
    with db.write() as session:
        stays.confirm(session, contract_id, "kitchen", "张", by=None)
    with db.read() as session:
        report = reconcile.day_report(session, today())
        tables = export.day_records(session, today())
    lines = "\n".join(night_report.report_lines(report))
    assert "Stays, cashier totals by method:" in lines
    assert "Credit card (0.6% fee): 1 line(s), 68,408.00 (fee 408.00)" in lines
    assert night_report.report_dict(report)["stays_cashier"][0]["method"] == "cash"
    assert "cashier,card_credit" in night_report.report_csv(report)
    assert [row["number"] for row in tables["stay_contract"][1]] == ["YZ-2026-001"]
    assert [row["receipt"] for row in tables["stay_payment"][1]] == [
        "S20261122-001", "S20261122-002"]
    assert [row["department"] for row in tables["stay_confirmation"][1]] == ["kitchen"]
