"""F8 at 80×24: the checklists ticked, a delivery written and corrected, views switched."""

from reception import i18n, logbook
from reception.clock import clock
from screens.logbook.forms import CorrectionForm, EntryForm
from tests.conftest import at, today
from tests.helpers.pilot import notifications, screen_text, settle
from tests.ui.logbook.helpers import open_logbook, shown, table_rows


async def test_checklist_ticked_and_a_delivery_written(make_app, team, db):
    clock.set(at("2026-11-22T09:10"))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        text = screen_text(app)
        assert "Today's checklists · 5 overdue" in text
        assert table_rows(app)[0] == ["09:00", "Opening", "Desk and water bar lights on",
                                      "overdue"]
        # Patrols: the next round only.
        assert [row[0] for row in table_rows(app) if row[1] == "Patrol"] == ["09:30"]
        assert "Overdue" in text or "overdue (F8)" in text
        await pilot.press("t")
        await settle(pilot)
        assert table_rows(app)[0][3] == "李前台 09:10"
        assert "Ticked: Desk and water bar lights on" in notifications(app)
        await pilot.press("t")  # the cursor stays: ticked twice is refused, saying by whom
        await settle(pilot)
        assert "was ticked by 李前台 at 09:10" in shown(app, "#logbook-error")

        await pilot.press("1")
        await settle(pilot)
        assert "Deliveries · today 0" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, EntryForm)
        await pilot.press(*"顺丰", "enter", *"王经理", "enter", "2", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(app) == [["09:10", "顺丰", "王经理", "2", "李前台", "", "09:10"]]
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, CorrectionForm)
        app.screen.field("handed_to").value = "王经理"
        app.screen.field("note").value = "handed on"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert table_rows(app)[0][0] == "✎ 09:10" and table_rows(app)[0][5] == "王经理"
        with db.read() as session:
            (line,) = logbook.lines(session, today())
        assert line.corrected and line.values["handed_to"] == "王经理"


async def test_the_board_in_chinese(make_app, team, db):
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_logbook(app, pilot)
        text = screen_text(app)
        assert "今天的清单 · 逾期" in text and "开前台和水吧的灯" in text
        assert "1 快件签收  2 停车票  3 领用登记  4 茶水记录 · c 清单" in text
        await pilot.press("b")
        await settle(pilot)
        assert "会议室与VIP室预订" in screen_text(app)
