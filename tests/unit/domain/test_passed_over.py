"""Path C: the customer's own consultant off duty is said, not silently replaced."""

from datetime import timedelta

from models import Customer
from reception import staff as staff_service
from reception import triage
from reception.clock import clock
from reception.i18n import t
from tests.conftest import today


def test_the_own_consultant_off_duty_is_named(db, team):
    own = team.consultants[1]
    with db.write() as session:
        visit, customer, _ = triage.triage_new_customer(
            session, name="王芳", phone="13800001111", by=team.receptionist.id,
            consultant_id=own.id)
        triage.record_outcome(session, visit.id, outcome="no_deal", by=team.receptionist.id)
    clock.advance(days=3)
    with db.write() as session:
        staff_service.set_rota(session, today(), [team.consultants[0].id],
                               by=team.manager.id)
    with db.read() as session:
        returning = session.get(Customer, customer.id)
        assert triage.proposed_consultant(session, today(), customer=returning)[1] == "rotation"
        assert triage.passed_over(session, today(), customer=returning).id == own.id
        assert "is not on duty today" in t("triage.own_off_duty", name=own.name)
    with db.write() as session:
        staff_service.set_rota(session, today(), [own.id], by=team.manager.id)
    with db.read() as session:
        assert triage.passed_over(session, today(),
                                  customer=session.get(Customer, customer.id)) is None
        # A new customer (no consultant of their own) passes nobody over.
        assert triage.passed_over(session, today() + timedelta(days=1)) is None
