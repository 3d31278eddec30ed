"""Arrival notice and confirmations, the first week's visits, requests and complaints."""

from datetime import timedelta

import pytest

from reception import stays
from reception.clock import clock
from reception.errors import ValidationError
from tests.conftest import today
from tests.unit.stays.helpers import arrive_today, check_in, rooms, sign


@pytest.fixture
def staying(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    arrive_today(db, team, contract_id)
    check_in(db, team, contract_id)
    return contract_id


def test_the_notice_and_each_departments_confirmation(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    with db.write() as session:
        contract = stays.get(session, contract_id)
        stays.update_archive(session, contract_id, {
            "due_day": contract.due_day.isoformat(),
            "arrival_day": (today() + timedelta(days=1)).isoformat(),
            "vouchers": "现金券 500 元", "extras": "赠送满月照"}, by=None)
        stays.confirm(session, contract_id, "kitchen", "张厨师长", by=team.receptionist.id)
    with db.read() as session:
        notice = stays.notice(session, contract_id)
        assert (notice.name, notice.phone, notice.number) == ("王小红", "13800001111",
                                                              "YZ-2026-001")
        assert notice.room == "601" and notice.vouchers == "现金券 500 元"
        assert notice.confirmed["kitchen"][0] == "张厨师长"
        assert notice.missing == ["manager", "nursing", "nurses", "repair", "nutritionist"]
        [(found, missing)] = stays.unconfirmed_before(session, today())
        assert found.contract_id == contract_id and len(missing) == 5
    with pytest.raises(ValidationError), db.write() as session:
        stays.confirm(session, contract_id, "kitchen", "again", by=None)
    with db.write() as session:
        for department in ("manager", "nursing", "nurses", "repair", "nutritionist"):
            stays.confirm(session, contract_id, department, "签字人", by=None)
    with db.read() as session:
        assert stays.unconfirmed_before(session, today()) == []


def test_the_first_week_visits_are_a_checklist(db, team, staying):
    with db.write() as session:
        stays.mark_visit(session, staying, 1, by=None)
    with pytest.raises(ValidationError) as raised, db.write() as session:
        stays.mark_visit(session, staying, 2, by=None)
    assert raised.value.message_key == "stays.visit_not_yet"
    clock.advance(days=1)
    with db.write() as session:
        assert stays.visit_day_of(stays.get(session, staying)) == 2
        stays.mark_visit(session, staying, 2, note="睡得好", by=None)
    with db.read() as session:
        checklist = stays.visits(session, staying)
    assert [bool(day.done_at) for day in checklist] == [True, True] + [False] * 5
    assert checklist[1].note == "睡得好" and checklist[6].day == today() + timedelta(days=5)


def test_a_complaint_unanswered_for_ten_minutes_is_flagged(db, team, staying):
    with db.write() as session:
        complaint = stays.add_request(session, staying, kind="complaint", text="空调太吵",
                                      department="housekeeping", by=None).id
        stays.add_request(session, staying, kind="meal", text="少盐", department="kitchen",
                          by=None)
    clock.advance(minutes=10)
    with db.read() as session:
        assert stays.overdue_complaints(session) == 0
    clock.advance(minutes=1)
    with db.read() as session:
        assert stays.overdue_complaints(session) == 1  # the meal change is not a complaint
        assert [line.overdue for line in stays.open_requests(session)] == [True, False]
        assert len(stays.unanswered_complaints_of_day(session, today())) == 1
    with db.write() as session:
        stays.answer(session, complaint, "已通知房务部更换", done=False, by=None)
    with db.read() as session:
        assert stays.overdue_complaints(session) == 0
        assert stays.unanswered_complaints_of_day(session, today()) == []
        assert len(stays.open_requests(session)) == 2  # answered, not yet done
    with db.write() as session:
        stays.answer(session, complaint, "已修好", done=True, by=None)
    with db.read() as session:
        [left] = stays.open_requests(session)
        assert left.kind == "meal"
        assert stays.requests_of(session, staying)[0].answer == "已通知房务部更换\n已修好"


def test_a_complaint_still_open_goes_on_the_shift_handover(db, team, staying):
    from reception import handover

    with db.write() as session:
        complaint = stays.add_request(session, staying, kind="complaint", text="空调太吵",
                                      department="housekeeping", by=None).id
        stays.add_request(session, staying, kind="meal", text="少盐", department="kitchen",
                          by=None)
    with db.read() as session:
        (line,) = handover.contents(session)["complaints"]
        assert line.endswith("空调太吵")  # the meal change is not a complaint
        assert any(text.startswith("Complaints open (1)")
                   for text in handover.summary_lines(handover.contents(session)))
    with db.write() as session:
        stays.answer(session, complaint, "已换房", done=True, by=None)
    with db.read() as session:
        assert handover.contents(session)["complaints"] == []
