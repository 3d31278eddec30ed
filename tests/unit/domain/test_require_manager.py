"""One manager check: every manager-only rule refuses anyone but an active manager."""

import pytest

from models import Staff
from reception import callbacks, days, keys, settings
from reception import staff as staff_service
from reception.errors import ReceptionError, StaffError
from reception.permissions import require_manager
from tests.conftest import today


@pytest.fixture
def former_manager(db, team):
    """A second manager who has left: their record is deactivated."""
    with db.write() as session:
        former = staff_service.add_staff(session, name="钱经理", role="manager", pin="123456",
                                         by=team.manager.id)
        staff_service.update_staff(session, former.id, active=False, by=team.manager.id)
    return former


def test_require_manager(db, team, former_manager):
    with db.read() as session:
        assert require_manager(session, team.manager.id).id == team.manager.id
        for by in (team.receptionist.id, former_manager.id, None, 9999):
            with pytest.raises(StaffError) as refused:
                require_manager(session, by)
            assert refused.value.message_key == "staff.manager_only"


def test_the_callback_rules_refuse_a_deactivated_manager(db, team, former_manager):
    """The rules had a check of their own that let a deactivated manager through."""
    with db.write() as session:
        with pytest.raises(callbacks.CallbackError) as refused:
            callbacks.add_rule(session, name="三日回访", event="first_visit", days_after=3,
                               by=former_manager.id)
        assert refused.value.message_key == "staff.manager_only"
        rule = callbacks.add_rule(session, name="三日回访", event="first_visit", days_after=3,
                                  by=team.manager.id)
        with pytest.raises(callbacks.CallbackError):
            callbacks.set_rule_active(session, rule.id, False, by=former_manager.id)
    with db.read() as session:
        assert [r.name for r in callbacks.list_rules(session)].count("三日回访") == 1


@pytest.mark.parametrize("attempt", [
    lambda session, by: settings.update(session, "clinic_name", "新名字", by=by),
    lambda session, by: keys.set_closing_time(session, "20:00", by=by),
    lambda session, by: keys.add_key(session, name="库房", roles=["doctor"], by=by),
    lambda session, by: days.reopen(session, today(), by=by, reason="补录"),
    lambda session, by: staff_service.add_staff(session, name="新人", role="cashier", by=by),
    lambda session, by: staff_service.set_rota(session, today(), [], by=by),
], ids=["settings", "key closing time", "keys", "reopen a day", "staff", "rota"])
def test_every_manager_rule_refuses_a_deactivated_manager(db, team, former_manager, attempt):
    for by in (former_manager.id, team.receptionist.id):
        with pytest.raises(ReceptionError) as refused, db.write() as session:
            attempt(session, by)
        assert refused.value.message_key in ("staff.manager_only",
                                             "reconcile.reopen_manager_only")
    with db.read() as session:
        assert session.get(Staff, former_manager.id).active is False
