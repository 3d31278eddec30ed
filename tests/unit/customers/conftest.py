"""Customers on file with a known history, for the search tests (real rows, real store)."""

from datetime import timedelta

import pytest

from models import Appointment, Customer, Visit
from reception import customers
from reception.clock import clock
from tests.conftest import at


class Clinic:
    """Writes customers, visits and appointments as the desk would leave them."""

    def __init__(self, db, team) -> None:
        self.db, self.team = db, team
        self.by = team.receptionist.id

    def customer(self, name: str, phone: str, *, case_number: str | None = None,
                 consultant=None) -> Customer:
        with self.db.write() as session:
            customer, _created = customers.register(session, name=name, phone=phone, by=self.by)
            customer.case_number = case_number
            customer.consultant_id = consultant.id if consultant is not None else None
            session.add(customer)
            session.flush()
            session.refresh(customer)
            return customer

    def visit(self, customer: Customer, when: str, *, here: bool = False) -> Visit:
        """A visit that arrived at ``when`` (local time); left an hour later unless ``here``."""
        arrived = at(when).to("utc").datetime
        with self.db.write() as session:
            visit = Visit(day=clock.day_of(arrived), customer_id=customer.id, is_new=False,
                          path="C1", status="waiting" if here else "left",
                          status_since=arrived, arrived_at=arrived,
                          outcome=None if here else "no_deal",
                          departed_at=None if here else arrived + timedelta(hours=1),
                          created_at=arrived, created_by_id=self.by)
            session.add(visit)
            session.flush()
            return visit

    def appointment(self, customer: Customer, when: str, number: str) -> Appointment:
        scheduled = at(when).to("utc").datetime
        with self.db.write() as session:
            appointment = Appointment(number=number, customer_id=customer.id,
                                      name=customer.name, phone=customer.phone,
                                      scheduled_at=scheduled, day=clock.day_of(scheduled),
                                      created_at=clock.now_utc(), created_by_id=self.by)
            session.add(appointment)
            session.flush()
            return appointment

    def search(self, query: str, **options):
        with self.db.read() as session:
            return customers.search(session, query, **options)


@pytest.fixture
def clinic(db, team) -> Clinic:
    return Clinic(db, team)
