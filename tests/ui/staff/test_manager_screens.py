"""Manager screens: staff and rota, reached from the dashboard by letter."""

from textual.widgets import DataTable

from models import Staff
from reception import staff as staff_service
from reception.auth import verify_pin
from tests.conftest import today


def table_text(screen, table_id: str) -> list[str]:
    table = screen.query_one(table_id, DataTable)
    return [" ".join(str(cell) for cell in table.get_row_at(row)) for row in range(table.row_count)]


async def test_manager_adds_staff_with_role_and_pin(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "StaffScreen"
        await pilot.press("a", *"[b]新人[/b]", "enter")
        await pilot.pause()
        app.screen.query_one("#staff-role").value = "cashier"
        await pilot.pause()
        await pilot.press(*"5678", "enter")
        await pilot.pause()
        assert any("[b]新人[/b]" in row for row in table_text(app.screen, "#staff-table"))
    with db.read() as session:
        added = session.exec(staff_service.select(Staff).where(Staff.name == "[b]新人[/b]")).one()
    assert added.role == "cashier" and verify_pin("5678", added.pin_hash)
    assert added.created_by_id == team.manager.id


async def test_receptionist_cannot_open_manager_screens(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_rota_toggle_and_order(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert type(app.screen).__name__ == "RotaScreen"
        # First row is the first on duty (the manager): take them off duty.
        await pilot.press("space")
        await pilot.pause()
        with db.read() as session:
            on_duty = staff_service.on_duty(session, today())
        assert team.manager.id not in [s.id for s in on_duty]
        # Tomorrow is empty; copy the previous day.
        await pilot.press("right", "c")
        await pilot.pause()
        with db.read() as session:
            tomorrow = staff_service.on_duty(session, today().fromordinal(today().toordinal() + 1))
        assert [s.id for s in tomorrow] == [s.id for s in on_duty]
