"""F7 at 80×24: arrivals, stays and the room board in both languages; the area on the
dashboard, F1 and Ctrl+P, and gone from all of them when the site switches it off."""

import pytest
from textual.widgets import DataTable

from reception import i18n, reconcile, settings, stays
from tests.conftest import today
from tests.helpers.pilot import screen_text, settle
from tests.ui.stays.helpers import arrive_today, check_in, open_stays, rooms, sign

WORDS = {
    "en": ("Expected today: 1", "Arriving", "In stay", "booked", "occupied", "free",
           "i Check in", "Today: cash 2,000 · WeChat 68,000", "F7"),
    "zh": ("今日预抵客户：1", "今日预抵", "在住", "已预定", "在住", "空房", "i 入住",
           "今日收款：现金 2,000 · 微信 68,000", "F7"),
}


def centre(db, team) -> None:
    rooms(db, team)
    arriving = sign(db, team)
    arrive_today(db, team, arriving)
    staying = sign(db, team, number="YZ-2026-002", phone="13800003333", name="赵敏",
                   room="602")
    arrive_today(db, team, staying)
    check_in(db, team, staying, room="602")


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_board_shows_arrivals_stays_and_rooms(make_app, db, team, language):
    centre(db, team)
    i18n.set_language(language)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert WORDS[language][-1] + " " + i18n.t("key.area.stays") in screen_text(app)
        screen = await open_stays(app, pilot)
        text = screen_text(app)
        for word in WORDS[language][:-1]:
            assert word in text, word
        table = screen.query_one("#contracts", DataTable)
        first = [str(cell) for cell in table.get_row_at(0)]
        assert first[:2] == ["YZ-2026-001", "王小红"] and first[2] == "138****1111"
        assert "13800001111" not in text  # phones masked in the list
        assert "601" in text and "602" in text and "608" in text
        await pilot.press("f1")
        await settle(pilot)
        assert i18n.t("stays.action.check_out") in screen_text(app)


async def test_an_arrival_not_coming_is_explained_and_the_night_check_accepts_it(
        make_app, db, team):
    centre(db, team)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stays(app, pilot)
        await pilot.press("x")
        await settle(pilot)
        assert "Expected arrival not coming: why" in screen_text(app)
        await pilot.press(*"baby in NICU", "enter")
        await settle(pilot)
        assert app.screen is screen
    with db.read() as session:
        report = reconcile.day_report(session, today())
        assert not [f for f in report.findings if f.kind == "stay_arrival_missing"]
        assert stays.get(session, 1).arrival_note == "baby in NICU"


async def test_a_site_without_stays_switches_the_area_off(make_app, db, team):
    with db.write() as session:
        settings.update(session, "areas_off", "stays", by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "F7" not in screen_text(app) and "F6 Night check" in screen_text(app)
        await pilot.press("f7")
        await pilot.press("7")
        await settle(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Stays")
        await settle(pilot)
        found = [line for line in screen_text(app).splitlines() if "Stays" in line]
        assert len(found) == 1 and "🔎" in found[0]  # only what was typed: no hit
