"""The callback rules: a manager edits them, and the one manager check refuses a manager
who has been deactivated (it once accepted one: its own copy did not look at ``active``)."""

from datetime import timedelta

import pytest

from models import Callback, Customer, Role
from reception import callbacks, staff
from reception.callbacks import CallbackError
from reception.clock import clock
from reception.errors import ValidationError


@pytest.fixture
def former_manager(db, team):
    """A second manager, deactivated by the first."""
    with db.write() as session:
        former = staff.add_staff(session, name="旧经理", role=Role.MANAGER, pin="123456",
                                 by=team.manager.id)
        staff.update_staff(session, former.id, active=False, by=team.manager.id)
        return former


def test_a_deactivated_manager_changes_no_rule_and_clears_no_flag(db, team, former_manager):
    with db.write() as session:
        rule = callbacks.ensure_builtin_rule(session, by=team.manager.id)
        customer = Customer(name="王小红", phone="13800001111", created_at=clock.now_utc(),
                            first_visit_day=clock.today() - timedelta(days=1))
        session.add(customer)
        session.flush()
        callback = Callback(customer_id=customer.id, rule_id=rule.id,
                            event_day=customer.first_visit_day, due_day=clock.today(),
                            flagged=True, created_at=clock.now_utc())
        session.add(callback)
        session.flush()
        rule_id, callback_id = rule.id, callback.id
    by = former_manager.id
    attempts = [
        lambda session: callbacks.add_rule(session, name="出所回访", event="check_out",
                                           days_after=3, by=by),
        lambda session: callbacks.update_rule(session, rule_id, name=None,
                                              event="first_visit", days_after=2, by=by),
        lambda session: callbacks.set_rule_active(session, rule_id, False, by=by),
        lambda session: callbacks.clear_flag(session, callback_id, by=by),
    ]
    for attempt in attempts:
        with db.write() as session, pytest.raises(CallbackError) as refused:
            attempt(session)
        assert refused.value.message_key == "staff.manager_only"
    with db.read() as session:
        assert [(rule.days_after, rule.active) for rule in callbacks.list_rules(session)] == [
            (1, True)]
        assert callbacks.flagged(session)[0].callback_id == callback_id


def test_the_manager_edits_a_rule_and_the_builtin_keeps_its_name(db, team):
    with db.write() as session:
        builtin = callbacks.ensure_builtin_rule(session, by=team.manager.id)
        added = callbacks.add_rule(session, name="出所回访", event="check_out", days_after=3,
                                   by=team.manager.id)
        builtin_id, added_id = builtin.id, added.id
    with db.write() as session:
        callbacks.update_rule(session, added_id, name=" 出所五天 ", event="check_out",
                              days_after=5, by=team.manager.id)
        callbacks.update_rule(session, builtin_id, name="改名", event="first_visit",
                              days_after=2, by=team.manager.id)
    with db.read() as session:
        rules = {rule.id: rule for rule in callbacks.list_rules(session)}
    assert (rules[added_id].name, rules[added_id].days_after) == ("出所五天", 5)
    assert (rules[builtin_id].name, rules[builtin_id].days_after) == (
        callbacks.BUILTIN_RULE_NAME, 2)
    with db.write() as session, pytest.raises(ValidationError) as refused:
        callbacks.update_rule(session, added_id, name="x", event="check_out",
                              days_after=400, by=team.manager.id)
    assert refused.value.field == "days_after"
    with db.write() as session, pytest.raises(CallbackError):
        callbacks.update_rule(session, added_id, name="x", event="check_out", days_after=1,
                              by=team.receptionist.id)


def test_survey_drafts_are_named_area_form_record(db, team):
    assert callbacks.survey_draft_form(7) == "callbacks.survey.7"
