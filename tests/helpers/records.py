"""Rows written straight into the store, for tests that need a day in a known state."""

from datetime import timedelta

from models import Customer, Visit
from reception.clock import clock
from tests.conftest import today

_phones = iter(range(13800000000, 13900000000))


def add_customer(session, by, *, name="张小明", phone=None, case_number=None) -> Customer:
    customer = Customer(name=name, phone=phone if phone is not None else str(next(_phones)),
                        case_number=case_number, created_at=clock.now_utc(), created_by_id=by)
    session.add(customer)
    session.flush()
    return customer


def add_visit(session, by, customer, *, day=None, consultant_id=None, outcome="no_deal",
              departed=True, is_new=True, appointment_id=None) -> Visit:
    now = clock.now_utc()
    visit = Visit(day=day or today(), customer_id=customer.id, is_new=is_new, path="A",
                  consultant_id=consultant_id, status="left" if departed else "waiting",
                  status_since=now, arrived_at=now - timedelta(hours=1), outcome=outcome,
                  departed_at=now if departed else None, appointment_id=appointment_id,
                  created_at=now, created_by_id=by)
    session.add(visit)
    session.flush()
    return visit


def as_stored(db, value: str) -> str:
    """A text as the store keeps it: PostgreSQL's text cannot hold NUL, which it keeps as
    its control picture ␀ (how the app shows NUL anyway)."""
    return value.replace("\x00", "\u2400") if db.dialect == "postgresql" else value
