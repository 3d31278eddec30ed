"""One case-number module: the format, reading one back, and the day's next number."""

from datetime import date

import pytest

from models import Customer
from reception import case_numbers, reconcile, triage
from tests.conftest import today

DAY = date(2013, 11, 1)


def test_day_and_sequence_two_digits_then_three():
    assert case_numbers.case_number(DAY, 1) == "2013110101"
    assert case_numbers.case_number(DAY, 99) == "2013110199"
    assert case_numbers.case_number(DAY, 100) == "20131101100"
    assert case_numbers.day_prefix(DAY) == "20131101"


@pytest.mark.parametrize(("number", "parsed"), [
    ("2013110101", (DAY, 1)), ("2013110199", (DAY, 99)), ("20131101100", (DAY, 100)),
    ("2013110100", None), ("201311011", None), ("20131101001", None), ("2013110107a", None),
    ("2013023001", None), ("", None), ("２０１３１１０１０１", None),
])
def test_parse_reads_only_well_formed_numbers(number, parsed):
    assert case_numbers.parse(number) == parsed


def test_sequence_of_reads_the_digits_whatever_the_padding():
    assert case_numbers.sequence_of("20131101007", DAY) == 7
    assert case_numbers.sequence_of("2013110207", DAY) is None
    assert case_numbers.sequence_of("20131101x", DAY) is None


def test_next_number_counts_per_day_and_triage_hands_it_out(db, team):
    with db.write() as session:
        assert case_numbers.next_number(session, today()) == "2026112201"
        assert case_numbers.last_issued(session, today()) == 1
        visit, customer, _ = triage.triage_new_customer(
            session, name="王芳", phone="13800001111", by=team.receptionist.id)
        triage.record_outcome(session, visit.id, outcome="deal", items="祛斑",
                              by=team.receptionist.id)
    with db.read() as session:
        assert session.get(Customer, customer.id).case_number == "2026112202"
        # Number 01 was handed out and is held by nobody: the night check sees the gap,
        # named in the same format.
        findings = reconcile.case_number_findings(session, today())
    assert [(f.kind, f.detail) for f in findings] == [
        ("case_number_gap", {"number": "2026112201"})]
