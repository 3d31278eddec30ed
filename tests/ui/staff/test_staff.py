"""Manager screens: staff and rota, reached from the dashboard by letter; the staff forms."""

from datetime import timedelta

from sqlmodel import select
from textual.widgets import DataTable, Input, Select

from models import AuditEntry, Staff
from reception import i18n
from reception import staff as staff_service
from reception.auth import verify_pin
from tests.conftest import today
from tests.helpers.pilot import burst, notifications, screen_text, settle


def table_text(screen, table_id: str) -> list[str]:
    table = screen.query_one(table_id, DataTable)
    # Trailing empty cells (no lock) are not text on the row.
    return [" ".join(str(cell) for cell in table.get_row_at(row)).rstrip()
            for row in range(table.row_count)]


def stored_staff(db, name: str) -> Staff | None:
    with db.read() as session:
        return session.exec(select(Staff).where(Staff.name == name)).first()


def audit_count(db) -> int:
    with db.read() as session:
        return len(session.exec(select(AuditEntry)).all())


async def open_staff(app, pilot):
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    assert type(app.screen).__name__ == "StaffScreen"
    return app.screen


async def open_rota(app, pilot):
    """The rota (a manager's area without an F-key of its own), once it has loaded."""
    await settle(pilot)
    app.open_area("rota")
    await settle(pilot)
    return app.screen


async def test_manager_adds_staff_with_role_and_pin(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        staff_screen = await open_staff(app, pilot)
        await pilot.press("a", *"[b]新人[/b]", "enter")
        await pilot.pause()
        app.screen.query_one("#role", Select).value = "cashier"
        await pilot.pause()
        assert app.focused.id == "pin"  # a role chosen: on to the PIN
        await pilot.press(*"5678", "enter")
        await settle(pilot)
        assert app.screen is staff_screen
        assert any("[b]新人[/b]" in row for row in table_text(app.screen, "#staff-table"))
    added = stored_staff(db, "[b]新人[/b]")
    assert added.role == "cashier" and verify_pin("5678", added.pin_hash)
    assert added.created_by_id == team.manager.id


async def test_add_staff_typed_in_one_burst(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        staff_screen = await open_staff(app, pilot)
        # a, the name, Tab past the role, the PIN, Enter (saves): one write.
        await burst(app, "a快手\t\t4321\r")
        await settle(pilot)
        form = app.screen
        assert form is not staff_screen
        assert form.values() == {"name": "快手", "role": None, "pin": "4321"}
        # No role: refused at the role, the cursor there; Space opens it, ↓ Enter picks
        # (Enter on a closed list goes on to the next field, as on every field).
        assert app.focused.id == "role"
        assert "Choose a role" in str(form.query_one("#role-error").render())
        await pilot.press("space", "down", "enter")
        await pilot.pause()
        assert app.focused.id == "pin"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is staff_screen
    added = stored_staff(db, "快手")
    assert added is not None and verify_pin("4321", added.pin_hash)
    assert added.role == staff_service.ROLES[0]


async def test_receptionist_cannot_open_manager_screens(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "DashboardScreen"


async def test_staff_form_error_does_not_linger_and_an_empty_pin_is_not_saved(
        db, team, make_app):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        staff_screen = await open_staff(app, pilot)
        await pilot.press("a", *"新人", "enter", "space", "down", "enter")
        await pilot.pause()
        await pilot.press("1", "2", "enter")
        await settle(pilot)
        form = app.screen
        # The role chosen is known: its own PIN rule is said.
        assert str(form.query_one("#pin-error").render()) in (
            "A staff PIN is 4 to 8 digits", "A manager's PIN is 6 to 12 digits")
        assert app.focused.id == "pin"
        assert form.query_one("#name", Input).value == "新人"  # typed text kept
        await pilot.press("3")
        await pilot.pause()
        assert str(form.query_one("#pin-error").render()) == ""  # typing clears it
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is staff_screen
        assert str(staff_screen.query_one("#error").render()) == ""
        audits = audit_count(db)
        await pilot.press("p")
        await settle(pilot)
        assert app.focused.id == "pin"
        assert app.screen.query_one("#pin", Input).value == ""
        await pilot.press("enter")
        await settle(pilot)
        assert str(app.screen.query_one("#pin-error").render()) == "The PIN is 4 to 12 digits"
        assert "Saved" not in notifications(app)
        assert audit_count(db) == audits
        assert stored_staff(db, "新人") is None


async def test_set_pin_edit_and_deactivate(db, team, make_app):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        staff_screen = await open_staff(app, pilot)
        names = [row.split(" ")[0] for row in table_text(staff_screen, "#staff-table")]
        staff_screen.query_one("#staff-table", DataTable).move_cursor(
            row=names.index("周收银"))
        await pilot.press("p")
        await settle(pilot)
        await burst(app, "987654\r")
        await settle(pilot)
        assert app.screen is staff_screen
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#name", Input).value == "周收银"
        await burst(app, "二\r")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is staff_screen
        await pilot.press("t")
        await settle(pilot)
        assert any("周收银二 Cashier No" == row for row in table_text(
            staff_screen, "#staff-table"))
    cashier = stored_staff(db, "周收银二")
    assert cashier.id == team.cashier.id and not cashier.active
    assert verify_pin("987654", cashier.pin_hash)


async def test_the_last_manager_cannot_be_deactivated(db, team, make_app):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        staff_screen = await open_staff(app, pilot)
        names = [row.split(" ")[0] for row in table_text(staff_screen, "#staff-table")]
        staff_screen.query_one("#staff-table", DataTable).move_cursor(
            row=names.index("王经理"))
        await pilot.press("t")
        await settle(pilot)
        assert "Cannot deactivate the last manager" in screen_text(app)
    assert stored_staff(db, "王经理").active


async def test_chinese_staff_form(db, team, make_app):
    i18n.set_language("zh")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        text = screen_text(app)
        assert "新增员工" in text and "姓名" in text and "密码" in text
        assert "PIN" not in text


async def test_rota_toggle_and_order(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert type(app.screen).__name__ == "RotaScreen"
        # First row is the first on duty (the manager): take them off duty.
        await pilot.press("space")
        await settle(pilot)
        with db.read() as session:
            on_duty = staff_service.on_duty(session, today())
        assert team.manager.id not in [s.id for s in on_duty]
        # Tomorrow is empty; copy the previous day.
        await pilot.press("right", "c")
        await settle(pilot)
        with db.read() as session:
            tomorrow = staff_service.on_duty(session, today().fromordinal(today().toordinal() + 1))
        assert [s.id for s in tomorrow] == [s.id for s in on_duty]


async def test_rota_copy_of_an_empty_day_keeps_this_days_rota(db, team, make_app):
    """'c' on a day whose previous day had no rota wiped the day's rota silently."""
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rota(app, pilot)
        before = list(screen.on_duty_ids)
        assert len(before) == len(team.all)
        await pilot.press("c")
        await settle(pilot)
        assert screen.on_duty_ids == before
        assert notifications(app) == ["2026-11-21 has no rota: nothing copied"]
        with db.read() as session:
            assert [s.id for s in staff_service.on_duty(session, today())] == before
        # Next day: copying today's rota works.
        await pilot.press("full_stop", "c")
        await settle(pilot)
        assert screen.day == today() + timedelta(days=1)
        assert screen.on_duty_ids == before


async def test_rota_move_keeps_the_cursor_on_the_one_moved(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rota(app, pilot)
        first, second = screen.on_duty_ids[:2]
        await pilot.press("d")
        await settle(pilot)
        assert screen.on_duty_ids[:2] == [second, first]
        assert screen.query_one("#rota-table", DataTable).cursor_row == 1


async def test_rota_of_another_day_by_date(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_rota(app, pilot)
        await pilot.press("g")
        await settle(pilot)
        # The day shown is offered whole: typing replaces it.
        await pilot.press(*"2026-12-01", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert str(screen.day) == "2026-12-01"
        assert screen.on_duty_ids == []
        assert "2026-12-01" in screen_text(app)
        await pilot.press("g", *"2026-02-30", "enter")
        await settle(pilot)
        assert app.screen is not screen  # refused, said under the field
        assert "A date is YYYY-MM-DD" in screen_text(app)


async def test_a_manager_sees_a_lock_and_lifts_it_from_the_staff_list(db, team, make_app):
    from reception import lockout

    with db.write() as session:
        for _ in range(5):
            lockout.record_failure(session, team.receptionist.id)
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        staff_screen = await open_staff(app, pilot)
        table = staff_screen.query_one("#staff-table", DataTable)
        row = [str(cell) for cell in table.get_row(str(team.receptionist.id))]
        assert row[3] == "10:15"  # locked for 15 minutes from 10:00
        table.move_cursor(row=table.get_row_index(str(team.receptionist.id)))
        await pilot.press("u")
        await settle(pilot)
        assert notifications(app)[-1] == f"Unlocked: {team.receptionist.name}"
        row = [str(cell) for cell in table.get_row(str(team.receptionist.id))]
        assert row[3] == ""
    with db.read() as session:
        assert lockout.locked_until(session, team.receptionist.id) is None
