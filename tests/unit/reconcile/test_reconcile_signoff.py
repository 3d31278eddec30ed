"""Day sign-off: stored snapshot, the day read-only in the domain, reopening by a manager."""

import json
from datetime import timedelta

import pytest
from sqlalchemy.exc import DatabaseError as SQLDatabaseError
from sqlalchemy.exc import IntegrityError
from sqlmodel import select, text

from models import AuditEntry, DayEvent, Message
from reception import days, reconcile
from reception.clock import clock
from reception.errors import DatabaseError, DayClosedError, ValidationError
from tests.conftest import today
from tests.helpers.records import add_customer, add_visit


@pytest.fixture
def day_with_a_finding(db, team):
    with db.write() as session:
        customer = add_customer(session, team.receptionist.id, name="未完成")
        add_visit(session, team.receptionist.id, customer, outcome=None,
                  consultant_id=team.consultants[0].id)
    return db


def test_sign_off_stores_who_when_counts_and_findings(day_with_a_finding, team):
    db = day_with_a_finding
    with db.write() as session:
        event = reconcile.sign_off(session, today(), by=team.receptionist.id)
    with db.read() as session:
        stored = session.get(DayEvent, event.id)
        assert days.is_signed_off(session, today())
        report = reconcile.day_report(session)
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "day_signoff")).one()
    assert stored.kind == "signoff" and stored.created_by_id == team.receptionist.id
    assert stored.created_at == clock.now_utc()
    snapshot = json.loads(stored.snapshot)
    assert snapshot["counts"]["visits"] == 1
    assert [f["kind"] for f in snapshot["findings"]] == ["visit_incomplete"]
    assert report.signed_off.by_name == team.receptionist.name
    assert audit.record_id == event.id


def test_signed_off_day_refuses_writes(day_with_a_finding, team):
    db = day_with_a_finding
    with db.write() as session:
        reconcile.sign_off(session, today(), by=team.receptionist.id)
    with pytest.raises(DayClosedError) as refused, db.write() as session:
        reconcile.set_paper_count(session, today(), "visits", 1, by=team.receptionist.id)
    assert "signed off" in str(refused.value)
    with pytest.raises(DayClosedError), db.write() as session:
        days.ensure_open(session, today())
    # Another day is still open.
    with db.write() as session:
        days.ensure_open(session, today() - timedelta(days=1))


def test_cannot_sign_off_twice_or_a_future_day_or_anonymously(db, team):
    with db.write() as session:
        reconcile.sign_off(session, today(), by=team.receptionist.id)
    with pytest.raises(days.DayError) as twice, db.write() as session:
        reconcile.sign_off(session, today(), by=team.receptionist.id)
    assert "already signed off" in str(twice.value)
    with pytest.raises(days.DayError), db.write() as session:
        reconcile.sign_off(session, today() + timedelta(days=1), by=team.receptionist.id)
    with pytest.raises(days.DayError), db.write() as session:
        reconcile.sign_off(session, today() - timedelta(days=1), by=None)


def test_only_a_manager_reopens_with_a_reason(db, team):
    with db.write() as session:
        reconcile.sign_off(session, today(), by=team.receptionist.id)
    with pytest.raises(days.DayError) as not_manager, db.write() as session:
        days.reopen(session, today(), by=team.receptionist.id, reason="漏记一位")
    assert "manager" in str(not_manager.value)
    with pytest.raises(ValidationError), db.write() as session:
        days.reopen(session, today(), by=team.manager.id, reason="  ")
    clock.advance(minutes=5)
    with db.write() as session:
        event = days.reopen(session, today(), by=team.manager.id, reason="漏记一位 [b]x[/b]")
    with db.read() as session:
        assert not days.is_signed_off(session, today())
        audit = session.exec(select(AuditEntry).where(AuditEntry.action == "day_reopen")).one()
    assert event.reason == "漏记一位 [b]x[/b]"
    assert json.loads(audit.detail)["reason"] == "漏记一位 [b]x[/b]"
    assert audit.staff_id == team.manager.id
    with db.write() as session:
        reconcile.set_paper_count(session, today(), "visits", 0, by=team.receptionist.id)
    with pytest.raises(days.DayError), db.write() as session:
        days.reopen(session, today(), by=team.manager.id, reason="again")


def test_day_events_are_append_only(db, team):
    with db.write() as session:
        event = reconcile.sign_off(session, today(), by=team.receptionist.id)
    with pytest.raises((IntegrityError, SQLDatabaseError, DatabaseError)), \
            db.write() as session:
        session.exec(text("DELETE FROM day_event WHERE id = :id").bindparams(id=event.id))
    with db.read() as session:
        assert days.is_signed_off(session, today())


def test_snapshot_is_kept_while_the_records_change_later(day_with_a_finding, team):
    db = day_with_a_finding
    yesterday = today() - timedelta(days=1)
    with db.write() as session:
        session.add(Message(day=yesterday, recipient_id=team.manager.id,
                            created_at=clock.now_utc()))
    with db.write() as session:
        reconcile.sign_off(session, yesterday, by=team.receptionist.id)
    with db.read() as session:
        snapshot = days.signoff_snapshot(session, yesterday)
        assert days.signoff_snapshot(session, today()) is None
    assert [f["kind"] for f in snapshot["findings"]] == ["message_not_relayed"]
