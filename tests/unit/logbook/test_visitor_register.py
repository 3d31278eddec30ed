"""The visitor registration form on the visitor's record: company, people, purpose, whom or
which room, ID checked, drink, badge given and returned, time in and out; an applicant's
form handed to HR; night-check findings at closing."""

import pytest

from reception import logbook, reconcile, visitor_register, visitors
from reception.clock import clock
from reception.errors import ValidationError
from reception.visitor_register import Registration
from tests.conftest import at, today


def register(db, team, visitor_id=None, **values):
    with db.write() as session:
        return visitor_register.register(session, Registration(**values),
                                         visitor_id=visitor_id, by=team.receptionist.id)


def test_a_visitor_registered_with_the_whole_form(db, team):
    visitor = register(db, team, name="陈总", company="华美装修", people="3", purpose="洽谈",
                       room="会议室", id_checked="y", drink="茶", badge="T-07")
    assert (visitor.company, visitor.people, visitor.room, visitor.id_checked, visitor.badge,
            visitor.drink) == ("华美装修", 3, "会议室", True, "T-07", "茶")
    assert visitor.arrived_at == clock.now_utc() and visitor.left_at is None
    # The drink is in the drinks log, three cups for three people.
    with db.read() as session:
        assert logbook.drinks_served(session, today()) == 3
    with pytest.raises(ValidationError) as refused:
        register(db, team, name="x", people="abc", host="王经理")
    assert refused.value.field == "people"
    with pytest.raises(ValidationError) as refused:
        register(db, team, name="x")
    assert refused.value.field == "host" and str(refused.value) == "Say whom or which room"
    with pytest.raises(ValidationError) as refused:
        register(db, team, name="x", host="王经理", id_checked="maybe")
    assert refused.value.field == "id_checked"
    with db.read() as session:
        assert len(visitor_register.of_day(session, today())) == 1  # nothing half-saved


def test_the_form_of_a_visitor_logged_at_triage_is_filled_in(db, team):
    with db.write() as session:
        logged = visitors.log_visitor(session, by=team.receptionist.id, kind="boss",
                                      name="陈总", host="王经理").id
    register(db, team, logged, company="华美", badge="T-1", host="")
    clock.advance(minutes=40)
    with db.write() as session:
        visitor_register.badge_returned(session, logged, by=team.receptionist.id)
        visitor_register.left(session, logged, by=team.receptionist.id)
        (visitor,) = visitor_register.of_day(session, today())
    assert visitor.host == "王经理" and visitor.company == "华美"
    assert visitor.badge_returned_at == visitor.left_at == clock.now_utc()
    assert visitor_register.form_values(visitor)["badge"] == "T-1"


def test_an_applicant_form_goes_to_hr(db, team):
    applicant = register(db, team, name="应聘者", kind="applicant", purpose="应聘前台",
                         host="人事部")
    guest = register(db, team, name="陈总", host="王经理")
    with db.write() as session:
        handed = visitor_register.hand_to_hr(session, applicant.id, by=team.receptionist.id)
        assert handed.handed_to_hr_at == clock.now_utc()
        with pytest.raises(visitor_register.VisitorError) as refused:
            visitor_register.hand_to_hr(session, guest.id, by=team.receptionist.id)
    assert str(refused.value) == "陈总 is not a job applicant"


def test_still_in_at_closing_and_badges_not_back_are_findings(db, team):
    register(db, team, name="陈总", host="王经理", badge="T-07")
    left = register(db, team, name="刘总", host="王经理", badge="T-08")
    with db.write() as session:
        visitor_register.left(session, left.id, by=team.receptionist.id)
    with db.read() as session:
        before = [f.text() for f in reconcile.day_report(session, today()).findings]
    assert "Visitor 陈总: badge T-07 not returned" in before
    assert not any("still in" in text for text in before)
    clock.set(at("2026-11-22T21:05"))
    with db.read() as session:
        after = [f.text() for f in reconcile.day_report(session, today()).findings]
    assert "Visitor 陈总 (in 10:00) still in at closing" in after
    assert not any("刘总" in text for text in after)
