"""Hostile text through the other forms' domain functions: a message, a key loan's purpose,
a callback survey, a visitor. Stored exactly as typed (surrounding spaces trimmed where the
form trims them), or refused with a clear message; never a crash."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import Callback, CallbackSurvey, Customer, KeyEvent, Message, Visitor
from reception import callbacks, calls, keys, triage
from reception.clock import clock
from reception.errors import ReceptionError
from tests.e2e.test_hostile_input import SAMPLES
from tests.helpers.records import as_stored

hostile = st.one_of(st.sampled_from(SAMPLES), st.text(min_size=1, max_size=300))
FIXTURES_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
PHONES = itertools.count(13900000000)


@settings(max_examples=40, deadline=None, suppress_health_check=FIXTURES_OK)
@given(caller=hostile, matter=hostile)
def test_message_text_is_kept(db, team, caller, matter):
    try:
        with db.write() as session:
            message = calls.take_message(session, recipient_id=team.manager.id,
                                         caller_name=caller, phone="", matter=matter,
                                         by=team.receptionist.id)
    except ReceptionError as refusal:
        assert not caller.strip() or not matter.strip(), refusal
        return
    with db.read() as session:
        stored = session.get(Message, message.id)
    assert (stored.caller_name, stored.matter) == (as_stored(db, caller.strip()),
                                                   as_stored(db, matter.strip()))


@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURES_OK)
@given(purpose=hostile)
def test_key_purpose_is_kept(db, team, purpose):
    with db.write() as session:
        keys.ensure_default_keys(session, by=team.manager.id)
        archive = keys.archive_key(session)
    try:
        with db.write() as session:
            loan = keys.lend(session, key_id=archive.id, staff_id=team.consultants[0].id,
                             by=team.receptionist.id, purpose=purpose)
    except ReceptionError:
        assert not purpose.strip()
        return
    with db.write() as session:
        keys.return_key(session, key_id=archive.id, by=team.receptionist.id)
    with db.read() as session:
        assert session.get(KeyEvent, loan.id).purpose.strip() == as_stored(db, purpose.strip())


@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURES_OK)
@given(answers=st.lists(hostile, min_size=4, max_size=4))
def test_survey_text_is_kept(db, team, answers):
    now = clock.now_utc()
    with db.write() as session:
        rule = callbacks.ensure_builtin_rule(session, by=team.manager.id)
        customer = Customer(name="顾客", phone=str(next(PHONES)), created_at=now)
        session.add(customer)
        session.flush()
        callback = Callback(customer_id=customer.id, rule_id=rule.id, event_day=clock.today(),
                            due_day=clock.today(), created_at=now)
        session.add(callback)
        session.flush()
        callback_id = callback.id
    given_answers = {prefix: callbacks.Answer(score=3, text=text)
                     for (prefix, _key), text in zip(callbacks.QUESTIONS, answers, strict=True)}
    with db.write() as session:
        survey = callbacks.record_survey(session, callback_id, given_answers,
                                         by=team.receptionist.id)
    with db.read() as session:
        stored = session.get(CallbackSurvey, survey.id)
    for (prefix, _key), text in zip(callbacks.QUESTIONS, answers, strict=True):
        assert getattr(stored, f"{prefix}_text").strip() == as_stored(db, text.strip())


@settings(max_examples=30, deadline=None, suppress_health_check=FIXTURES_OK)
@given(name=hostile, host=hostile, reason=hostile)
def test_visitor_text_is_kept(db, team, name, host, reason):
    try:
        with db.write() as session:
            visitor = triage.log_visitor(session, by=team.receptionist.id, kind="boss",
                                         name=name, host=host, reason=reason)
    except ReceptionError:
        # Refused only for a rule: a name and a host are needed, a name has 200 at most.
        assert not name.strip() or not host.strip() or len(name.strip()) > 200
        return
    with db.read() as session:
        stored = session.get(Visitor, visitor.id)
    assert stored.name == as_stored(db, name.strip())
    assert (stored.host.strip(), stored.reason.strip()) == (as_stored(db, host.strip()),
                                                            as_stored(db, reason.strip()))
