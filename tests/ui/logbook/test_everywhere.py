"""F8 everywhere: F1 lists its keys, Ctrl+P offers it, the dashboard says what is due, and
the night check's findings open it at the record."""

from textual.widgets import DataTable

from reception import checklists, visitor_register
from reception.clock import clock
from reception.visitor_register import Registration
from screens.logbook import LogbookScreen
from screens.reconcile import ReconcileScreen
from tests.conftest import at
from tests.helpers.pilot import cells, screen_text, settle, shown
from tests.ui.logbook.helpers import open_logbook, table_rows


async def test_f1_ctrl_p_and_the_dashboard(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "F8 checklists: nothing overdue" in shown(app, "#logbook-line")
        await open_logbook(app, pilot)
        await pilot.press("f1")
        await settle(pilot)
        text = screen_text(app)
        assert "Checklists" in text and "Tick" in text and "Handover" in text
        await pilot.press("escape", "ctrl+o")
        await settle(pilot)
        # The dashboard says what is due now in F8.
        assert shown(app, "#logbook-line").startswith(
            "F8: 6 overdue: Opening 09:00 Desk and water bar lights on")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"logbook")
        await settle(pilot)
        assert "Logbook (F8)" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogbookScreen)


async def test_the_night_check_opens_f8_at_the_finding(make_app, team, db):
    with db.write() as session:
        checklists.ensure_default_items(session)
        visitor_register.register(session, Registration(name="陈总", host="王经理",
                                                        badge="T-07"), by=team.receptionist.id)
    clock.set(at("2026-11-22T21:30"))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, ReconcileScreen)
        findings = cells(app.screen.query_one("#findings", DataTable))
        assert "Visitor 陈总: badge T-07 not returned" in findings
        table = app.screen.query_one("#findings", DataTable)
        table.move_cursor(row=findings.index("Visitor 陈总: badge T-07 not returned"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LogbookScreen)
        assert "Today's visitors" in screen_text(app)
        assert table_rows(app)[0][1] == "陈总"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReconcileScreen)
