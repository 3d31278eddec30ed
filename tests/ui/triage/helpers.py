"""What the F2 tests share: a returning customer, the board as shown."""

from rich.text import Text
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from models import Customer, Visit
from reception import triage
from reception.clock import clock
from screens.triage import TriageScreen
from tests.conftest import at
from tests.helpers.pilot import settle

MARKUP_NAME = "[red]x[/red]"
LONG_NAME = "长" * 40 + "N" * 60  # 100 characters, 140 cells


def plain(cell) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def board_key(db, name: str) -> str:
    with db.read() as session:
        customer = session.exec(select(Customer).where(Customer.name == name)).one()
        visit = session.exec(select(Visit).where(Visit.customer_id == customer.id)).one()
    return f"visit:{visit.id}"


def board_rows(screen) -> list[list[str]]:
    table = screen.query_one("#board", DataTable)
    return [[plain(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def static_text(screen, selector) -> str:
    return plain(screen.query_one(selector, Static).render())


def value(app, field_id) -> str:
    return app.screen.query_one(f"#{field_id}", Input).value


def visits(db) -> list[Visit]:
    with db.read() as session:
        return list(session.exec(select(Visit).order_by(Visit.id)).all())


def customer_named(db, name) -> Customer | None:
    with db.read() as session:
        return session.exec(select(Customer).where(Customer.name == name)).first()


def returning_customer(db, team, *, name="陈美丽", phone="13912345678", consultant=None):
    """A customer who came yesterday (with ``consultant``) and closed a deal."""
    consultant = consultant or team.consultants[1]
    clock.set(at("2026-11-21T15:00"))
    with db.write() as session:
        visit, customer, _ = triage.triage_new_customer(
            session, name=name, phone=phone, consultant_id=consultant.id,
            by=team.receptionist.id)
        triage.record_outcome(session, visit.id, outcome="deal", items="光子嫩肤",
                              by=team.receptionist.id)
    clock.set(at("2026-11-22T10:00"))
    return customer


async def open_triage(pilot, keys_log=None) -> TriageScreen:
    await pilot.pause()
    await press(pilot, keys_log, "f2")
    assert isinstance(pilot.app.screen, TriageScreen)
    return pilot.app.screen


async def press(pilot, keys_log, *keys):
    """Keys one after the other, each handled (and any save done) before the next."""
    if keys_log is not None:
        keys_log.extend(keys)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def fill(pilot, input_id, text):
    widget = pilot.app.screen.query_one(f"#{input_id}", Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    if text:
        await pilot.press(*text)
    await pilot.pause()


async def walk_in(pilot, name: str, phone: str) -> None:
    """A first visit triaged to the proposed consultant (a, name, phone, Ctrl+S, Enter)."""
    await pilot.press("a", *name, "tab", *phone, "ctrl+s")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
