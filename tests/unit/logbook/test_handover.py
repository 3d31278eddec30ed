"""Shift handover: the note and what the app knows, acknowledged with the incoming staff
member's PIN; the one not acknowledged is found for her at sign-in."""

import pytest
from sqlmodel import select

from models import Handover
from reception import calls, checklists, handover, keys, logbook, visitors
from reception.clock import clock
from reception.errors import ValidationError
from tests.conftest import PIN, at, today
from tests.helpers.records import add_customer, add_visit


def test_the_handover_holds_the_note_and_what_the_app_knows(db, team):
    by = team.receptionist.id
    clock.set(at("2026-11-22T09:40"))
    with db.write() as session:
        inside = add_customer(session, by, name="王小红")
        add_visit(session, by, inside, departed=False)
        gone = add_customer(session, by, name="走了的")
        add_visit(session, by, gone, departed=True)
        visitors.log_visitor(session, by=by, kind="boss", name="陈总", host="王经理")
        archive, _vip = keys.ensure_default_keys(session, by=team.manager.id)
        keys.lend(session, key_id=archive.id, staff_id=team.consultants[0].id, by=by,
                  purpose="病例")
        calls.take_message(session, recipient_id=team.doctor.id, caller_name="刘女士",
                            phone="13800001111", matter="改约", by=by)
        logbook.ensure_builtin_kinds(session)
        logbook.add_entry(session, logbook.kind_by_code(session, "drinks").id,
                          {"drink": "茶", "served_to": "王小红", "count": "2"}, by=by)
        checklists.ensure_default_items(session)
    clock.set(at("2026-11-22T10:10"))
    with db.write() as session:
        written = handover.write(session, note="前台打印机缺纸", by=by)
    with db.read() as session:
        (note,) = handover.of_day(session, today())
    assert note.handover.id == written.id and note.from_name == "李前台"
    contents = note.contents
    assert contents["customers"] == ["王小红 (08:40)"]
    assert contents["visitors"] == ["陈总 (09:40)"]
    assert contents["keys"] == ["档案室 · 张咨询 (09:40)"]
    assert contents["messages"] == ["刘女士 → 赵医生"]
    assert contents["drinks"] == 2
    assert contents["checklist"][:2] == ["Opening 09:00 Desk and water bar lights on",
                                         "Opening 09:00 Music on"]
    assert "Patrol 10:00 Walk round, collect the cups" in contents["checklist"]
    assert "Patrol 10:30 Walk round, collect the cups" not in contents["checklist"]
    assert note.handover.note == "前台打印机缺纸"
    assert isinstance(contents["callbacks"], list)


def test_acknowledged_with_the_pin_of_the_incoming_staff_member(db, team):
    with db.write() as session:
        written = handover.write(session, note="交班", by=team.receptionist.id).id
    with db.read() as session:
        assert handover.pending(session, team.cashier.id).handover.id == written
        # Her own handover is not waiting for her.
        assert handover.pending(session, team.receptionist.id) is None
    with db.write() as session, pytest.raises(ValidationError) as refused:
        handover.acknowledge(session, written, pin="0000", by=team.cashier.id)
    assert refused.value.field == "pin" and str(refused.value) == "Wrong PIN for 周收银"
    with db.write() as session, pytest.raises(handover.HandoverError) as refused:
        handover.acknowledge(session, written, pin=PIN, by=team.receptionist.id)
    assert str(refused.value) == "You cannot acknowledge your own handover"
    with db.read() as session:
        assert session.exec(select(Handover)).one().acknowledged_at is None
    clock.advance(minutes=5)
    with db.write() as session:
        handover.acknowledge(session, written, pin=PIN, by=team.cashier.id)
    with db.read() as session:
        (note,) = handover.of_day(session, today())
        assert handover.pending(session, team.doctor.id) is None
    assert note.acknowledged_by == "周收银"
    assert note.handover.acknowledged_at == clock.now_utc()
    with db.write() as session, pytest.raises(handover.HandoverError) as refused:
        handover.acknowledge(session, written, pin=PIN, by=team.doctor.id)
    assert str(refused.value) == "周收银 acknowledged it at 10:05"


def test_wrong_pins_count_towards_the_sign_in_lock(db, team):
    from reception import lockout

    with db.write() as session:
        written = handover.write(session, note="交班", by=team.receptionist.id).id
    for _attempt in range(4):
        with db.write() as session, pytest.raises(ValidationError):
            handover.acknowledge(session, written, pin="0000", by=team.cashier.id)
    with db.write() as session, pytest.raises(ValidationError) as refused:
        handover.acknowledge(session, written, pin="0000", by=team.cashier.id)
    assert refused.value.field == "pin" and "locked" in str(refused.value)
    with db.read() as session:
        assert lockout.state(session, team.cashier.id).locked
    # Locked: even the right PIN is refused until the lock ends.
    with db.write() as session, pytest.raises(ValidationError):
        handover.acknowledge(session, written, pin=PIN, by=team.cashier.id)
    with db.read() as session:
        assert session.exec(select(Handover)).one().acknowledged_at is None
