"""QA round, F5 at 80×24: counts equal to the dashboard's, the rules form takes typing,
manager keys shown and explained, the hint line fits, zh punctuation."""

from datetime import timedelta

from rich.cells import cell_len
from textual.widgets import Input, Static

from models import Callback, CallbackRule, Customer
from reception import callbacks, i18n
from reception.clock import clock
from reception.dashboard import today_at_a_glance
from screens.help import HelpScreen
from tests.conftest import at
from tests.helpers.pilot import screen_lines
from tests.ui.callbacks.test_callbacks import open_list, static_text


def add_callback(db, team, name, phone, *, attempts=0, next_try=None, due_offset=-1):
    with db.write() as session:
        rule = callbacks.ensure_builtin_rule(session, by=team.manager.id)
        customer = Customer(name=name, phone=phone, created_at=clock.now_utc(),
                            first_visit_day=clock.today() + timedelta(days=due_offset - 1))
        session.add(customer)
        session.flush()
        session.add(Callback(
            customer_id=customer.id, rule_id=rule.id, event_day=customer.first_visit_day,
            due_day=clock.today() + timedelta(days=due_offset), status="open",
            attempts=attempts, last_outcome="no_answer" if attempts else "",
            next_try_at=at(next_try).datetime if next_try else None,
            created_at=clock.now_utc(), created_by_id=team.manager.id))


async def test_header_counts_the_carried_over_callbacks_the_dashboard_counts(
        db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    add_callback(db, team, "[red]明天再打[/red]", "13800002222", attempts=2, due_offset=-3,
                 next_try="2026-11-23T00:23:00")
    with db.read() as session:
        glance = today_at_a_glance(session)
    assert glance.callbacks_due == 2
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        header = static_text(screen, "#header")
        assert "2 due, 1 to call now, 1 for later (next at 11-23 00:23)" in header
        assert screen.query_one("#header").region.width == 80
        assert cell_len(header) <= 78


async def test_zh_header_and_dashboard_line_say_the_same(db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    add_callback(db, team, "今天稍后", "13800002222", attempts=1,
                 next_try="2026-11-22T13:00:00")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        header = static_text(screen, "#header")
        assert "今日待回访 2 位\uff1a现在可打 1\uff0c稍后再打 1\uff08下一位 13:00\uff09" in header
        assert cell_len(header) <= 78


async def test_rules_form_takes_typing_and_names_the_field_in_error(db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert screen.focused.id == "rule-name"
        # Enter with nothing typed: the error says which field, the cursor stays there.
        await pilot.press("enter")
        await pilot.pause()
        assert static_text(screen, "#rule-error") == "Name: Required"
        assert screen.focused.id == "rule-name"
        # Back to the list and in again: the old error is gone, typing lands in the name.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert static_text(screen, "#rule-error") == ""
        await pilot.press(*"出所回访", "enter")
        await pilot.pause()
        assert screen.query_one("#rule-name", Input).value == "出所回访"
        assert screen.focused.id == "rule-days"  # a name alone: on to the days
        await pilot.press("enter")
        await pilot.pause()
        assert static_text(screen, "#rule-error") == "Days: Days after must be 0 to 365"
        assert screen.focused.id == "rule-days"
        await pilot.press("3", "enter")
        await pilot.pause()
        assert static_text(screen, "#rule-error") == ""
        assert screen.query_one("#rule-name", Input).value == ""
    rules = [rule for rule in stored_rules(db) if not rule.builtin]
    assert [(rule.name, rule.days_after, rule.created_by_id) for rule in rules] == [
        ("出所回访", 3, team.manager.id)]


def stored_rules(db):
    from sqlmodel import select

    with db.read() as session:
        return list(session.exec(select(CallbackRule)).all())


async def test_zh_rule_error_uses_a_full_width_colon(db, team, make_app):
    i18n.set_language("zh")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert static_text(screen, "#rule-error") == "名称\uff1a必填"


async def test_manager_keys_in_the_hint_and_in_f1(db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        hint = static_text(screen, "#list-hint")
        assert "m callback rules" in hint and "f low scores" in hint
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one(Static).render())
        assert "Callback rules (manager)" in help_text
        assert "Low scores (manager)" in help_text
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        hint = static_text(screen, "#list-hint")
        assert "s summary" in hint and "m callback" not in hint and "f low" not in hint


async def test_hint_lines_fit_at_80_columns_in_both_languages(db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    for language in ("en", "zh"):
        i18n.set_language(language)
        app = make_app(team.manager)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(app, pilot)
            hint = screen.query_one("#list-hint", Static)
            lines = str(hint.render()).splitlines()
            assert len(lines) == 2 and hint.region.height == 2
            assert all(cell_len(line) <= hint.content_region.width for line in lines)
            assert hint.region.bottom <= 22  # above the status line and the footer
            screen_text = "\n".join(screen_lines(app))
            for line in lines:
                assert line.strip() in screen_text, (language, line)
            # The header with the biggest counts fits on its line too.
            header = i18n.t("callbacks.header", day="2026-11-22", total=999, ready=999,
                            waiting=999) + i18n.t("callbacks.header.next", time="11-23 10:00")
            assert cell_len(header) <= 78, language


async def test_zh_detail_line_uses_full_width_punctuation(db, team, make_app):
    hostile = "[red]x[/red] 王小红 😀"
    add_callback(db, team, hostile, "13800001111", attempts=1,
                 next_try="2026-11-22T09:00:00")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        detail = static_text(screen, "#detail")
        assert hostile in detail
        assert "次数 1\uff0c上次结果\uff1a无人接听" in detail
        await pilot.press("5")
        await pilot.pause()
        assert static_text(screen, "#later-title").startswith(f"稍后再打\uff1a{hostile}")
