"""The lock at the sign-in screen (80×24): five wrong PINs, then even the right one is
refused with the time the lock ends; a manager's unlock lets the staff member in."""

from sqlmodel import select

from models import AuditEntry
from reception import lockout
from screens.dashboard import DashboardScreen
from tests.conftest import PIN
from tests.helpers.pilot import screen_text, settle


async def test_five_wrong_pins_lock_and_the_screen_says_until_when(db, team):
    from screens.app import ReceptionApp

    app = ReceptionApp(db, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"lqt", "enter")
        for _ in range(5):
            await pilot.press(*"9999", "enter")
            await settle(pilot)
        assert "locked until 10:15" in screen_text(app)
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        assert app.staff is None
        assert "Too many wrong PINs: locked until 10:15" in screen_text(app)
        assert PIN not in screen_text(app)
        with db.write() as session:
            lockout.unlock(session, team.receptionist.id, by=team.manager.id)
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
    with db.read() as session:
        actions = session.exec(select(AuditEntry.action)).all()
    assert actions.count("sign_in_failed") == 5 and "sign_in_locked" in actions
    assert "sign_in_refused_locked" in actions and "sign_in_unlocked" in actions
