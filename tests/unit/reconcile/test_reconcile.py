"""Night check: one domain test per finding type, each seeded with exactly that mistake."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import (
    Appointment,
    Call,
    Callback,
    CallbackRule,
    CaseNumberDay,
    KeyEvent,
    Message,
    PaperCount,
    RoomKey,
)
from reception import reconcile
from reception.clock import clock
from reception.errors import ValidationError
from tests.conftest import today
from tests.helpers.records import add_customer, add_visit


@pytest.fixture
def clean_day(db, team):
    """A day with one complete visit (no deal) of a new customer: nothing to find."""
    with db.write() as session:
        customer = add_customer(session, team.receptionist.id)
        add_visit(session, team.receptionist.id, customer,
                  consultant_id=team.consultants[0].id)
    return db


def findings_of(db, day=None):
    with db.read() as session:
        return reconcile.day_report(session, day or today()).findings


def kinds(findings):
    return [finding.kind for finding in findings]


def test_clean_day_has_no_findings_and_counts(clean_day, team):
    with clean_day.read() as session:
        report = reconcile.day_report(session)
    assert report.clean
    assert report.counts.visits == 1 and report.counts.new == 1
    assert report.counts.returning == 0 and report.counts.deals == 0
    assert report.counts.per_consultant == [(team.consultants[0].id, "张咨询", 1)]


# --- one fixture per mistake ------------------------------------------------------------


@pytest.fixture
def visit_without_phone_and_departure(clean_day, team):
    with clean_day.write() as session:
        customer = add_customer(session, team.receptionist.id, name="[red]x[/red]", phone="")
        visit = add_visit(session, team.receptionist.id, customer,
                          consultant_id=team.consultants[1].id, departed=False)
    return visit


def test_visit_missing_fields(clean_day, visit_without_phone_and_departure):
    findings = findings_of(clean_day)
    assert kinds(findings) == ["visit_incomplete"]
    assert findings[0].record_id == visit_without_phone_and_departure.id
    assert findings[0].detail["missing"] == ["phone", "departure"]
    assert findings[0].area == "triage"
    assert findings[0].text() == "Visit 09:00 [red]x[/red]: missing phone, departure"


@pytest.fixture
def visit_without_name_consultant_outcome(clean_day, team):
    with clean_day.write() as session:
        customer = add_customer(session, team.receptionist.id, name="  ")
        return add_visit(session, team.receptionist.id, customer, outcome=None)


def test_visit_missing_name_consultant_outcome(clean_day, visit_without_name_consultant_outcome):
    (finding,) = findings_of(clean_day)
    assert finding.detail["missing"] == ["name", "consultant", "outcome"]


@pytest.fixture
def first_deal_without_case_number(clean_day, team):
    with clean_day.write() as session:
        customer = add_customer(session, team.receptionist.id, name="李成交")
        return add_visit(session, team.receptionist.id, customer, outcome="deal",
                         consultant_id=team.consultants[0].id)


def test_first_deal_without_case_number(clean_day, first_deal_without_case_number):
    (finding,) = findings_of(clean_day)
    assert finding.kind == "deal_no_case_number"
    assert finding.record_id == first_deal_without_case_number.id
    with clean_day.read() as session:
        assert reconcile.day_report(session).counts.deals == 1


def test_deal_with_case_number_is_fine(clean_day, team):
    with clean_day.write() as session:
        customer = add_customer(session, team.receptionist.id, case_number="2026112201")
        add_visit(session, team.receptionist.id, customer, outcome="deal",
                  consultant_id=team.consultants[0].id)
    assert findings_of(clean_day) == []


@pytest.fixture
def case_number_gap(clean_day, team):
    with clean_day.write() as session:
        add_customer(session, team.receptionist.id, case_number="2026112201")
        add_customer(session, team.receptionist.id, case_number="2026112203")
        # Another day's numbers are not this day's business.
        add_customer(session, team.receptionist.id, case_number="2026112105")


def test_case_number_gap(clean_day, case_number_gap):
    (finding,) = findings_of(clean_day)
    assert finding.kind == "case_number_gap"
    assert finding.detail == {"number": "2026112202"}


def test_case_number_issued_but_held_by_nobody_is_a_gap(clean_day, team):
    with clean_day.write() as session:
        add_customer(session, team.receptionist.id, case_number="2026112201")
        session.add(CaseNumberDay(day=today(), last_seq=2))
    assert [f.detail["number"] for f in findings_of(clean_day)] == ["2026112202"]


@pytest.fixture
def case_number_duplicate(clean_day, team):
    with clean_day.write() as session:
        add_customer(session, team.receptionist.id, name="甲", case_number="2026112201")
        add_customer(session, team.receptionist.id, name="乙", case_number="20261122001")


def test_case_number_duplicate(clean_day, case_number_duplicate):
    found = findings_of(clean_day)
    assert sorted(kinds(found)) == ["case_number_duplicate", "case_number_malformed"]
    duplicate = next(f for f in found if f.kind == "case_number_duplicate")
    assert duplicate.detail["sequence"] == 1
    assert "2026112201" in duplicate.detail["numbers"]
    assert "20261122001" in duplicate.detail["numbers"]


def test_three_digit_case_numbers_after_99(clean_day, team):
    with clean_day.write() as session:
        for sequence in [*range(1, 100), 100]:
            add_customer(session, team.receptionist.id, case_number=f"20261122{sequence:02d}")
    assert findings_of(clean_day) == []


@pytest.fixture
def no_show(clean_day, team):
    yesterday = today() - timedelta(days=1)
    with clean_day.write() as session:
        appointment = Appointment(
            number="A0001", name="王预约", phone="13911112222", day=yesterday,
            scheduled_at=clock.now_utc() - timedelta(days=1), status="booked",
            created_at=clock.now_utc(), created_by_id=team.receptionist.id)
        session.add(appointment)
        session.flush()
        return appointment


def test_no_show_on_a_past_day(clean_day, no_show):
    (finding,) = findings_of(clean_day, no_show.day)
    assert finding.kind == "no_show" and finding.record_id == no_show.id
    assert finding.detail["name"] == "王预约"


def test_booked_today_is_a_no_show_only_after_closing(clean_day, team):
    with clean_day.write() as session:
        session.add(Appointment(number="A0002", name="晚到", day=today(),
                                scheduled_at=clock.now_utc(), status="booked",
                                created_at=clock.now_utc()))
    assert findings_of(clean_day) == []
    clock.set("2026-11-22T21:30:00+08:00")
    assert kinds(findings_of(clean_day)) == ["no_show"]


@pytest.fixture
def arrived_not_triaged(clean_day, team):
    with clean_day.write() as session:
        appointment = Appointment(
            number="A0003", name="到了没分诊", day=today(), scheduled_at=clock.now_utc(),
            status="arrived", arrived_at=clock.now_utc(), created_at=clock.now_utc())
        triaged = Appointment(
            number="A0004", name="已分诊", day=today(), scheduled_at=clock.now_utc(),
            status="arrived", arrived_at=clock.now_utc(), created_at=clock.now_utc())
        session.add(appointment)
        session.add(triaged)
        session.flush()
        customer = add_customer(session, team.receptionist.id)
        add_visit(session, team.receptionist.id, customer, appointment_id=triaged.id,
                  consultant_id=team.consultants[0].id)
        return appointment


def test_arrived_but_never_triaged(clean_day, arrived_not_triaged):
    (finding,) = findings_of(clean_day)
    assert finding.kind == "not_triaged" and finding.record_id == arrived_not_triaged.id


@pytest.fixture
def message_not_relayed(clean_day, team):
    with clean_day.write() as session:
        message = Message(day=today(), recipient_id=team.manager.id, caller_name="陈先生",
                          matter="回电", created_at=clock.now_utc())
        relayed = Message(day=today(), recipient_id=team.manager.id, caller_name="已转达",
                          relayed_at=clock.now_utc(), created_at=clock.now_utc())
        session.add(message)
        session.add(relayed)
        session.flush()
        return message


def test_message_not_relayed(clean_day, message_not_relayed, team):
    (finding,) = findings_of(clean_day)
    assert finding.kind == "message_not_relayed"
    assert finding.record_id == message_not_relayed.id and finding.area == "calls"
    assert finding.detail["recipient"] == team.manager.name
    with clean_day.read() as session:
        assert reconcile.day_report(session).counts.messages == 2


@pytest.fixture
def key_out(clean_day, team):
    with clean_day.write() as session:
        key = RoomKey(name="档案室", roles_allowed="consultant", created_at=clock.now_utc())
        session.add(key)
        session.flush()
        loan = KeyEvent(key_id=key.id, kind="out", day=today(), at=clock.now_utc(),
                        staff_id=team.consultants[0].id, created_at=clock.now_utc())
        session.add(loan)
        session.flush()
        return loan


def test_key_out(clean_day, key_out):
    (finding,) = findings_of(clean_day)
    assert finding.kind == "key_out" and finding.record_id == key_out.id
    assert finding.detail["key"] == "档案室" and finding.area == "keys"
    # A key lent after the day checked is not that day's finding.
    assert findings_of(clean_day, today() - timedelta(days=1)) == []


@pytest.fixture
def callback_not_attempted(clean_day, team):
    with clean_day.write() as session:
        rule = CallbackRule(name="次日回访", event="first_visit", created_at=clock.now_utc())
        session.add(rule)
        session.flush()
        customer = add_customer(session, team.receptionist.id, name="回访客")
        callback = Callback(customer_id=customer.id, rule_id=rule.id,
                            event_day=today() - timedelta(days=1), due_day=today(),
                            created_at=clock.now_utc())
        tried = Callback(customer_id=customer.id, rule_id=rule.id,
                         event_day=today() - timedelta(days=2), due_day=today(), attempts=1,
                         created_at=clock.now_utc())
        session.add(callback)
        session.add(tried)
        session.flush()
        return callback


def test_callback_due_not_attempted(clean_day, callback_not_attempted):
    found = findings_of(clean_day)
    assert {finding.kind for finding in found} == {"callback_not_attempted"}
    assert {finding.area for finding in found} == {"callbacks"}
    # The untried one, and the one tried before that is still due with no later try set.
    assert callback_not_attempted.id in {finding.record_id for finding in found}
    assert len(found) == 2
    assert findings_of(clean_day, today() - timedelta(days=1)) == []


@pytest.fixture
def paper_differs(clean_day, team):
    with clean_day.write() as session:
        session.add(Call(day=today(), started_at=clock.now_utc(), created_at=clock.now_utc()))
        reconcile.set_paper_count(session, today(), "visits", "2", by=team.receptionist.id)
        reconcile.set_paper_count(session, today(), "calls", 1, by=team.receptionist.id)


def test_paper_count_difference(clean_day, paper_differs):
    (finding,) = findings_of(clean_day)
    assert finding.kind == "paper_mismatch"
    assert finding.detail == {"count": "visits", "records": 1, "paper": 2}
    assert finding.text() == "Paper register differs: Visits records 1, paper 2"


def test_paper_count_cleared_and_validated(clean_day, team):
    with clean_day.write() as session:
        reconcile.set_paper_count(session, today(), "visits", "5", by=team.receptionist.id)
        reconcile.set_paper_count(session, today(), "visits", "", by=team.receptionist.id)
    with clean_day.read() as session:
        assert session.exec(select(PaperCount)).all() == []
    with pytest.raises(ValidationError), clean_day.write() as session:
        reconcile.set_paper_count(session, today(), "visits", "-1", by=team.receptionist.id)
    with pytest.raises(reconcile.ReconcileError), clean_day.write() as session:
        reconcile.set_paper_count(session, today(), "nonsense", 1, by=team.receptionist.id)


def test_counts_new_returning_per_consultant(db, team):
    with db.write() as session:
        by = team.receptionist.id
        for index in range(3):
            customer = add_customer(session, by, case_number=f"202611220{index + 1}")
            add_visit(session, by, customer, consultant_id=team.consultants[index % 2].id,
                      is_new=index == 0, outcome="deal")
        add_visit(session, by, add_customer(session, by), consultant_id=None)
        add_visit(session, by, add_customer(session, by), day=today() - timedelta(days=1),
                  consultant_id=team.consultants[2].id)
    with db.read() as session:
        counts = reconcile.day_report(session).counts
    assert (counts.visits, counts.new, counts.returning, counts.deals) == (4, 2, 2, 3)
    assert counts.per_consultant[0] == (team.consultants[0].id, "张咨询", 2)
    assert {row[0] for row in counts.per_consultant} == {
        team.consultants[0].id, team.consultants[1].id, None}


def test_every_finding_kind_renders_in_both_languages(db, team):
    """Each finding's text is built from the catalogue with its own parameters."""
    from reception import i18n
    from reception.reconcile import Finding

    finding = Finding(kind="key_out", record_type="key_event", record_id=1,
                      detail={"key": "档案室", "holder": "周欣怡", "time": "11-22 21:42"})
    for language in ("zh", "en"):
        i18n.set_language(language)
        assert "档案室" in finding.text() and "周欣怡" in finding.text()
    i18n.set_language("en")
