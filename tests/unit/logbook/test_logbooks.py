"""The logbooks: one append-only mechanism, built-in kinds with their rules, the manager's
own kinds, corrections as new entries."""

import pytest
from sqlmodel import select

from models import AuditEntry, LogEntry
from reception import logbook, reconcile
from reception.clock import clock
from reception.errors import DayClosedError, ValidationError
from tests.conftest import PIN, today
from tests.helpers.records import add_customer, add_visit


def kind_id(db, code):
    with db.write() as session:
        logbook.ensure_builtin_kinds(session)
        return logbook.kind_by_code(session, code).id


def add(db, code, values, by, pin=""):
    with db.write() as session:
        return logbook.add_entry(session, kind_id(db, code), values, by=by.id, pin=pin).id


def test_builtin_kinds_are_added_once_in_order(db, team):
    with db.write() as session:
        logbook.ensure_builtin_kinds(session)
        logbook.ensure_builtin_kinds(session)
        names = [kind.name for kind in logbook.kinds(session)]
    assert names == ["Deliveries", "Parking tickets", "Supplies taken", "Drinks served"]


def test_a_delivery_is_signed_for_by_whoever_is_at_the_desk(db, team):
    entry_id = add(db, "delivery", {"carrier": "顺丰", "recipient": "王总", "parcels": "2",
                                    "time": "9:40"}, team.receptionist)
    with db.read() as session:
        (line,) = logbook.lines(session, today())
    assert line.entry_id == entry_id
    assert line.values == {"carrier": "顺丰", "recipient": "王总", "parcels": 2,
                           "signed_by": "李前台", "handed_to": "", "time": "09:40"}
    assert clock.local(line.at).format("HH:mm") == "09:40"
    with db.write() as session, pytest.raises(ValidationError) as refused:
        logbook.add_entry(session, kind_id(db, "delivery"),
                          {"carrier": "EMS", "recipient": "x", "time": "11:00"},
                          by=team.receptionist.id)
    assert refused.value.field == "time" and str(refused.value) == "11:00 is still to come"
    with db.write() as session, pytest.raises(ValidationError) as refused:
        logbook.add_entry(session, kind_id(db, "delivery"), {"carrier": "EMS"},
                          by=team.receptionist.id)
    assert refused.value.field == "recipient"


def test_parking_ticket_only_for_a_customer_who_paid_today(db, team):
    by = team.receptionist.id
    with db.write() as session:
        paid = add_customer(session, by, name="王小红", phone="13800001234")
        add_visit(session, by, paid, outcome="deal")
        browsing = add_customer(session, by, name="李四", phone="13900005678")
        add_visit(session, by, browsing, outcome="no_deal")
        add_customer(session, by, name="昨天来", phone="13700009999")
    parking = kind_id(db, "parking")
    for query, message in [
        ("李四", "李四 has no payment or closed deal today: no parking ticket"),
        ("昨天来", "No customer “昨天来” visited today"),
    ]:
        with db.write() as session, pytest.raises(ValidationError) as refused:
            logbook.add_entry(session, parking, {"customer": query, "plate": "沪a1"}, by=by)
        assert refused.value.field == "customer" and str(refused.value) == message
    with db.read() as session:
        assert logbook.lines(session, today()) == []
    # Found by the phone's last four digits as well as by name.
    add(db, "parking", {"customer": "1234", "plate": "沪a12345"}, team.receptionist)
    with db.read() as session:
        (line,) = logbook.lines(session, today())
        (entry,) = session.exec(select(LogEntry)).all()
    assert line.values == {"customer": "王小红", "plate": "沪A12345", "tickets": 1}
    assert entry.customer_id == paid.id


def test_supplies_are_confirmed_by_the_requester_name_and_pin(db, team):
    supplies = kind_id(db, "supplies")
    values = {"department": "美容部", "item": "纸巾", "quantity": "3", "purpose": "治疗室",
              "requester": "孙美容"}
    for pin, message in [("", "孙美容 confirms with their PIN"),
                         ("9999", "Wrong PIN for 孙美容")]:
        with db.write() as session, pytest.raises(ValidationError) as refused:
            logbook.add_entry(session, supplies, values, by=team.receptionist.id, pin=pin)
        assert refused.value.field == "pin" and str(refused.value) == message
    with db.write() as session, pytest.raises(ValidationError) as refused:
        logbook.add_entry(session, supplies, {**values, "requester": "nobody"},
                          by=team.receptionist.id, pin=PIN)
    assert refused.value.field == "requester"
    add(db, "supplies", values, team.receptionist, pin=PIN)
    with db.read() as session:
        (line,) = logbook.lines(session, today())
        (entry,) = session.exec(select(LogEntry)).all()
    assert line.values["quantity"] == 3 and entry.staff_id == team.beautician.id
    assert PIN not in entry.data


def test_drinks_go_to_a_guest_of_today_and_are_counted(db, team):
    by = team.receptionist.id
    with db.write() as session:
        customer = add_customer(session, by, name="王小红")
        visit = add_visit(session, by, customer, departed=False)
    with db.write() as session, pytest.raises(ValidationError) as refused:
        logbook.add_entry(session, kind_id(db, "drinks"), {"drink": "茶", "served_to": "路人"},
                          by=by)
    assert refused.value.field == "served_to"
    add(db, "drinks", {"drink": "柠檬水", "served_to": "王小红", "count": "2"}, team.receptionist)
    add(db, "drinks", {"drink": "茶", "served_to": "王小红", "served_by": "周收银"},
        team.receptionist)
    with db.read() as session:
        first, second = logbook.lines(session, today())
        entries = session.exec(select(LogEntry).order_by(LogEntry.id)).all()
        assert logbook.drinks_served(session, today()) == 3
    assert first.values["served_by"] == "李前台" and second.values["served_by"] == "周收银"
    assert entries[0].visit_id == visit.id and entries[1].staff_id == team.cashier.id


def test_corrections_are_new_entries_and_entries_cannot_change(db, team):
    entry_id = add(db, "delivery", {"carrier": "顺丰", "recipient": "王总"}, team.receptionist)
    with db.write() as session, pytest.raises(ValidationError) as refused:
        logbook.correct(session, entry_id, by=team.receptionist.id, note=" ",
                        values={"carrier": "EMS", "recipient": "王总"})
    assert refused.value.field == "note"
    with db.write() as session:
        logbook.correct(session, entry_id, by=team.receptionist.id, note="handed on",
                        values={"carrier": "顺丰", "recipient": "王总", "handed_to": "王经理",
                                "time": "10:00"})
    with db.read() as session:
        (line,) = logbook.lines(session, today())
        rows = session.exec(select(LogEntry).order_by(LogEntry.id)).all()
    assert line.corrected and not line.struck and line.values["handed_to"] == "王经理"
    assert [row.corrects_id for row in rows] == [None, entry_id]
    assert rows[0].data != rows[1].data  # the first entry is as it was written
    with db.write() as session:
        logbook.correct(session, entry_id, by=team.receptionist.id, note="wrong desk")
    with db.read() as session:
        (line,) = logbook.lines(session, today())
        assert line.struck and logbook.lines(session, today(), include_struck=False) == []
        assert logbook.counts(session, today())["Deliveries"] == 0
    with db.write() as session, pytest.raises(logbook.LogbookError):
        logbook.correct(session, entry_id, by=team.receptionist.id, note="again")
    # The store refuses an entry changed or removed in place, and keeps it.
    with pytest.raises(logbook.LogbookError, match="append-only"), db.write() as session:
        entry = session.get(LogEntry, entry_id)
        entry.data = "{}"
    with pytest.raises(logbook.LogbookError), db.write() as session:
        session.delete(session.get(LogEntry, entry_id))
    with db.read() as session:
        assert len(session.exec(select(LogEntry)).all()) == 3
        actions = [row.action for row in session.exec(select(AuditEntry))]
    assert actions.count("log_correct") == 2
    assert not hasattr(logbook, "update_entry") and not hasattr(logbook, "delete_entry")


def test_the_manager_adds_a_kind_of_her_own(db, team):
    with db.write() as session, pytest.raises(logbook.LogbookError):
        logbook.add_kind(session, name="失物招领", fields="物品\n捡到地点",
                         by=team.receptionist.id)
    with db.write() as session:
        logbook.ensure_builtin_kinds(session)
        lost = logbook.add_kind(session, name="失物招领", fields="物品，捡到地点",
                                by=team.manager.id).id
        with pytest.raises(ValidationError):
            logbook.add_kind(session, name="失物招领", fields="x", by=team.manager.id)
    with db.read() as session:
        kind = logbook.kind(session, lost)
    assert kind.fields == (("f1", "物品"), ("f2", "捡到地点"))
    with db.write() as session, pytest.raises(ValidationError) as refused:
        logbook.add_entry(session, lost, {}, by=team.receptionist.id)
    assert refused.value.field == "f1"
    with db.write() as session:
        logbook.add_entry(session, lost, {"f1": "雨伞", "f2": "大厅"}, by=team.receptionist.id)
        logbook.update_kind(session, lost, name="失物", fields="物品", active=False,
                            by=team.manager.id)
        assert [k.name for k in logbook.kinds(session)][-1] == "Drinks served"
        assert logbook.counts(session, today())["失物"] == 1


def test_a_signed_off_day_takes_no_entry(db, team):
    clock.set("2026-11-22T22:00:00+08:00")
    with db.write() as session:
        reconcile.sign_off(session, today(), by=team.manager.id)
    with db.write() as session, pytest.raises(DayClosedError):
        logbook.add_entry(session, kind_id(db, "delivery"), {"carrier": "a", "recipient": "b"},
                          by=team.receptionist.id)
