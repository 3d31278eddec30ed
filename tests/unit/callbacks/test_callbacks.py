"""The daily callback list: rules, idempotent generation, attempts, retries, survey, summary."""

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import func, select

from models import (
    Callback,
    CallbackAttempt,
    CallbackRule,
    CallbackSurvey,
    Customer,
    DayEvent,
    Setting,
    Stay,
    Visit,
)
from reception import callbacks, settings
from reception.callbacks import Answer, CallbackError
from reception.clock import clock
from reception.dashboard import today_at_a_glance
from reception.errors import DayClosedError, ValidationError
from tests.conftest import at, today


def _day(offset: int):
    return clock.today() + timedelta(days=offset)


def add_customer(db, name, phone, *, first_visit_offset=-1, consultant=None, by=None):
    with db.write() as session:
        customer = Customer(
            name=name, phone=phone, created_at=clock.now_utc(), created_by_id=by,
            first_visit_day=_day(first_visit_offset) if first_visit_offset is not None else None,
            consultant_id=consultant.id if consultant else None,
        )
        session.add(customer)
        session.flush()
        return customer


def add_visit(db, customer, day, outcome):
    with db.write() as session:
        now = clock.now_utc()
        session.add(Visit(day=day, customer_id=customer.id, is_new=False, path="C1",
                          status="left", status_since=now, arrived_at=now, outcome=outcome,
                          created_at=now))


def generate(db, by=None, day=None):
    with db.write() as session:
        return callbacks.generate(session, day, by=by)


def listing(db, day=None):
    with db.read() as session:
        return callbacks.day_list(session, day)


def count(db, model):
    with db.read() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def only_callback(db, customer):
    with db.read() as session:
        return session.exec(select(Callback).where(Callback.customer_id == customer.id)).one()


def attempt(db, callback_id, outcome, by, **kwargs):
    with db.write() as session:
        return callbacks.record_attempt(session, callback_id, outcome, by=by, **kwargs)


# --- rules ---------------------------------------------------------------------------


def test_builtin_rule_is_created_once(db, team):
    with db.write() as session:
        first = callbacks.ensure_builtin_rule(session, by=team.manager.id)
    with db.write() as session:
        second = callbacks.ensure_builtin_rule(session, by=team.manager.id)
    assert first.id == second.id
    assert (first.event, first.days_after, first.active) == ("first_visit", 1, True)
    assert count(db, CallbackRule) == 1


def test_a_deactivated_builtin_rule_is_not_recreated_and_makes_nothing(db, team):
    add_customer(db, "王小红", "13800001111")
    with db.write() as session:
        rule = callbacks.ensure_builtin_rule(session, by=team.manager.id)
        callbacks.set_rule_active(session, rule.id, False, by=team.manager.id)
    assert generate(db) == 0
    assert count(db, CallbackRule) == 1
    assert count(db, Callback) == 0


def test_new_customer_yesterday_is_due_today(db, team):
    yesterday = add_customer(db, "王小红", "13800001111", first_visit_offset=-1)
    add_customer(db, "今天新客", "13800002222", first_visit_offset=0)
    add_customer(db, "老顾客", "13800003333", first_visit_offset=None)
    assert generate(db, by=team.receptionist.id) == 1
    callback = only_callback(db, yesterday)
    assert callback.event_day == _day(-1)
    assert callback.due_day == today()
    assert callback.status == "open"
    assert callback.created_by_id == team.receptionist.id
    entries = listing(db).ready
    assert [entry.customer_name for entry in entries] == ["王小红"]
    assert entries[0].phone == "13800001111"  # in full on this list


def test_generation_twice_makes_nothing_new(db, team):
    add_customer(db, "王小红", "13800001111")
    assert generate(db) == 1
    assert generate(db) == 0
    assert count(db, Callback) == 1


def test_missed_days_are_carried_over_oldest_first(db, team):
    # Nobody opened the list for three days: those callbacks are made now, oldest first.
    add_customer(db, "三天前", "13800001111", first_visit_offset=-4)
    add_customer(db, "昨天", "13800002222", first_visit_offset=-1)
    add_customer(db, "两天前", "13800003333", first_visit_offset=-2)
    add_customer(db, "太久以前", "13800004444", first_visit_offset=-30)
    assert generate(db) == 3
    entries = listing(db).ready
    assert [entry.customer_name for entry in entries] == ["三天前", "两天前", "昨天"]
    assert [entry.due_day for entry in entries] == [_day(-3), _day(-1), _day(0)]


def test_manager_rule_deal_closed(db, team):
    dealer = add_customer(db, "成交客", "13800001111", first_visit_offset=None)
    no_deal = add_customer(db, "未成交", "13800002222", first_visit_offset=None)
    with db.write() as session:
        rule = callbacks.add_rule(session, name="成交后两天", event="deal_closed",
                                  days_after=2, by=team.manager.id)
    # The rule was made two days ago (so its callbacks due today are not "before it").
    with db.write() as session:
        stored = session.get(CallbackRule, rule.id)
        stored.created_at = at("2026-11-20T09:00:00").datetime
        session.add(stored)
    add_visit(db, dealer, _day(-2), "deal")
    add_visit(db, dealer, _day(-2), "deal")  # two deals the same day: one callback
    add_visit(db, no_deal, _day(-2), "no_deal")
    add_visit(db, dealer, _day(-1), "deal")  # due tomorrow, not yet
    assert generate(db) == 1
    callback = only_callback(db, dealer)
    assert (callback.rule_id, callback.event_day, callback.due_day) == (rule.id, _day(-2),
                                                                         today())
    with db.write() as session:
        assert callbacks.generate(session, _day(1), by=None) == 1


def test_manager_rule_three_days_after_check_out(db, team):
    mother = add_customer(db, "李妈妈", "13800001111", first_visit_offset=None)
    with db.write() as session:
        session.add(Stay(customer_id=mother.id, room="801", check_in_day=_day(-31),
                         check_out_day=_day(-3), created_at=clock.now_utc()))
        session.add(Stay(customer_id=mother.id, room="802", check_in_day=_day(-5),
                         check_out_day=None, created_at=clock.now_utc()))
        rule = callbacks.add_rule(session, name="出所3天回访", event="check_out",
                                  days_after=3, by=team.manager.id)
    assert generate(db) == 1
    callback = only_callback(db, mother)
    assert (callback.rule_id, callback.event_day, callback.due_day) == (rule.id, _day(-3),
                                                                         today())
    entry = listing(db).ready[0]
    assert entry.rule_name == "出所3天回访"


def test_a_new_rule_does_not_dig_up_callbacks_due_before_it_existed(db, team):
    mother = add_customer(db, "李妈妈", "13800001111", first_visit_offset=None)
    with db.write() as session:
        session.add(Stay(customer_id=mother.id, check_in_day=_day(-40), check_out_day=_day(-5),
                         created_at=clock.now_utc()))
        callbacks.add_rule(session, name="出所3天", event="check_out", days_after=3,
                           by=team.manager.id)
    assert generate(db) == 0


def test_only_a_manager_adds_rules_and_the_rule_is_checked(db, team):
    with db.write() as session, pytest.raises(CallbackError):
        callbacks.add_rule(session, name="x", event="check_out", days_after=3,
                           by=team.receptionist.id)
    for name, event, days_after in [("", "check_out", 3), ("x", "birthday", 3),
                                    ("x", "check_out", -1), ("x" * 101, "check_out", 1)]:
        with db.write() as session, pytest.raises(ValidationError):
            callbacks.add_rule(session, name=name, event=event, days_after=days_after,
                               by=team.manager.id)
    assert count(db, CallbackRule) == 0


# --- attempts, retries, opening hours ------------------------------------------------


def _one_callback(db, team):
    customer = add_customer(db, "王小红", "13800001111")
    generate(db)
    return only_callback(db, customer).id


def test_no_answer_retries_a_few_hours_later(db, team):
    callback_id = _one_callback(db, team)
    attempt(db, callback_id, "no_answer", team.receptionist.id)
    callback = only_callback_by_id(db, callback_id)
    assert callback.attempts == 1
    assert callback.last_outcome == "no_answer"
    assert clock.local(callback.next_try_at) == at("2026-11-22T13:00:00")
    assert listing(db).ready == []
    assert [e.callback_id for e in listing(db).waiting] == [callback_id]
    clock.set(at("2026-11-22T13:00:00"))
    assert [e.callback_id for e in listing(db).ready] == [callback_id]
    with db.read() as session:
        (stored, who), = callbacks.attempts_of(session, callback_id)
    assert (stored.outcome, who, stored.day) == ("no_answer", "李前台", today())
    assert clock.local(stored.at) == at("2026-11-22T10:00:00")


def only_callback_by_id(db, callback_id):
    with db.read() as session:
        return session.get(Callback, callback_id)


def test_retry_after_the_last_try_of_the_day_moves_to_the_next_morning(db, team):
    callback_id = _one_callback(db, team)
    clock.set(at("2026-11-22T19:30:00"))
    attempt(db, callback_id, "busy", team.receptionist.id)
    callback = only_callback_by_id(db, callback_id)
    assert clock.local(callback.next_try_at) == at("2026-11-23T09:00:00")
    # Not to call tonight, nor at 08:30 the next day (before opening), but still counted
    # as waiting for its next try: a carried-over callback is never invisible.
    assert listing(db).ready == []
    assert [e.callback_id for e in listing(db).waiting] == [callback_id]
    clock.set(at("2026-11-23T08:30:00"))
    assert listing(db).ready == []
    assert [e.callback_id for e in listing(db).waiting] == [callback_id]
    # …but from opening time it is there again, carried over with its attempt count.
    clock.set(at("2026-11-23T09:00:00"))
    generate(db)
    ready = listing(db).ready
    assert [(e.callback_id, e.attempts, e.last_outcome) for e in ready] == [
        (callback_id, 1, "busy")]
    assert ready[0].carried_over


def test_retry_never_falls_outside_opening_hours(db, team):
    with db.write() as session:
        settings.put(session, "opening_hours", ["10:00", "18:00"], by=team.manager.id)
        settings.put(session, "callback_retry_hours", 2, by=team.manager.id)
        hours = callbacks.opening_hours(session)
    cases = {
        "2026-11-22T07:00:00": "2026-11-22T10:00:00",  # night shift: at opening
        "2026-11-22T10:00:00": "2026-11-22T12:00:00",
        "2026-11-22T15:59:00": "2026-11-22T17:59:00",
        "2026-11-22T16:00:00": "2026-11-23T10:00:00",  # 18:00 is closing: next morning
        "2026-11-22T23:30:00": "2026-11-23T10:00:00",
    }
    for made_at, expected in cases.items():
        retry = callbacks.next_try(at(made_at).datetime, retry_hours=2, hours=hours)
        assert clock.local(retry) == at(expected), made_at
        assert callbacks.within_opening_hours(retry, hours)


def test_max_attempts_closes_as_unreached(db, team):
    with db.write() as session:
        settings.put(session, "callback_max_attempts", 3, by=team.manager.id)
    callback_id = _one_callback(db, team)
    for hour, outcome in [("10:00", "no_answer"), ("13:00", "busy"), ("16:00", "no_answer")]:
        clock.set(at(f"2026-11-22T{hour}:00"))
        attempt(db, callback_id, outcome, team.receptionist.id)
    callback = only_callback_by_id(db, callback_id)
    assert (callback.status, callback.attempts, callback.next_try_at) == ("unreached", 3, None)
    assert callback.closed_at is not None
    clock.set(at("2026-11-23T10:00:00"))
    assert listing(db).ready == [] and listing(db).waiting == []
    with db.write() as session, pytest.raises(CallbackError):
        callbacks.record_attempt(session, callback_id, "no_answer", by=team.receptionist.id)
    assert count(db, CallbackAttempt) == 3


def test_max_attempts_across_days_with_the_default_settings(db, team):
    callback_id = _one_callback(db, team)
    maximum = settings.DEFAULTS["callback_max_attempts"]
    for _number in range(maximum):
        callback = only_callback_by_id(db, callback_id)
        if callback.next_try_at is not None:
            clock.set(clock.local(callback.next_try_at))
        assert [e.callback_id for e in listing(db).ready] == [callback_id]
        attempt(db, callback_id, "no_answer", team.receptionist.id)
    callback = only_callback_by_id(db, callback_id)
    assert (callback.status, callback.attempts) == ("unreached", maximum)
    with db.read() as session:
        days_tried = {a.day for a, _who in callbacks.attempts_of(session, callback_id)}
    assert len(days_tried) >= 2  # 10:00, 13:00, 16:00, 19:00, next morning…


def test_call_back_later_at_a_time(db, team):
    callback_id = _one_callback(db, team)
    with db.write() as session, pytest.raises(ValidationError):
        callbacks.record_attempt(session, callback_id, "later", by=team.receptionist.id,
                                 call_back_at=at("2026-11-22T22:30:00").datetime)
    with db.write() as session, pytest.raises(ValidationError):
        callbacks.record_attempt(session, callback_id, "later", by=team.receptionist.id,
                                 call_back_at=at("2026-11-22T09:30:00").datetime)
    with db.write() as session, pytest.raises(ValidationError):
        callbacks.record_attempt(session, callback_id, "later", by=team.receptionist.id)
    attempt(db, callback_id, "later", team.receptionist.id,
            call_back_at=callbacks.parse_later("15:30"))
    assert listing(db).ready == []
    assert [e.callback_id for e in listing(db).waiting] == [callback_id]
    clock.set(at("2026-11-22T15:29:00"))
    assert listing(db).ready == []
    clock.set(at("2026-11-22T15:30:00"))
    assert [e.callback_id for e in listing(db).ready] == [callback_id]
    assert only_callback_by_id(db, callback_id).status == "open"


def test_parse_later_times():
    assert clock.local(callbacks.parse_later("15:30")) == at("2026-11-22T15:30:00")
    assert clock.local(callbacks.parse_later("9:05")) == at("2026-11-23T09:05:00")  # past
    assert clock.local(callbacks.parse_later("11-25 10:00")) == at("2026-11-25T10:00:00")
    assert clock.local(callbacks.parse_later("2027-01-02 11:00")) == at("2027-01-02T11:00:00")
    assert clock.local(callbacks.parse_later("15：30")) == at("2026-11-22T15:30:00")
    for bad in ["", "soon", "25:00", "[red]x[/red]"]:
        with pytest.raises(ValidationError):
            callbacks.parse_later(bad)


@pytest.mark.parametrize("outcome,status", [("wrong_number", "wrong_number"),
                                            ("declined", "declined")])
def test_wrong_number_and_declined_close_the_callback(db, team, outcome, status):
    callback_id = _one_callback(db, team)
    attempt(db, callback_id, outcome, team.receptionist.id, note="空号")
    callback = only_callback_by_id(db, callback_id)
    assert (callback.status, callback.attempts, callback.last_outcome) == (status, 1, outcome)
    assert listing(db).ready == []


def test_reached_needs_the_survey(db, team):
    callback_id = _one_callback(db, team)
    with db.write() as session, pytest.raises(CallbackError):
        callbacks.record_attempt(session, callback_id, "reached", by=team.receptionist.id)
    with db.write() as session, pytest.raises(CallbackError):
        callbacks.record_attempt(session, callback_id, "gone", by=team.receptionist.id)


def test_writes_on_a_signed_off_day_are_refused(db, team):
    callback_id = _one_callback(db, team)
    with db.write() as session:
        session.add(DayEvent(day=today(), kind="signoff", created_at=clock.now_utc(),
                             created_by_id=team.manager.id))
    with db.write() as session, pytest.raises(DayClosedError):
        callbacks.record_attempt(session, callback_id, "busy", by=team.receptionist.id)
    with db.write() as session, pytest.raises(DayClosedError):
        callbacks.record_survey(session, callback_id, {"company": Answer(5, "好")},
                                by=team.receptionist.id)
    with db.write() as session, pytest.raises(DayClosedError):
        callbacks.generate(session, by=None)
    assert only_callback_by_id(db, callback_id).attempts == 0


# --- survey --------------------------------------------------------------------------


def _answers(*scores, texts=("前台热情", "手法专业", "解答及时", "[red]无[/red]")):
    return {prefix: Answer(score, text)
            for (prefix, _), score, text in zip(callbacks.QUESTIONS, scores, texts, strict=True)}


def test_survey_saves_one_record_and_closes_the_callback(db, team):
    callback_id = _one_callback(db, team)
    clock.set(at("2026-11-22T11:15:00"))
    with db.write() as session:
        callbacks.record_survey(session, callback_id, _answers(5, 4, 3, None),
                                by=team.receptionist.id)
    with db.read() as session:
        survey = session.exec(select(CallbackSurvey)).one()
        (reached, who), = callbacks.attempts_of(session, callback_id)
    assert (survey.front_desk_score, survey.beautician_score, survey.consultant_score,
            survey.company_score) == (5, 4, 3, None)
    assert survey.company_text == "[red]无[/red]"
    assert survey.created_by_id == team.receptionist.id
    assert clock.local(survey.created_at) == at("2026-11-22T11:15:00")
    assert (reached.outcome, who) == ("reached", "李前台")
    callback = only_callback_by_id(db, callback_id)
    assert (callback.status, callback.attempts, callback.flagged) == ("reached", 1, False)
    with db.write() as session, pytest.raises(CallbackError):
        callbacks.record_survey(session, callback_id, _answers(5, 5, 5, 5), by=None)
    assert count(db, CallbackSurvey) == 1


def test_a_low_score_flags_the_callback_for_the_manager(db, team):
    callback_id = _one_callback(db, team)
    with db.write() as session:
        callbacks.record_survey(session, callback_id, _answers(5, 2, 4, 4),
                                by=team.receptionist.id)
    assert only_callback_by_id(db, callback_id).flagged
    with db.read() as session:
        assert today_at_a_glance(session).callbacks_flagged == 1
        assert [e.callback_id for e in callbacks.flagged(session)] == [callback_id]
    with db.write() as session, pytest.raises(CallbackError):
        callbacks.clear_flag(session, callback_id, by=team.receptionist.id)
    with db.write() as session:
        callbacks.clear_flag(session, callback_id, by=team.manager.id)
    with db.read() as session:
        assert today_at_a_glance(session).callbacks_flagged == 0


def test_survey_scores_are_checked(db, team):
    callback_id = _one_callback(db, team)
    for bad in [_answers(0, 3, 3, 3), _answers(6, 3, 3, 3),
                {prefix: Answer() for prefix, _ in callbacks.QUESTIONS}]:
        with db.write() as session, pytest.raises(ValidationError):
            callbacks.record_survey(session, callback_id, bad, by=team.receptionist.id)
    assert only_callback_by_id(db, callback_id).status == "open"


# --- summary -------------------------------------------------------------------------


def test_summary_reached_rate_and_averages_per_question_and_consultant(db, team):
    zhang, chen = team.consultants[0], team.consultants[1]
    made = [add_customer(db, f"客{n}", f"1380000{n:04d}", consultant=consultant)
            for n, consultant in enumerate([zhang, zhang, chen, chen, None])]
    generate(db)
    ids = [only_callback(db, customer).id for customer in made]
    with db.write() as session:
        callbacks.record_survey(session, ids[0], _answers(5, 4, 3, 2), by=None)
        callbacks.record_survey(session, ids[1], _answers(3, 4, 5, None), by=None)
        callbacks.record_survey(session, ids[2], _answers(4, 4, 4, 4), by=None)
        callbacks.record_attempt(session, ids[3], "wrong_number", by=None)
    with db.read() as session:
        result = callbacks.summary(session, today(), today())
        text = callbacks.summary_csv(session, today(), today())
    assert (result.total.callbacks, result.total.reached, result.total.closed_unreached,
            result.total.still_open, result.total.flagged) == (5, 3, 1, 1, 1)
    assert result.total.reached_rate == pytest.approx(0.6)
    assert result.total.averages == pytest.approx(
        {"front_desk": 4.0, "beautician": 4.0, "consultant": 4.0, "company": 3.0})
    by_name = {row.consultant_name: row for row in result.by_consultant}
    assert set(by_name) == {"张咨询", "陈咨询", ""}
    assert (by_name["张咨询"].callbacks, by_name["张咨询"].reached) == (2, 2)
    assert by_name["张咨询"].averages == pytest.approx(
        {"front_desk": 4.0, "beautician": 4.0, "consultant": 4.0, "company": 2.0})
    assert by_name["陈咨询"].reached_rate == pytest.approx(0.5)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["From", "To", "Consultant", "Callbacks", "Reached"]
    assert rows[1][2:5] == ["All", "5", "3"]
    assert rows[1][7] == "0.600"
    assert rows[1][-4:] == ["4.00", "4.00", "4.00", "3.00"]
    assert {row[2] for row in rows[2:]} == {"张咨询", "陈咨询", "(no consultant)"}
    with db.read() as session:
        empty = callbacks.summary(session, _day(-30), _day(-20))
        with pytest.raises(ValidationError):
            callbacks.summary(session, today(), _day(-1))
    assert empty.total.callbacks == 0 and empty.total.reached_rate is None


def test_export_writes_the_csv_file(db, team, tmp_path):
    add_customer(db, "王小红", "13800001111", consultant=team.consultants[0])
    generate(db)
    with db.read() as session:
        written = callbacks.export_summary(session, today(), today(), tmp_path / "out")
    assert written == tmp_path / "out"
    assert written.read_text(encoding="utf-8-sig").splitlines()[1].split(",")[2:4] == [
        "All", "1"]
    folder = tmp_path / "reports"
    folder.mkdir()
    with db.read() as session:
        into_folder = callbacks.export_summary(session, today(), today(), folder)
        assert into_folder.parent == folder and into_folder.name.startswith("callbacks-")
        blocker = tmp_path / "file"
        blocker.write_text("x")
        with pytest.raises(CallbackError):
            callbacks.export_summary(session, today(), today(), blocker / "sub" / "x.csv")


def test_settings_rows_are_untouched_by_reads(db, team):
    # Reading the list never writes settings (defaults come from DEFAULTS).
    listing(db)
    assert count(db, Setting) == 1  # clinic_name from setup
