"""Checklists with due times: opening, dusk by season, patrols through opening hours,
closing; overdue items; who ticked; the manager's items; a signed-off day."""

import pytest

from reception import checklists, reconcile, settings
from reception.clock import clock
from reception.errors import DayClosedError
from tests.conftest import at, today


def setup(db):
    with db.write() as session:
        checklists.ensure_default_items(session)
        return {checklists.item_text(item): item.id for item in checklists.items(session)}


def labels(slots):
    return [slot.label() for slot in slots]


def test_the_day_has_the_seeds_duties_at_their_times(db, team):
    ids = setup(db)
    with db.read() as session:
        slots = checklists.slots(session, today())
    # 5 opening duties, dusk, a patrol every 30 minutes 09:30–21:00 (24 rounds), 4 closing.
    assert len(slots) == 5 + 1 + 24 + 4
    assert labels(slots)[:7] == [
        "Opening 09:00 Desk and water bar lights on", "Opening 09:00 Music on",
        "Opening 09:00 Aroma lamp lit", "Opening 09:00 Water dispenser on, tea ready",
        "Opening 09:00 Desk tidy, devices working", "Patrol 09:30 Walk round, collect the cups",
        "Patrol 10:00 Walk round, collect the cups"]
    # 22 November is autumn: the advertising lights at 17:30 by default.
    assert "Dusk 17:30 Advertising lights on" in labels(slots)
    assert labels(slots)[-4:] == [f"Closing 21:00 {text}" for text in (
        "Cups washed and disinfected", "Dispenser, heater and AC off", "Devices counted",
        "Day's customer records checked")]
    assert len(ids) == 11


def test_dusk_moves_with_the_season_the_manager_sets(db, team):
    setup(db)
    with db.write() as session:
        settings.update(session, "dusk_times", "18:00 19:10 17:45 17:00", by=team.manager.id)
        settings.update(session, "patrol_minutes", "60", by=team.manager.id)
    with db.read() as session:
        slots = checklists.slots(session, today())
        values = settings.load(session)
    assert "Dusk 17:45 Advertising lights on" in labels(slots)
    assert len([slot for slot in slots if slot.checklist == "patrol"]) == 12
    assert values.dusk_on(at("2026-07-01T00:00").date()).strftime("%H:%M") == "19:10"
    assert values.dusk_on(at("2027-01-10T00:00").date()).strftime("%H:%M") == "17:00"
    with db.write() as session, pytest.raises(Exception) as refused:
        settings.update(session, "dusk_times", "18:00 19:00", by=team.manager.id)
    assert str(refused.value) == "Four times (spring summer autumn winter); 2 typed"


def test_overdue_items_across_opening_hours(db, team):
    ids = setup(db)
    clock.set(at("2026-11-22T08:30"))
    with db.read() as session:
        assert checklists.overdue(session) == []
        assert checklists.status_alert(session) == ""
    clock.set(at("2026-11-22T08:55"))
    with db.write() as session:
        for text in ("Desk and water bar lights on", "Music on", "Aroma lamp lit",
                     "Water dispenser on, tea ready"):
            checklists.tick(session, ids[text], by=team.receptionist.id)
    clock.set(at("2026-11-22T10:05"))
    with db.read() as session:
        late = checklists.overdue(session)
        alert = checklists.status_alert(session)
    assert labels(late) == ["Opening 09:00 Desk tidy, devices working",
                            "Patrol 09:30 Walk round, collect the cups",
                            "Patrol 10:00 Walk round, collect the cups"]
    assert alert == "3 overdue (F8): Opening 09:00 Desk tidy, devices working…"
    # A tick now counts for the next round (10:30); the rounds missed stay missed.
    with db.write() as session:
        tick = checklists.tick(session, ids["Walk round, collect the cups"],
                               by=team.receptionist.id)
        assert tick.round == 3
        checklists.tick(session, ids["Desk tidy, devices working"], by=team.cashier.id)
    with db.read() as session:
        slots = checklists.slots(session, today())
        late = checklists.overdue(session)
    desk = next(slot for slot in slots if slot.text == "Desk tidy, devices working")
    assert desk.ticked_by == "周收银" and desk.late
    assert labels(late) == ["Patrol 09:30 Walk round, collect the cups",
                            "Patrol 10:00 Walk round, collect the cups"]
    # A round hours ahead is not walked yet; one ticked is not ticked twice.
    with db.write() as session, pytest.raises(checklists.ChecklistError) as refused:
        checklists.tick(session, ids["Walk round, collect the cups"], round_number=10,
                        by=team.receptionist.id)
    assert str(refused.value) == "That round is at 14:00: not yet"
    with db.write() as session, pytest.raises(checklists.ChecklistError) as refused:
        checklists.tick(session, ids["Music on"], by=team.cashier.id)
    assert str(refused.value) == "“Music on” was ticked by 李前台 at 08:55"
    # After closing, everything not ticked is overdue and a night-check finding.
    clock.set(at("2026-11-22T21:30"))
    with db.read() as session:
        report = reconcile.day_report(session, today())
    found = [finding.text() for finding in report.findings
             if finding.kind == "checklist_not_done"]
    assert len(found) == 1 + 23 + 4 and found[0] == (
        "Checklist not done: Patrol 09:30 Walk round, collect the cups")
    assert "Checklist not done: Dusk 17:30 Advertising lights on" in found


def test_the_manager_keeps_the_items(db, team):
    ids = setup(db)
    with db.write() as session, pytest.raises(checklists.ChecklistError, match="Managers only"):
        checklists.add_item(session, "closing", "锁门", by=team.receptionist.id)
    with db.write() as session:
        added = checklists.add_item(session, "closing", "  锁好 档案室 ", by=team.manager.id)
        checklists.reword_item(session, ids["Music on"], "开背景音乐", by=team.manager.id)
        checklists.remove_item(session, ids["Aroma lamp lit"], by=team.manager.id)
    with db.read() as session:
        opening = [item.text or checklists.item_text(item)
                   for item in checklists.items(session, "opening")]
        closing = checklists.items(session, "closing")
    assert opening == ["Desk and water bar lights on", "开背景音乐",
                       "Water dispenser on, tea ready", "Desk tidy, devices working"]
    assert closing[-1].id == added.id and closing[-1].text == "锁好 档案室"
    with db.write() as session, pytest.raises(checklists.ChecklistError):
        checklists.tick(session, ids["Aroma lamp lit"], by=team.receptionist.id)


def test_a_signed_off_day_refuses_ticks(db, team):
    ids = setup(db)
    clock.set(at("2026-11-22T22:00"))
    with db.write() as session:
        reconcile.sign_off(session, today(), by=team.manager.id)
    with db.write() as session, pytest.raises(DayClosedError) as refused:
        checklists.tick(session, ids["Devices counted"], by=team.receptionist.id)
    assert "signed off" in str(refused.value)
    with db.read() as session:
        assert all(slot.ticked_at is None for slot in checklists.slots(session, today()))
