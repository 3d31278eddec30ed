"""Typed with a Chinese input method: full-width digits are taken and stored narrow."""

import pytest

from models import Customer
from reception import appointments, customers, phones, reconcile, triage
from reception.text import narrow
from tests.conftest import at, today


def test_narrow_touches_only_digits_letters_and_number_signs():
    assert narrow("１３８１２３４５６７８") == "13812345678"
    assert narrow("１４：３０") == "14:30"
    assert narrow("＋８６　１３８") == "+86 138"
    assert narrow("ＡＢｃ２００．５") == "ABc200.5"
    assert narrow("张小明，你好。") == "张小明，你好。"


@pytest.mark.parametrize(("typed", "stored"), [
    ("１３８１２３４５６７８", "13812345678"), ("１３８ １２３４ ５６７８", "13812345678"),
    ("＋８６ １３８１２３４５６７８", "13812345678"),
    ("０７５５－１２３４５６７８", "0755-12345678"),
])
def test_phones(typed, stored):
    assert phones.normalise(typed) == stored


def test_a_customer_registered_with_a_full_width_phone_is_stored_narrow(db, team):
    with db.write() as session:
        customer, created = customers.register(session, name="王芳", phone="１３８１２３４５６７８",
                                               by=team.receptionist.id)
        assert created
        again, created_again = customers.register(session, name="王芳", phone="13812345678",
                                                  by=team.receptionist.id)
        assert again.id == customer.id and not created_again
    with db.read() as session:
        assert session.get(Customer, customer.id).phone == "13812345678"
        # The search as you type: the last four digits, typed in full width.
        assert [c.id for c in customers.search(session, "５６７８")] == [customer.id]
        assert [c.id for c in customers.search(session, "１３８１")] == [customer.id]


def test_amounts():
    assert triage.parse_amount("２００") == 20000
    assert triage.parse_amount("１，２８０．５") == 128050
    assert triage.parse_amount("￥９９") == 9900


def test_a_booked_appointment_found_by_its_number_typed_in_full_width(db, team):
    with db.write() as session:
        booked = appointments.book(session, scheduled_at=at("2026-11-22T15:00").datetime,
                                   name="张小明", phone="１３９００００１１１１",
                                   by=team.receptionist.id)
    with db.read() as session:
        assert booked.phone == "13900001111"
        assert [a.id for a in appointments.find_for_day(session, today(), "０１")] == [booked.id]
        assert appointments.find_by_number(session, narrow(booked.number)).id == booked.id


def test_paper_counts(db, team):
    name = reconcile.PAPER_COUNT_NAMES[0]
    with db.write() as session:
        reconcile.set_paper_count(session, today(), name, "１２", by=team.manager.id)
    with db.read() as session:
        assert reconcile.paper_counts(session, today())[name] == 12
