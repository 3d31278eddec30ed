"""Manager screens: a staff form error does not linger, copying an empty day's rota."""

from datetime import timedelta

from textual.widgets import Input, Static

from tests.conftest import today
from tests.helpers.pilot import toasts

# --- manager screens ---------------------------------------------------------------------


async def test_staff_form_error_does_not_linger_and_an_empty_pin_is_not_saved(
        db, team, make_app):
    from sqlmodel import select

    from models import AuditEntry, Staff

    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_area("staff")
        await pilot.pause()
        screen = app.screen
        error = screen.query_one("#error", Static)
        await pilot.press("a", *"新人", "enter", "enter", "down", "enter")
        await pilot.pause()
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        # The role chosen is known: its own PIN rule is said.
        assert str(error.render()) in ("A staff PIN is 4 to 8 digits",
                                       "A manager's PIN is 6 to 12 digits")
        assert screen.query_one("#staff-name", Input).value == "新人"  # typed text kept
        await pilot.press("escape")
        await pilot.pause()
        assert str(error.render()) == ""
        with db.read() as session:
            audits = len(session.exec(select(AuditEntry)).all())
        await pilot.press("p")
        await pilot.pause()
        assert screen.focused.id == "staff-pin"
        assert screen.query_one("#staff-pin", Input).value == ""
        await pilot.press("enter")
        await pilot.pause()
        assert str(error.render()) == "The PIN is 4 to 12 digits"
        assert toasts(app) == []
        with db.read() as session:
            assert len(session.exec(select(AuditEntry)).all()) == audits
            assert session.exec(select(Staff).where(Staff.name == "新人")).first() is None


async def test_rota_copy_of_an_empty_day_keeps_this_days_rota(db, team, make_app):
    """'c' on a day whose previous day had no rota wiped the day's rota silently."""
    from reception import staff as staff_service

    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_area("rota")
        await pilot.pause()
        screen = app.screen
        before = list(screen.on_duty_ids)
        assert len(before) == len(team.all)
        await pilot.press("c")
        await pilot.pause()
        assert screen.on_duty_ids == before
        assert toasts(app) == ["2026-11-21 has no rota: nothing copied"]
        with db.read() as session:
            assert [s.id for s in staff_service.on_duty(session, today())] == before
        # Next day: copying today's rota works.
        await pilot.press("full_stop", "c")
        await pilot.pause()
        assert screen.day == today() + timedelta(days=1)
        assert screen.on_duty_ids == before
