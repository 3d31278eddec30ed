"""F5 m (manager): the callback rules — a list over F5, a form to add or edit a rule — and
the one manager check (an active manager) before any of it opens."""

from models import CallbackRule, Role
from reception import callbacks, i18n
from reception import staff as staff_service
from screens.callbacks import CallbacksScreen
from screens.callbacks.manager import RuleForm, RulesScreen
from tests.helpers.pilot import burst, notifications, settle
from tests.ui.callbacks.common import (
    add_callback,
    add_customer,
    error_text,
    field_value,
    open_list,
    press,
    stored,
    table_text,
)


def custom_rules(db):
    return [rule for rule in stored(db, CallbackRule) if not rule.builtin]


async def test_the_manager_adds_a_rule_and_the_receptionist_cannot(db, team, make_app):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await press(pilot, "m")
        assert app.screen is screen
    manager_app = make_app(team.manager)
    async with manager_app.run_test(size=(80, 24)) as pilot:
        await open_list(manager_app, pilot)
        await press(pilot, "m")
        rules = manager_app.screen
        assert isinstance(rules, RulesScreen)
        assert "New customer: call the next day" in table_text(rules, "#rules-table")
        await press(pilot, "a")
        assert isinstance(manager_app.screen, RuleForm)
        assert manager_app.focused.id == "name"  # the event has its default
        await press(pilot, *"出所3天回访")
        manager_app.screen.query_one("#event").value = "check_out"
        manager_app.screen.set_focus(manager_app.screen.query_one("#days"))
        await press(pilot, "3", "enter")
        assert manager_app.screen is rules
        assert "出所3天回访" in table_text(rules, "#rules-table")
        assert notifications(manager_app)[-1] == "Rule added"
        rules.query_one("#rules-table").move_cursor(row=0)
        await press(pilot, "t")  # the built-in rule (first row) off
        assert "No" in table_text(rules, "#rules-table").splitlines()[0]
        await press(pilot, "escape")
        assert isinstance(manager_app.screen, CallbacksScreen)
    rules = {rule.name: rule for rule in stored(db, CallbackRule)}
    added = rules["出所3天回访"]
    assert (added.event, added.days_after, added.active, added.created_by_id) == (
        "check_out", 3, True, team.manager.id)
    assert not rules[callbacks.BUILTIN_RULE_NAME].active


async def test_rules_form_takes_typing_and_shows_each_error_under_its_field(
        db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "m", "a")
        assert app.focused.id == "name"
        # Saved with nothing typed: the error is under the name, the cursor stays there.
        await press(pilot, "ctrl+s")
        assert error_text(app, "name") == "Required"
        assert app.focused.id == "name"
        # Back to the rules and in again: the old error is gone, typing lands in the name.
        await press(pilot, "escape")
        assert isinstance(app.screen, RulesScreen)
        await press(pilot, "a")
        assert error_text(app, "name") == ""
        await press(pilot, *"出所回访", "enter")
        assert field_value(app, "name") == "出所回访"
        assert app.focused.id == "days"  # a name alone: on to the days
        await press(pilot, "enter")
        assert error_text(app, "days") == "Days after must be 0 to 365"
        assert app.focused.id == "days"
        await press(pilot, "3", "enter")
        assert isinstance(app.screen, RulesScreen)
    assert [(rule.name, rule.days_after, rule.created_by_id)
            for rule in custom_rules(db)] == [("出所回访", 3, team.manager.id)]


async def test_zh_rule_error_is_under_the_named_field(db, team, make_app):
    i18n.set_language("zh")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "m", "a")
        await press(pilot, "enter", "enter")
        assert error_text(app, "name") == "必填"
        assert str(app.screen.query_one("#row-name Label").render()) == "名称"


async def test_a_rule_typed_in_one_burst_and_edited(db, team, make_app):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await burst(app, "ma")
        await settle(pilot)
        await burst(app, "Deal follow-up\t2\r")
        await settle(pilot)
        rules = app.screen
        assert isinstance(rules, RulesScreen)
        (added,) = custom_rules(db)
        assert (added.name, added.event, added.days_after) == ("Deal follow-up", "first_visit", 2)
        rules.query_one("#rules-table").move_cursor(row=1)
        await press(pilot, "e")
        assert isinstance(app.screen, RuleForm)
        assert field_value(app, "name") == "Deal follow-up"
        app.screen.query_one("#event").value = "deal_closed"
        app.screen.set_focus(app.screen.query_one("#days"))
        await press(pilot, "backspace", "5", "enter")
        assert app.screen is rules
        assert notifications(app)[-1] == "Rule changed"
        assert "Deal closed" in table_text(rules, "#rules-table")
    (changed,) = custom_rules(db)
    assert (changed.name, changed.event, changed.days_after) == (
        "Deal follow-up", "deal_closed", 5)


async def test_a_manager_deactivated_meanwhile_is_refused(db, team, make_app):
    """The rules' own manager check accepted a deactivated manager; F5 now asks the one
    check (``staff.require_manager``) before opening the rules or the low scores."""
    add_customer(db, "王小红", "13800001111")
    with db.write() as session:
        second = staff_service.add_staff(session, name="副经理", role=Role.MANAGER,
                                         pin="123456", by=team.manager.id)
    app = make_app(second)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        with db.write() as session:
            staff_service.update_staff(session, second.id, active=False, by=team.manager.id)
        for key in ("m", "f"):
            await press(pilot, key)
            assert app.screen is screen
            assert notifications(app)[-1] == i18n.t("staff.manager_only")
    assert custom_rules(db) == []
