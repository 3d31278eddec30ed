"""PIN hashing, setup, sign-in, staff rules and rota queries."""

import pytest
from sqlmodel import select

from models import AuditEntry, Role, SignIn
from reception import auth
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import AuthError, StaffError, ValidationError
from tests.conftest import MANAGER_PIN, PIN, today


def test_pin_is_stored_as_salted_scrypt():
    first, second = auth.hash_pin("1234"), auth.hash_pin("1234")
    assert first.startswith("scrypt$") and len(first.split("$")) == 6
    assert first != second  # salted
    assert auth.verify_pin("1234", first) and not auth.verify_pin("1235", first)
    assert not auth.verify_pin("1234", "plain-text")


# Made by hash_pin("1234") at the clinic's former cost, 2^14/8/1 (the suite itself hashes at
# a cheap one): still checked, and hashed again at today's cost at the next sign-in.
REAL_HASH = ("scrypt$16384$8$1$92c06ab28de2e207f163e9874a002db8$9b717b1e95a077fd01d9595dd5d2"
             "5890387247e5a8c7463648eeebd4d3de017ba9ef6a9eb0601e7f7b94f106f72ec5bcb8c2564c12fd"
             "a3861b21139500ec9576")


def test_pins_are_hashed_at_the_clinics_scrypt_cost(monkeypatch):
    assert auth.PRODUCTION_COST == auth.ScryptCost(n=2**15, r=10, p=1)
    monkeypatch.setattr(auth, "hash_cost", auth.PRODUCTION_COST)
    real = auth.hash_pin("1234")
    assert real.startswith("scrypt$32768$10$1$")
    assert auth.verify_pin("1234", real) and not auth.verify_pin("1235", real)
    assert auth.verify_pin("1234", REAL_HASH) and not auth.verify_pin("4321", REAL_HASH)
    assert auth.needs_rehash(REAL_HASH) and not auth.needs_rehash(real)


@pytest.mark.parametrize("pin", ["", "123", "12ab", "1234567890123", "１２３４"])
def test_pin_rule(pin):
    with pytest.raises(ValidationError):
        auth.hash_pin(pin)


def test_setup_once_then_sign_in(db):
    with db.write() as session:
        assert auth.needs_setup(session)
        manager = auth.first_run_setup(session, clinic_name="科医美", manager_name="王经理",
                                       pin=MANAGER_PIN)
    with db.write() as session:
        assert not auth.needs_setup(session)
        with pytest.raises(AuthError):
            auth.first_run_setup(session, clinic_name="x", manager_name="y",
                                 pin=MANAGER_PIN)
    with db.write() as session:
        signed = auth.sign_in(session, staff_id=manager.id, pin=MANAGER_PIN, terminal="tty1")
    with db.read() as session:
        assert [s.name for s, _ in auth.signed_in_staff(session)] == ["王经理"]
        assert session.get(SignIn, signed.id).terminal == "tty1"


def test_wrong_pin_is_refused_and_audited(db, team):
    with pytest.raises(AuthError) as refused:
        with db.write() as session:
            auth.sign_in(session, staff_id=team.receptionist.id, pin="9999")
    assert str(refused.value) == "Wrong PIN"
    with db.write() as session:
        with pytest.raises(AuthError):
            auth.sign_in(session, staff_id=team.receptionist.id, pin="0000")
        session.commit()
    with db.read() as session:
        actions = session.exec(select(AuditEntry.action)).all()
    assert "sign_in_failed" in actions


def test_inactive_staff_cannot_sign_in(db, team):
    with db.write() as session:
        staff_service.update_staff(session, team.cashier.id, by=team.manager.id, active=False)
    with pytest.raises(AuthError), db.write() as session:
        auth.sign_in(session, staff_id=team.cashier.id, pin=PIN)


def test_signed_in_goes_stale_without_heartbeat_and_leaves_on_sign_out(db, team):
    with db.write() as session:
        first = auth.sign_in(session, staff_id=team.receptionist.id, pin=PIN)
        second = auth.sign_in(session, staff_id=team.manager.id, pin=MANAGER_PIN)
    clock.advance(minutes=auth.SIGN_IN_STALE_MINUTES + 1)
    with db.write() as session:
        auth.heartbeat(session, first.id)
        auth.sign_out(session, second.id)
    with db.read() as session:
        assert [s.name for s, _ in auth.signed_in_staff(session)] == ["李前台"]


def test_last_manager_cannot_be_deactivated(db, team):
    with pytest.raises(StaffError), db.write() as session:
        staff_service.update_staff(session, team.manager.id, by=team.manager.id, active=False)


def test_unknown_role_and_blank_name_are_refused(db, team):
    with pytest.raises(ValidationError), db.write() as session:
        staff_service.add_staff(session, name="x", role="janitor", by=team.manager.id)
    with pytest.raises(ValidationError), db.write() as session:
        staff_service.add_staff(session, name="  ", role=Role.CASHIER, by=team.manager.id)
    # No role chosen: say so, not "unknown role: " with nothing after it.
    with pytest.raises(ValidationError) as refused, db.write() as session:
        staff_service.add_staff(session, name="新人", role="", by=team.manager.id)
    assert str(refused.value) == "Choose a role"


def test_rota_order_role_filter_and_inactive_staff(db, team):
    c1, c2, c3 = team.consultants
    with db.write() as session:
        staff_service.set_rota(session, today(), [c3.id, c1.id, c2.id, c3.id, team.doctor.id],
                               by=team.manager.id)
        staff_service.update_staff(session, c2.id, by=team.manager.id, active=False)
    with db.read() as session:
        consultants = staff_service.on_duty(session, today(), role=Role.CONSULTANT)
        assert [s.id for s in consultants] == [c3.id, c1.id]
        assert staff_service.is_on_duty(session, team.doctor.id, today())
        assert not staff_service.is_on_duty(session, team.cashier.id, today())
        tomorrow = today().fromordinal(today().toordinal() + 1)
        assert staff_service.on_duty(session, tomorrow) == []


def test_the_rota_of_a_signed_off_day_is_read_only(db, team):
    from reception import days
    from reception.errors import DayClosedError

    yesterday = today().fromordinal(today().toordinal() - 1)
    with db.write() as session:
        staff_service.set_rota(session, yesterday, [team.consultants[0].id], by=team.manager.id)
        days.sign_off(session, yesterday, by=team.manager.id, snapshot={})
    with pytest.raises(DayClosedError), db.write() as session:
        staff_service.set_rota(session, yesterday, [], by=team.manager.id)
    with db.read() as session:
        assert [s.id for s in staff_service.on_duty(session, yesterday)] == [
            team.consultants[0].id]
