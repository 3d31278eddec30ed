"""QA round, F5 at 80×24: counts equal to the dashboard's, the rules form takes typing,
manager keys shown and explained, the hint line fits, zh punctuation."""

from datetime import timedelta

from rich.cells import cell_len
from textual.widgets import Static

from models import Callback, Customer
from reception import callbacks, i18n
from reception.clock import clock
from reception.dashboard import today_at_a_glance
from screens.callbacks import CallbacksScreen
from tests.conftest import at


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


def static_text(screen, selector) -> str:
    return str(screen.query_one(selector, Static).render())


async def open_list(app, pilot):
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    assert isinstance(app.screen, CallbacksScreen)
    return app.screen


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
        assert "今日待回访 2 位:现在可打 1,稍后再打 1(下一位 13:00)" in header
        assert cell_len(header) <= 78
