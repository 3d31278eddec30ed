"""What the F5 tests share: customers and callbacks made as the day would, the stored
rows, what a screen shows, opening F5."""

from datetime import timedelta

from sqlmodel import select
from textual.widgets import DataTable, Static

from models import Callback, Customer
from reception import callbacks
from reception.clock import clock
from screens.callbacks import CallbacksScreen
from tests.conftest import at
from tests.helpers.pilot import settle

HOSTILE = "[red]x[/red] 王小红 😀 " + "长" * 100


def add_customer(db, name, phone, *, days_ago=1, consultant=None):
    with db.write() as session:
        customer = Customer(name=name, phone=phone, created_at=clock.now_utc(),
                            first_visit_day=clock.today() - timedelta(days=days_ago),
                            consultant_id=consultant.id if consultant else None)
        session.add(customer)
        session.flush()
        return customer


def add_callback(db, team, name, phone, *, attempts=0, next_try=None, due_offset=-1,
                 consultant=None):
    """An open callback as the list finds it after some days of work."""
    with db.write() as session:
        rule = callbacks.ensure_builtin_rule(session, by=team.manager.id)
        customer = Customer(name=name, phone=phone, created_at=clock.now_utc(),
                            first_visit_day=clock.today() + timedelta(days=due_offset - 1),
                            consultant_id=consultant.id if consultant else None)
        session.add(customer)
        session.flush()
        callback = Callback(
            customer_id=customer.id, rule_id=rule.id, event_day=customer.first_visit_day,
            due_day=clock.today() + timedelta(days=due_offset), status="open",
            attempts=attempts, last_outcome="no_answer" if attempts else "",
            next_try_at=at(next_try).datetime if next_try else None,
            created_at=clock.now_utc(), created_by_id=team.manager.id)
        session.add(callback)
        session.flush()
        return callback.id


def stored(db, model, **where):
    with db.read() as session:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list(session.exec(query).all())


def table_rows(screen, table_id="#callback-table") -> list[str]:
    table = screen.query_one(table_id, DataTable)
    return [" | ".join(str(cell) for cell in table.get_row_at(row))
            for row in range(table.row_count)]


def table_text(screen, table_id="#callback-table") -> str:
    return "\n".join(table_rows(screen, table_id))


def static_text(screen, widget_id) -> str:
    return str(screen.query_one(widget_id, Static).render())


def field_value(app, field_id) -> str:
    return app.screen.query_one(f"#{field_id}").value


def error_text(app, field_id) -> str:
    """The line under a form's field (or the form's problem line: ``form-problem``)."""
    line = app.screen.query_one(f"#{field_id}-error" if field_id != "form-problem"
                                else "#form-problem", Static)
    return str(line.render()) if line.has_class("-shown") else ""


def ready_rows(screen) -> int:
    """The rows to call now (the rest of the list waits for a later try)."""
    return screen.ready


async def open_list(app, pilot) -> CallbacksScreen:
    await settle(pilot)
    await pilot.press("f5")
    await settle(pilot)
    assert isinstance(app.screen, CallbacksScreen)
    return app.screen


async def press(pilot, *keys: str) -> None:
    """Keys one after another, then wait for what they saved."""
    await pilot.press(*keys)
    await settle(pilot)
