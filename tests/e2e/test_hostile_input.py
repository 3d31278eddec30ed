"""Hostile text: stored exactly as typed, shown literally, layout intact at 80×24."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select
from textual.widgets import DataTable, Footer

from models import Customer, Message, Visit
from reception import appointments, customers
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import ValidationError
from screens.widgets.status import StatusLine
from screens.widgets.text import visible
from tests.conftest import at
from tests.helpers.records import as_stored

SAMPLES = [
    "[red]x[/red]", "[bold]老板[/bold] [link=http://x]点我[/link]", "\x1b[2J\x1b[31m红\x1b[0m",
    "\x1b]0;pwned\x07", "a\x00b\x07\x08\x7f", "😀👩‍👩‍👧 emoji", "e\u0301\u0301\u0301 combining",
    "مرحبا שלום RTL", "\u202egnp.exe", "张" * 10_000, "x" * 10_000, "line1\nline2\r\n\t",
]
hostile = st.one_of(st.sampled_from(SAMPLES), st.text(min_size=1, max_size=300))
FIXTURES_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


PHONES = itertools.count(13800000000)


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES_OK)
@given(name=hostile, purpose=hostile)
def test_registration_and_booking_store_text_exactly(db, team, name, purpose):
    if not name.strip():
        return
    phone = str(next(PHONES))
    if len(name.strip()) > customers.NAME_MAX:
        # A name has a rule: refused with a message that says so, nothing stored.
        with pytest.raises(ValidationError) as refused, db.write() as session:
            customers.register(session, name=name, phone=phone, by=team.receptionist.id)
        assert str(customers.NAME_MAX) in str(refused.value)
        with db.read() as session:
            assert customers.find_by_phone(session, phone) is None
        name = name.strip()[:customers.NAME_MAX]
    with db.write() as session:
        customer, created = customers.register(session, name=name, phone=phone,
                                               by=team.receptionist.id)
        booked = appointments.book(session, scheduled_at=at("2026-11-23T10:00").datetime,
                                   name=name, phone=phone, purpose=purpose,
                                   by=team.receptionist.id)
    assert created
    with db.read() as session:
        assert session.get(Customer, customer.id).name == as_stored(db, name.strip())
        stored = session.get(appointments.Appointment, booked.id)
        assert (stored.name, stored.purpose) == (as_stored(db, name.strip()),
                                                 as_stored(db, purpose))
        assert [c.id for c in customers.search(session, phone)] == [
            customer.id]
        customers.search(session, name)  # any text is a query, never an error


@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURES_OK)
@given(name=hostile)
def test_staff_names_are_kept_exactly(db, team, name):
    if not name.strip():
        return
    if len(name.strip()) > 100:
        # Longer than the column holds: refused at the field, in words, nothing stored.
        with pytest.raises(ValidationError) as refused, db.write() as session:
            staff_service.add_staff(session, name=name, role="cashier", by=team.manager.id)
        assert refused.value.field == "name" and "100" in str(refused.value)
        return
    with db.write() as session:
        added = staff_service.add_staff(session, name=name, role="cashier", by=team.manager.id)
    with db.read() as session:
        assert session.get(staff_service.Staff, added.id).name == as_stored(db, name.strip())


@pytest.mark.parametrize("text", SAMPLES)
async def test_dashboard_shows_hostile_text_literally_with_layout_intact(make_app, db, team,
                                                                        text):
    now = clock.now_utc()
    with db.write() as session:
        customer = Customer(name=text, phone="13812345678", created_at=now)
        session.add(customer)
        session.flush()
        session.add(Visit(day=clock.today(), customer_id=customer.id, path="A",
                          consultant_id=team.consultants[0].id, status="waiting",
                          status_since=now, arrived_at=now, created_at=now))
        session.add(Message(day=clock.today(), recipient_id=team.manager.id, caller_name=text,
                            matter=text, created_at=now))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        waiting = app.screen.query_one("#waiting", DataTable)
        messages = app.screen.query_one("#messages", DataTable)
        assert str(waiting.get_row_at(0)[0]) == visible(text)
        assert str(messages.get_row_at(0)[2]) == visible(text)
        assert app.screen.query_one(StatusLine).region.y == 22
        assert app.screen.query_one(Footer).region.y == 23
        assert app.screen.query_one(".screen-title").region.y == 0
    with db.read() as session:
        assert session.exec(select(Message.matter)).one() == text
