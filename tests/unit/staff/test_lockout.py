"""Sign-in lockout: wrong PINs in a row lock a staff member; expiry, unlock, the audit."""

import hashlib
import json

import pytest
from sqlmodel import select

from models import AuditEntry, SignIn, Staff
from reception import auth, lockout, settings
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import AuthError, StaffError, ValidationError
from tests.conftest import MANAGER_PIN, PIN


def attempt(db, staff_id, pin):
    """One sign-in at the counter; the refusal's message, or None when signed in."""
    try:
        auth.sign_in_with_pin(db, staff_id=staff_id, pin=pin, terminal="tty1")
    except AuthError as refused:
        return str(refused)
    return None


def audit_actions(db, staff_id):
    with db.read() as session:
        return list(session.exec(
            select(AuditEntry.action).where(AuditEntry.record_type == "staff",
                                            AuditEntry.record_id == staff_id)
            .order_by(AuditEntry.id)).all())


def test_five_wrong_pins_lock_for_fifteen_minutes_even_the_right_pin(db, team):
    who = team.receptionist.id
    for _ in range(4):
        assert attempt(db, who, "9999") == "Wrong PIN"
    assert attempt(db, who, "9999") == ("5 wrong PINs in a row: locked until 10:15; a manager "
                                        "can unlock")
    assert attempt(db, who, PIN) == ("Too many wrong PINs: locked until 10:15; a manager can "
                                     "unlock")
    with db.read() as session:
        assert session.exec(select(SignIn)).all() == []
        assert lockout.locked_until(session, who) is not None
        assert not lockout.locked_until(session, team.cashier.id)  # only that one
    assert attempt(db, team.cashier.id, PIN) is None


def test_the_lock_ends_after_its_minutes_and_the_count_starts_again(db, team):
    who = team.receptionist.id
    for _ in range(5):
        attempt(db, who, "0000")
    clock.advance(minutes=14, seconds=59)
    assert attempt(db, who, PIN).startswith("Too many wrong PINs")
    clock.advance(seconds=2)
    assert attempt(db, who, "0000") == "Wrong PIN"  # a new count, not locked again at once
    assert attempt(db, who, PIN) is None


def test_a_right_pin_clears_the_count(db, team):
    who = team.receptionist.id
    for _ in range(4):
        attempt(db, who, "0000")
    assert attempt(db, who, PIN) is None
    for _ in range(4):
        assert attempt(db, who, "0000") == "Wrong PIN"


def test_a_lock_on_another_day_shows_the_date(db, team):
    who = team.receptionist.id
    with db.write() as session:
        settings.update(session, "sign_in_lock", "5 1440", by=team.manager.id)
    for _ in range(5):
        attempt(db, who, "0000")
    assert "locked until 2026-11-23 10:00" in attempt(db, who, PIN)


def test_every_failure_lock_and_refusal_is_committed_to_the_audit(db, team):
    who = team.receptionist.id
    for _ in range(6):
        attempt(db, who, "0000")
    assert audit_actions(db, who)[-7:] == ["sign_in_failed"] * 5 + [
        "sign_in_locked", "sign_in_refused_locked"]
    with db.read() as session:
        locked = session.exec(select(AuditEntry).where(
            AuditEntry.action == "sign_in_locked")).one()
    detail = json.loads(locked.detail)
    assert detail["failures"] == 5 and detail["minutes"] == 15
    assert "PIN" not in locked.detail and "0000" not in locked.detail  # never the PIN typed


def test_a_hundred_failures_leave_a_hundred_rows(db, team):
    # The lock does not hide later attempts: each refusal is a row of its own.
    who = team.cashier.id
    for _ in range(100):
        attempt(db, who, "0000")
    actions = audit_actions(db, who)
    assert actions.count("sign_in_failed") + actions.count("sign_in_refused_locked") == 100


def test_a_manager_unlocks_and_it_is_audited(db, team):
    who = team.receptionist.id
    for _ in range(5):
        attempt(db, who, "0000")
    with db.write() as session, pytest.raises(StaffError):
        lockout.unlock(session, who, by=team.cashier.id)
    with db.write() as session:
        assert lockout.unlock(session, who, by=team.manager.id) is True
    assert attempt(db, who, PIN) is None
    with db.read() as session:
        row = session.exec(select(AuditEntry).where(
            AuditEntry.action == "sign_in_unlocked")).one()
        assert row.staff_id == team.manager.id and row.record_id == who
        assert lockout.unlock(session, who, by=team.manager.id) is False  # nothing to lift


def test_the_manager_sets_the_limit_and_the_minutes(db, team):
    with db.write() as session:
        settings.update(session, "sign_in_lock", "3，60", by=team.manager.id)
        assert settings.get(session, "sign_in_lock") == {"failures": 3, "minutes": 60}
        assert settings.format("sign_in_lock", settings.get(session, "sign_in_lock")) == "3 60"
        for text in ["2 15", "21 15", "5 0", "5 1441", "5 abc", "5", "5 15 1"]:
            with pytest.raises(ValidationError) as refused:
                settings.update(session, "sign_in_lock", text, by=team.manager.id)
            assert refused.value.field == "sign_in_lock"
        with pytest.raises(StaffError):
            settings.update(session, "sign_in_lock", "10 15", by=team.receptionist.id)
    who = team.doctor.id
    for _ in range(2):
        assert attempt(db, who, "0000") == "Wrong PIN"
    assert "until 11:00" in attempt(db, who, "0000")
    with db.read() as session:
        changed = session.exec(select(AuditEntry).where(
            AuditEntry.action == "setting_changed")).all()
    assert {json.loads(row.detail)["key"] for row in changed} == {"sign_in_lock"}


def test_the_first_manager_needs_a_manager_pin(db):
    with db.write() as session:
        with pytest.raises(ValidationError) as refused:
            auth.first_run_setup(session, clinic_name="x", manager_name="y", pin="1234")
        assert refused.value.field == "pin"
        auth.first_run_setup(session, clinic_name="x", manager_name="y", pin="123456")


@pytest.mark.parametrize(("role", "pin", "ok"), [
    ("receptionist", "1234", True), ("receptionist", "12345678", True),
    ("receptionist", "123", False), ("receptionist", "123456789", False),
    ("receptionist", "12a4", False), ("receptionist", "１２３４", False),
    ("manager", "123456", True), ("manager", "123456789012", True),
    ("manager", "1234", False), ("manager", "12345", False),
])
def test_pin_length_rules_for_new_staff(db, team, role, pin, ok):
    with db.write() as session:
        if ok:
            staff_service.add_staff(session, name="新人", role=role, pin=pin, by=team.manager.id)
            return
        with pytest.raises(ValidationError) as refused:
            staff_service.add_staff(session, name="新人", role=role, pin=pin, by=team.manager.id)
    assert refused.value.field == "pin"
    assert str(refused.value) == ("A manager's PIN is 6 to 12 digits" if role == "manager"
                                  else "A staff PIN is 4 to 8 digits")


def test_changed_pins_follow_the_role_rule(db, team):
    with db.write() as session:
        with pytest.raises(ValidationError):
            staff_service.update_staff(session, team.manager.id, by=team.manager.id, pin="1234")
        with pytest.raises(ValidationError):
            staff_service.update_staff(session, team.cashier.id, by=team.manager.id,
                                       pin="123456789")
        # A promotion to manager needs a manager's PIN with it.
        with pytest.raises(ValidationError) as refused:
            staff_service.update_staff(session, team.cashier.id, by=team.manager.id,
                                       role="manager")
        assert refused.value.field == "pin"
        staff_service.update_staff(session, team.cashier.id, by=team.manager.id,
                                   role="manager", pin="246810")
    assert attempt(db, team.cashier.id, "246810") is None
    assert attempt(db, team.manager.id, MANAGER_PIN) is None


def test_a_pin_hashed_at_a_lower_cost_is_hashed_again_at_sign_in(db, team, monkeypatch):
    monkeypatch.setattr(auth, "hash_cost", auth.ScryptCost(n=16, r=2, p=1))
    salt = bytes(16)
    digest = hashlib.scrypt(PIN.encode(), salt=salt, n=16, r=1, p=1)
    with db.write() as session:
        member = session.get(Staff, team.receptionist.id)
        member.pin_hash = f"scrypt$16$1$1${salt.hex()}${digest.hex()}"
        session.add(member)
    assert attempt(db, team.receptionist.id, PIN) is None
    with db.read() as session:
        stored = session.get(Staff, team.receptionist.id).pin_hash
    assert stored.split("$")[1:4] == ["16", "2", "1"]
    assert auth.verify_pin(PIN, stored) and not auth.needs_rehash(stored)


def test_a_stored_cost_beyond_the_memory_limit_is_refused_not_run(db, team):
    assert not auth.verify_pin(PIN, f"scrypt${2**30}$8$1${bytes(16).hex()}${bytes(64).hex()}")


def test_the_sign_in_forms_unit_of_work_commits_the_refusal(db, team):
    """auth.sign_in_staff runs inside the form's unit of work, which fails: the audit rows
    of the refusal are committed all the same, and the lock is said at the PIN field."""
    who = team.receptionist.id
    for _ in range(5):
        with pytest.raises(ValidationError) as refused, db.write() as session:
            auth.sign_in_staff(session, staff_id=who, pin="0000", terminal="tty1")
        assert refused.value.field == "pin"
    assert str(refused.value).startswith("5 wrong PINs in a row: locked until 10:15")
    assert audit_actions(db, who).count("sign_in_failed") == 5
    with pytest.raises(ValidationError) as refused, db.write() as session:
        auth.sign_in_staff(session, staff_id=who, pin=PIN, terminal="tty1")
    assert str(refused.value).startswith("Too many wrong PINs: locked until 10:15")
