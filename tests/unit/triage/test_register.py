"""The register book: new/returning apart, deal and no-deal lists, a consultant's month, CSV."""

import csv
import io

import pytest

from reception import customers, register, triage
from reception.clock import clock
from reception.errors import ValidationError
from tests.conftest import at, today


def visit(db, team, name, phone, *, outcome=None, items="", consultant=None, amount=None):
    with db.write() as session:
        started, customer, _ = triage.triage_new_customer(
            session, name=name, phone=phone, by=team.receptionist.id, gender="f",
            interest="祛斑", consultant_id=consultant.id if consultant else None)
        if outcome:
            triage.record_outcome(session, started.id, outcome=outcome, items=items,
                                  amount_cents=amount, by=team.receptionist.id)
    return started, customer


def test_day_book_lists_new_and_returning_apart(db, team):
    first, customer = visit(db, team, "老李", "13800000001", outcome="deal", items="光子")
    clock.advance(days=1)
    visit(db, team, "小王", "13800000002")
    with db.write() as session:
        triage.start_visit(session, customer_id=customer.id, path="C2", by=team.receptionist.id)
    with db.read() as session:
        book = register.day_book(session, today())
    assert [row.name for row in book.new] == ["小王"]
    assert [row.name for row in book.returning] == ["老李"]
    assert book.returning[0].case_number is not None


def test_gender_is_shown_as_a_word_and_a_stray_code_is_refused(db, team):
    visit(db, team, "小王", "13800000002")
    with db.read() as session:
        [row] = register.day_book(session, today()).new
    assert register.cells(row, ("gender",)) == ["Female"]
    assert customers.gender_label("female") == "female"  # an older import: as it is
    with pytest.raises(ValidationError) as refused, db.write() as session:
        customers.register(session, name="小李", phone="13800000009", gender="female",
                           by=team.receptionist.id)
    assert refused.value.field == "gender"


def test_deal_and_no_deal_lists_and_csv(db, team):
    visit(db, team, "=HYPERLINK(\"x\")", "13800000001", outcome="deal", items="热玛吉",
          amount=1280050)
    visit(db, team, "[red]x[/red]", "13800000002", outcome="no_deal")
    visit(db, team, "还在店里", "13800000003")
    with db.read() as session:
        deals = register.deals(session, today())
        no_deals = register.no_deals(session, today())
    assert [row.items for row in deals] == ["热玛吉"]
    assert [row.name for row in no_deals] == ["[red]x[/red]"]
    text = register.to_csv(deals, register.DEAL_COLUMNS)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Day", "Name", "Gender"]
    day, name, gender, phone, items, amount, consultant, case = rows[1]
    assert name.startswith("'=")  # a spreadsheet must not run customer text as a formula
    assert (gender, phone, items, amount) == ("Female", "138****0001", "热玛吉", "12800.50")
    assert case == "2026112201" and consultant == team.consultants[0].name
    full = register.to_csv(deals, register.DEAL_COLUMNS, full_phone=True)
    assert "13800000001" in full
    no_deal_text = register.to_csv(no_deals, register.NO_DEAL_COLUMNS)
    assert "[red]x[/red]" in no_deal_text


def test_consultant_month_list(db, team):
    second = team.consultants[1]
    clock.set(at("2026-10-31T10:00"))
    visit(db, team, "十月", "13800000001", consultant=second, outcome="no_deal")
    clock.set(at("2026-11-01T10:00"))
    visit(db, team, "十一月一", "13800000002", consultant=second, outcome="no_deal")
    clock.set(at("2026-11-30T10:00"))
    visit(db, team, "十一月末", "13800000003", consultant=second)
    visit(db, team, "别人的", "13800000004", consultant=team.consultants[0])
    with db.read() as session:
        rows = register.consultant_month(session, second.id, at("2026-11-15").date())
        staff = register.consultants_with_visits(session, at("2026-11-15").date())
    assert [row.name for row in rows] == ["十一月一", "十一月末"]
    assert {member.id for member in staff} >= {second.id, team.consultants[0].id}
    text = register.to_csv(rows, register.MONTH_COLUMNS)
    assert text.count("\n") == 3


def test_month_bounds():
    assert register.month_bounds(at("2026-12-15").date()) == (at("2026-12-01").date(),
                                                              at("2026-12-31").date())
    assert register.month_bounds(at("2027-02-03").date())[1] == at("2027-02-28").date()
