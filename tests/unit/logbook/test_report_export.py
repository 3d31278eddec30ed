"""The logbooks in `reception report` (counts, findings) and `reception export` (rows)."""

from reception import checklists, export, logbook, reconcile
from reception.clock import clock
from tests.conftest import at, today


def test_the_day_report_and_export_hold_the_logbooks(db, team):
    by = team.receptionist.id
    with db.write() as session:
        logbook.ensure_builtin_kinds(session)
        checklists.ensure_default_items(session)
        delivery = logbook.kind_by_code(session, "delivery").id
        first = logbook.add_entry(session, delivery, {"carrier": "顺丰", "recipient": "王总"},
                                  by=by).id
        logbook.add_entry(session, delivery, {"carrier": "EMS", "recipient": "=cmd()"}, by=by)
        logbook.correct(session, first, by=by, note="not ours")
        checklists.tick(session, checklists.items(session, "opening")[0].id, by=by)
    clock.set(at("2026-11-22T21:30"))
    with db.read() as session:
        report = reconcile.day_report(session, today())
        tables = export.day_records(session, today())
    assert report.logbook == {"Deliveries": 1, "Parking tickets": 0, "Supplies taken": 0,
                              "Drinks served": 0}
    lines = reconcile.report_lines(report)
    assert "Logbooks: Deliveries 1, Parking tickets 0, Supplies taken 0, Drinks served 0" in (
        lines)
    assert "  - Checklist not done: Opening 09:00 Music on" in lines
    assert reconcile.report_dict(report)["logbook"]["Deliveries"] == 1
    csv = reconcile.report_csv(report)
    assert "logbook,Deliveries,,,1" in csv
    assert [row["corrects_id"] for row in tables["log_entry"][1]] == [None, None, first]
    assert len(tables["checklist_tick"][1]) == 1 and len(tables["log_kind"][1]) == 4
    assert len(tables["checklist_item"][1]) == 11
    assert {"handover", "room_booking"} <= tables.keys()
    # The snapshot a sign-off keeps has them too.
    assert report.snapshot()["logbook"]["Deliveries"] == 1
