"""Triage domain: the four paths, the rotation, the board, outcomes and case numbers."""

import pytest
from sqlmodel import select

from models import (
    Appointment,
    CaseFileRequest,
    CaseNumberDay,
    Customer,
    DayEvent,
    Visit,
    Visitor,
    VisitStatus,
)
from reception import appointments, case_numbers, customers, settings, triage
from reception.clock import clock
from reception.errors import DayClosedError, ValidationError
from tests.helpers.moment import at, today


def new_customer(db, team, name="王芳", phone="13800001111", consultant=None):
    with db.write() as session:
        return triage.triage_new_customer(
            session, name=name, phone=phone, by=team.receptionist.id,
            consultant_id=consultant.id if consultant else None)


def finish(db, team, visit_id, outcome="no_deal", items=""):
    with db.write() as session:
        return triage.record_outcome(session, visit_id, outcome=outcome, items=items,
                                     by=team.receptionist.id)


# --- rotation ------------------------------------------------------------------------


def test_rotation_starts_in_rota_order_and_skips_busy_consultants(db, team):
    first, second, third = team.consultants
    visit, _, _ = new_customer(db, team, phone="13800000001")
    assert visit.consultant_id == first.id
    assert visit.status == VisitStatus.WITH_CONSULTANT
    visit2, _, _ = new_customer(db, team, phone="13800000002")
    assert visit2.consultant_id == second.id
    visit3, _, _ = new_customer(db, team, phone="13800000003")
    assert visit3.consultant_id == third.id
    # Everyone busy: the one who got a new customer longest ago is next, and it waits.
    clock.advance(minutes=1)
    visit4, _, _ = new_customer(db, team, phone="13800000004")
    assert visit4.consultant_id == first.id
    assert visit4.status == VisitStatus.WAITING


def test_rotation_is_fair_over_a_day(db, team):
    """Customers arrive and leave one by one: each consultant gets the same number."""
    for number in range(12):
        clock.advance(minutes=5)
        visit, _, _ = new_customer(db, team, phone=f"138000{number:05d}")
        finish(db, team, visit.id)
    with db.read() as session:
        counts = {slot.consultant.id: slot.new_today for slot in triage.rotation(session,
                                                                                  today())}
    assert sorted(counts.values()) == [4, 4, 4]


def test_rotation_evens_out_after_an_override(db, team):
    first, second, third = team.consultants
    # The desk sent two customers to the third consultant by hand.
    for number in range(2):
        visit, _, _ = new_customer(db, team, phone=f"1390000000{number}", consultant=third)
        finish(db, team, visit.id)
    with db.read() as session:
        order = [slot.consultant.id for slot in triage.rotation(session, today())]
    assert order == [first.id, second.id, third.id]
    picks = []
    for number in range(4):
        clock.advance(minutes=1)
        visit, _, _ = new_customer(db, team, phone=f"1370000000{number}")
        picks.append(visit.consultant_id)
        finish(db, team, visit.id)
    # The two who had none catch up before the third gets another.
    assert picks[:2] == [first.id, second.id]
    assert picks.count(third.id) == 0 or picks.index(third.id) >= 2


def test_rotation_only_counts_consultants_on_todays_rota(db, team):
    from reception import staff as staff_service
    first, second, third = team.consultants
    with db.write() as session:
        staff_service.set_rota(session, today(), [third.id, second.id], by=team.manager.id)
    visit, _, _ = new_customer(db, team)
    assert visit.consultant_id == third.id
    with db.read() as session:
        assert [slot.consultant.id for slot in triage.rotation(session, today())] == [
            second.id, third.id]


def test_no_consultant_on_duty_means_waiting_without_one(db, team):
    from reception import staff as staff_service
    with db.write() as session:
        staff_service.set_rota(session, today(), [team.receptionist.id], by=team.manager.id)
    visit, _, _ = new_customer(db, team)
    assert visit.consultant_id is None and visit.status == VisitStatus.WAITING


# --- paths -----------------------------------------------------------------------------


def test_path_a_registers_and_triages_in_one_unit(db, team):
    with db.write() as session:
        visit, customer, created = triage.triage_new_customer(
            session, name="  林小红 ", phone="138 0000 1111", gender="f", interest="祛斑",
            source="朋友介绍", by=team.receptionist.id)
    assert created and customer.name == "林小红" and customer.phone == "13800001111"
    assert visit.path == "A" and visit.is_new and visit.purpose == "祛斑"
    assert customer.first_visit_day == today()
    assert customer.consultant_id == visit.consultant_id
    assert visit.created_by_id == team.receptionist.id


@pytest.mark.parametrize("name,phone,field", [("", "13800001111", "name"),
                                                ("王芳", "1234", "phone"),
                                                ("王芳", "", "phone")])
def test_invalid_fields_save_nothing(db, team, name, phone, field):
    with pytest.raises(ValidationError) as refused, db.write() as session:
        triage.triage_new_customer(session, name=name, phone=phone, by=team.receptionist.id)
    assert refused.value.field == field
    with db.read() as session:
        assert session.exec(select(Customer)).first() is None
        assert session.exec(select(Visit)).first() is None


def test_validate_reports_every_field(db, team):
    errors = triage.validate_customer_fields(name=" ", phone="abc")
    assert set(errors) == {"name", "phone"}


def test_duplicate_phone_uses_the_existing_customer_as_returning(db, team):
    yesterday_visit, first, _ = new_customer(db, team, name="王芳")
    finish(db, team, yesterday_visit.id)
    clock.advance(days=1)
    visit, again, created = new_customer(db, team, name="王芳芳", phone="+86 13800001111")
    assert not created and again.id == first.id
    assert visit.path == "C1" and not visit.is_new
    with db.read() as session:
        assert len(session.exec(select(Customer)).all()) == 1


def test_customer_already_in_the_building_is_not_triaged_twice(db, team):
    new_customer(db, team)
    with pytest.raises(triage.TriageError), db.write() as session:
        triage.triage_new_customer(session, name="王芳", phone="13800001111",
                                   by=team.receptionist.id)


def test_path_b_marks_the_appointment_arrived_and_uses_its_consultant(db, team):
    third = team.consultants[2]
    with db.write() as session:
        appointment = appointments.book(session, scheduled_at=at("2026-11-22T10:30").datetime,
                                        name="赵雪", phone="13900002222",
                                        consultant_id=third.id, purpose="水光针",
                                        by=team.receptionist.id)
    with db.write() as session:
        visit, customer, created = triage.triage_new_customer(
            session, name="赵雪", phone="13900002222", appointment_id=appointment.id,
            by=team.receptionist.id)
    assert created and visit.path == "B" and visit.consultant_id == third.id
    assert visit.purpose == "水光针"
    with db.read() as session:
        stored = session.get(Appointment, appointment.id)
        assert stored.status == "arrived" and stored.customer_id == customer.id


def test_returning_c1_goes_to_their_consultant(db, team):
    second = team.consultants[1]
    visit, customer, _ = new_customer(db, team, consultant=second)
    finish(db, team, visit.id)
    clock.advance(days=3)
    with db.read() as session:
        proposed, reason = triage.proposed_consultant(session, today(),
                                                      customer=session.get(Customer,
                                                                           customer.id))
    # Not on the rota of that day: the rotation decides.
    assert reason == "rotation"
    from reception import staff as staff_service
    with db.write() as session:
        staff_service.set_rota(session, today(), [c.id for c in team.consultants],
                               by=team.manager.id)
        proposed, reason = triage.proposed_consultant(session, today(),
                                                      customer=session.get(Customer,
                                                                           customer.id))
        assert (proposed.id, reason) == (second.id, "own")
        again = triage.start_visit(session, customer_id=customer.id, path="C1",
                                   consultant_id=proposed.id, by=team.receptionist.id)
    assert again.path == "C1" and not again.is_new
    assert again.status == VisitStatus.WITH_CONSULTANT


def test_c2_goes_to_treatment_and_requests_the_case_file(db, team):
    second = team.consultants[1]
    visit, customer, _ = new_customer(db, team, consultant=second)
    finish(db, team, visit.id, "deal", "光子嫩肤")
    clock.advance(days=1)
    with db.write() as session:
        again = triage.start_visit(session, customer_id=customer.id, path="C2",
                                   consultant_id=second.id, by=team.receptionist.id)
    assert again.status == VisitStatus.IN_TREATMENT
    with db.read() as session:
        request = session.exec(select(CaseFileRequest)).one()
    assert (request.customer_id, request.visit_id, request.consultant_id) == (
        customer.id, again.id, second.id)
    assert request.fulfilled_at is None and request.day == today()


# --- board and statuses ----------------------------------------------------------------


def test_board_moves_on_and_highlights_a_long_wait(db, team):
    for number in range(4):
        new_customer(db, team, phone=f"1380000000{number}")
    with db.read() as session:
        rows = triage.board(session)
    assert [row.status for row in rows] == ["with_consultant"] * 3 + ["waiting"]
    assert not any(row.alert for row in rows)
    clock.advance(minutes=16)
    with db.read() as session:
        rows = triage.board(session)
    assert [row.alert for row in rows] == [False, False, False, True]
    with db.write() as session:
        moved = triage.move_status(session, rows[3].record_id, by=team.receptionist.id)
    assert moved.status == VisitStatus.WITH_CONSULTANT
    with db.read() as session:
        assert triage.board(session)[3].alert is False
    with db.write() as session:
        triage.move_status(session, rows[0].record_id, by=team.receptionist.id)
        triage.move_status(session, rows[0].record_id, by=team.receptionist.id)
        with pytest.raises(triage.TriageError):
            triage.move_status(session, rows[0].record_id, by=team.receptionist.id)


def test_alert_minutes_come_from_settings(db, team):
    with db.write() as session:
        settings.put(session, "alert_minutes", {"with_consultant": 5}, by=team.manager.id)
    new_customer(db, team)
    clock.advance(minutes=6)
    with db.read() as session:
        assert triage.board(session)[0].alert


def test_visit_that_left_is_off_the_board(db, team):
    visit, _, _ = new_customer(db, team)
    finish(db, team, visit.id)
    with db.read() as session:
        assert triage.board(session) == []


# --- outcome and case numbers -----------------------------------------------------------


def test_first_deal_gets_a_case_number_a_later_deal_keeps_it(db, team):
    visit, customer, _ = new_customer(db, team)
    clock.advance(minutes=40)
    with db.write() as session:
        done = triage.record_outcome(session, visit.id, outcome="deal", items="光子嫩肤",
                                     amount_cents=128000, by=team.receptionist.id)
    assert done.status == VisitStatus.LEFT and done.departed_at == clock.now_utc()
    with db.read() as session:
        assert session.get(Customer, customer.id).case_number == "2026112201"
    clock.advance(days=1)
    with db.write() as session:
        again = triage.start_visit(session, customer_id=customer.id, path="C2",
                                   by=team.receptionist.id)
        triage.record_outcome(session, again.id, outcome="deal", items="复诊",
                              by=team.receptionist.id)
    with db.read() as session:
        assert session.get(Customer, customer.id).case_number == "2026112201"
        assert session.get(CaseNumberDay, today()) is None


def test_no_deal_gives_no_case_number_and_a_deal_needs_items(db, team):
    visit, customer, _ = new_customer(db, team)
    with pytest.raises(ValidationError) as refused, db.write() as session:
        triage.record_outcome(session, visit.id, outcome="deal", items=" ",
                              by=team.receptionist.id)
    assert refused.value.field == "items"
    finish(db, team, visit.id)
    with db.read() as session:
        assert session.get(Customer, customer.id).case_number is None
        assert session.get(Visit, visit.id).outcome == "no_deal"


def test_case_numbers_go_to_three_digits_after_99(db, team):
    with db.write() as session:
        numbers = [case_numbers.next_number(session, today()) for _ in range(101)]
    assert numbers[0] == "2026112201" and numbers[98] == "2026112299"
    assert numbers[99] == "20261122100" and numbers[100] == "20261122101"
    assert len(set(numbers)) == 101
    assert case_numbers.case_number(at("2013-11-01").date(), 1) == "2013110101"


def test_more_than_99_deals_in_a_day(db, team):
    for number in range(101):
        visit, _, _ = new_customer(db, team, name=f"顾客{number}", phone=f"138{number:08d}")
        finish(db, team, visit.id, "deal", "项目")
    with db.read() as session:
        numbers = sorted(session.exec(select(Customer.case_number)).all(),
                         key=lambda n: (len(n), n))
    assert numbers[0] == "2026112201" and numbers[-1] == "20261122101"
    assert len(set(numbers)) == 101


def test_amount_and_departure_parsing(db, team):
    assert triage.parse_amount("") is None
    assert triage.parse_amount("1,280.5") == 128050
    assert triage.parse_amount("¥99") == 9900
    for bad in ("abc", "-5", "nan"):
        with pytest.raises(ValidationError):
            triage.parse_amount(bad)
    visit, _, _ = new_customer(db, team)
    clock.advance(minutes=30)
    assert triage.parse_departure("10:20", visit) == at("2026-11-22T10:20").datetime
    assert triage.parse_departure("", visit) == clock.now_utc()
    for bad, key in (("9:00", "triage.departed_before_arrival"),
                     ("11:00", "triage.departed_in_future"), ("ab", "triage.time_invalid")):
        with pytest.raises(ValidationError) as refused:
            triage.parse_departure(bad, visit)
        assert refused.value.message_key == key


def test_signed_off_day_refuses_triage(db, team):
    with db.write() as session:
        session.add(DayEvent(day=today(), kind="signoff", created_at=clock.now_utc(),
                             created_by_id=team.manager.id))
    with pytest.raises(DayClosedError), db.write() as session:
        triage.triage_new_customer(session, name="王芳", phone="13800001111",
                                   by=team.receptionist.id)
    with db.read() as session:
        assert session.exec(select(Customer)).first() is None


def test_a_second_visit_the_same_day_is_a_returning_one(db, team):
    first, customer, _ = new_customer(db, team)
    finish(db, team, first.id, outcome="deal", items="光子")
    with db.write() as session:
        booked = appointments.book(session, scheduled_at=at("2026-11-22T15:00").datetime,
                                   name="王芳", phone="13800001111", by=team.receptionist.id)
    clock.advance(hours=5)
    with db.write() as session:
        again, same, created = triage.triage_new_customer(
            session, name="王芳", phone="13800001111", appointment_id=booked.id,
            by=team.receptionist.id)
    assert not created and same.id == customer.id
    assert first.is_new and not again.is_new


# --- fixing a visit afterwards ----------------------------------------------------------


def test_correct_visit_fixes_name_phone_consultant_outcome(db, team):
    visit, customer, _ = new_customer(db, team)
    other, _, _ = new_customer(db, team, name="别人", phone="13900009999")
    third = team.consultants[2]
    with pytest.raises(ValidationError) as refused, db.write() as session:
        triage.correct_visit(session, visit.id, phone="13900009999", name="新名",
                             by=team.receptionist.id)
    assert refused.value.field == "phone"
    with db.read() as session:
        assert session.get(Customer, customer.id).name == "王芳"
    clock.advance(minutes=30)
    with db.write() as session:
        triage.correct_visit(session, visit.id, name="王芳华", phone="13800002222",
                             consultant_id=third.id, outcome="deal", items="热玛吉",
                             departed_at=at("2026-11-22T10:25").datetime,
                             by=team.receptionist.id)
    with db.read() as session:
        fixed = triage.visit_detail(session, visit.id)
    assert fixed.customer.name == "王芳华" and fixed.customer.phone == "13800002222"
    assert fixed.customer.name_initials == "wfh"
    assert fixed.visit.consultant_id == third.id and fixed.visit.status == "left"
    assert fixed.customer.case_number == "2026112201"
    assert fixed.visit.departed_at == at("2026-11-22T10:25").datetime


def test_a_departure_without_an_outcome_names_the_outcome_keys_of_the_fix_form(db, team):
    visit, _, _ = new_customer(db, team)
    clock.advance(minutes=30)
    with pytest.raises(ValidationError) as refused, db.write() as session:
        triage.correct_visit(session, visit.id, departed_at=at("2026-11-22T10:25").datetime,
                             by=team.receptionist.id)
    assert refused.value.field == "outcome"
    # The fix form has the outcome field right there; "press o" would only type an o.
    assert "1" in str(refused.value) and "o)" not in str(refused.value)
    with db.read() as session:
        assert triage.visit_detail(session, visit.id).visit.departed_at is None


# --- visitors ---------------------------------------------------------------------------


def test_visitor_logged_decided_and_on_the_board(db, team):
    with db.write() as session:
        boss_visitor = triage.log_visitor(session, kind="boss", name="钱先生", host="老总",
                                          reason="谈合作", by=team.receptionist.id)
        courier = triage.log_visitor(session, kind="courier", name="顺丰",
                                     by=team.receptionist.id)
    assert boss_visitor.decision == "pending" and courier.decision == "received"
    with db.read() as session:
        rows = triage.board(session)
    assert [(row.record_type, row.name) for row in rows] == [("visitor", "钱先生"),
                                                            ("visitor", "顺丰")]
    with db.write() as session:
        triage.decide_visitor(session, boss_visitor.id, "declined", by=team.receptionist.id)
        triage.visitor_left(session, courier.id, by=team.receptionist.id)
    with db.read() as session:
        assert triage.board(session) == []
        assert session.get(Visitor, boss_visitor.id).left_at is not None
    with pytest.raises(ValidationError), db.write() as session:
        triage.log_visitor(session, kind="boss", name="无主", by=team.receptionist.id)


def test_search_finds_by_last_four_digits_and_case_number(db, team):
    visit, customer, _ = new_customer(db, team, phone="13812345678")
    finish(db, team, visit.id, "deal", "项目")
    with db.read() as session:
        assert [c.id for c in customers.search(session, "5678")] == [customer.id]
        assert [c.id for c in customers.search(session, "2026112201")] == [customer.id]


def test_a_visit_with_nobody_assigned_cannot_move_to_with_consultant(db, team):
    with db.write() as session:
        visit, _customer, _created = triage.triage_new_customer(
            session, name="王芳", phone="13800001111", by=team.receptionist.id,
            use_rotation=False)
    assert visit.consultant_id is None
    with pytest.raises(triage.TriageError) as refused, db.write() as session:
        triage.move_status(session, visit.id, by=team.receptionist.id)
    assert refused.value.message_key == "triage.consultant_needed"
    with db.read() as session:
        assert session.get(triage.Visit, visit.id).status == "waiting"
