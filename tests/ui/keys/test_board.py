"""The F4 board at 80×24: refusals before any form, the overdue keys, a signed-off day,
the night check's jump, names shown literally."""

import pytest
from sqlmodel import select
from textual.widgets import DataTable

from models import KeyEvent, Role
from reception import days, i18n, keys
from reception import staff as staff_service
from reception.clock import clock
from screens.dashboard import DashboardScreen
from screens.keys import KeysScreen
from screens.keys.lend import LendForm
from screens.widgets.status import StatusLine
from tests.conftest import today
from tests.helpers.pilot import notifications, screen_lines, screen_text, settle
from tests.ui.keys.helpers import cells, default_keys, lend, open_keys, shown


def key_row(app, name: str) -> str:
    """The table line showing the key ``name`` (F4's list or the dashboard's box)."""
    (line,) = [line for line in screen_lines(app)
               if line.startswith((f" {name} ", f"│ {name} "))]
    return line


async def test_second_lend_is_refused_with_holder_and_time(make_app, team, db):
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.manager)
    clock.advance(minutes=5)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await pilot.press("l")
        await settle(pilot)
        # Refused at once, with who has it and since when: no form to fill first.
        refusal = "The 档案室 key is already out: 周收银 has had it since 10:00"
        assert app.screen is screen
        assert app.focused.id == "keys-table"
        assert shown(screen, "#keys-error") == refusal
        assert refusal in screen_text(app)
        assert refusal in notifications(app)
        # The free key still opens its form, and the refusal is gone.
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LendForm)
        assert not screen.query_one("#keys-error").display
    with db.read() as session:
        assert len(session.exec(select(KeyEvent)).all()) == 1


async def test_overdue_key_shows_on_the_status_line_and_dashboard(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await pilot.press("l", *"张咨", "enter", *"王小红的病例", "ctrl+s")
        await settle(pilot)
        status = screen.query_one(StatusLine)
        assert "overdue" not in str(status.render())
        clock.advance(minutes=31)
        screen.reload()
        app.update_status_line()
        await pilot.pause()
        assert "Keys not back: 档案室 overdue 31m" in str(status.render())
        assert status.has_class("-alert")
        assert cells(screen.query_one("#keys-table", DataTable))[0][1] == "overdue 31m"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Keys not back: 档案室" in str(app.screen.query_one(StatusLine).render())
        (row,) = cells(app.screen.query_one("#keys", DataTable))
        assert row[:2] == [keys.ARCHIVE_NAME, "overdue 31m"]


@pytest.mark.parametrize(("language", "count", "listed"), [
    ("en", "2 keys not back (see F4)",
     "Keys not back: 档案室 overdue 1h1m; VIP室 overdue 31m"),
    ("zh", "2 把钥匙未还（见 F4）", "钥匙未还：档案室 超时 1小时1分钟；VIP室 超时 31分钟"),
])
async def test_two_keys_overdue_are_counted_on_the_status_line_and_listed_on_f4(
        make_app, team, db, language, count, listed):
    i18n.set_language(language)
    archive, vip = default_keys(db, team)
    lend(db, archive, team.cashier, team.manager)
    clock.advance(minutes=30)
    lend(db, vip, team.beautician, team.manager, approved_by_id=team.manager.id)
    clock.advance(minutes=31)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Both keys, not the first one cut off at the edge: the count.
        assert count in screen_lines(app)[22]
        screen = await open_keys(app, pilot)
        assert count in screen_lines(app)[22]
        assert shown(screen, "#overdue-line") == listed
        assert listed in screen_text(app)


async def test_a_key_lent_after_closing_is_out_not_flagged_everywhere(make_app, team, db):
    archive, _ = default_keys(db, team)
    clock.set("2026-11-22T23:41:00+08:00", frozen=True)
    lend(db, archive, team.cashier, team.receptionist)
    clock.set("2026-11-22T23:53:00+08:00", frozen=True)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert cells(app.screen.query_one("#keys", DataTable)) == [
            [keys.ARCHIVE_NAME, "out 12m", "周收银"]]
        assert "out 12m" in key_row(app, keys.ARCHIVE_NAME)
        status = screen_lines(app)[22]
        assert "▲" not in status and "overdue" not in status.lower()
        screen = await open_keys(app, pilot)
        assert cells(screen.query_one("#keys-table", DataTable))[0][:3] == [
            keys.ARCHIVE_NAME, "out 12m", "周收银"]
        assert "out 12m" in key_row(app, keys.ARCHIVE_NAME)
        assert not screen.query_one("#overdue-line").display
        # Past its own 30-minute limit: overdue in both places, with the same words.
        clock.set("2026-11-23T00:12:00+08:00", frozen=True)
        screen.reload()
        app.update_status_line()
        await pilot.pause()
        assert cells(screen.query_one("#keys-table", DataTable))[0][1] == "overdue 31m"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert cells(app.screen.query_one("#keys", DataTable))[0][1] == "overdue 31m"
        assert "overdue 31m" in key_row(app, keys.ARCHIVE_NAME)
    with db.read() as session:
        assert keys.status_alert(session) == "Keys not back: 档案室 overdue 31m"


async def test_a_key_out_at_closing_reads_past_closing_in_f4_and_on_the_dashboard(
        make_app, team, db):
    i18n.set_language("zh")
    archive, _ = default_keys(db, team)
    clock.set("2026-11-22T20:50:00+08:00", frozen=True)
    lend(db, archive, team.cashier, team.receptionist)
    clock.set("2026-11-22T21:01:00+08:00", frozen=True)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert cells(app.screen.query_one("#keys", DataTable))[0][1] == "下班未还 11分钟"
        assert "下班未还 11分钟" in key_row(app, keys.ARCHIVE_NAME)
        screen = await open_keys(app, pilot)
        assert cells(screen.query_one("#keys-table", DataTable))[0][1] == "下班未还 11分钟"
        assert "下班未还 11分钟" in key_row(app, keys.ARCHIVE_NAME)
    with db.read() as session:
        assert keys.status_alert(session) == "钥匙未还\uff1a档案室 下班未还 11分钟"


async def test_signed_off_day_refuses_lend_return_and_correct_up_front(make_app, team, db):
    archive, vip = default_keys(db, team)
    loan_id = lend(db, archive, team.cashier, team.receptionist)
    with db.write() as session:
        days.sign_off(session, today(), by=team.manager.id, snapshot={})
    closed = "2026-11-22 is signed off and read-only"
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        # Said on opening, before anything is tried.
        assert shown(screen, "#day-line").startswith(closed)
        table = screen.query_one("#keys-table", DataTable)
        table.move_cursor(row=1)
        await pilot.press("l")
        await settle(pilot)
        assert app.screen is screen
        assert any(notice.startswith(closed) for notice in notifications(app))
        # Said once on screen (the day's line), not again under it.
        assert shown(screen, "#day-line").startswith(closed)
        assert not screen.query_one("#keys-error").display
        app.clear_notifications()
        table.move_cursor(row=0)
        await pilot.press("r")
        await settle(pilot)
        assert any(notice.startswith(closed) for notice in notifications(app))
        assert cells(table)[0][1] == "out 0m"
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        # No reason to type: the refusal comes first.
        history = app.screen
        assert history is not screen and not app.screen.query("#note")
        assert shown(history, "#history-error").startswith(closed)
        assert app.focused.id == "history-table"
    with db.read() as session:
        assert [e.id for e in session.exec(select(KeyEvent)).all()] == [loan_id]


async def test_key_notices_show_names_literally(db, team, make_app):
    """Lend and return notices carried the staff and key names as markup ('[/]' crashed)."""
    with db.write() as session:
        staff_service.add_staff(session, name="[/]咨询", role=Role.CONSULTANT, pin="1234",
                                by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await pilot.press("l", *"[/]咨", "enter", *"取病历", "ctrl+s")
        await settle(pilot)
        clock.advance(minutes=5)
        screen.query_one("#keys-table", DataTable).move_cursor(row=0)
        await pilot.press("r")
        await settle(pilot)
        notices = notifications(app)
        assert any("[/]咨询" in notice for notice in notices), notices
        assert len(notices) == 2
        assert app.is_running


async def test_the_night_check_lands_on_the_key_out(make_app, team, db):
    archive, vip = default_keys(db, team)
    loan_id = lend(db, vip, team.cashier, team.manager, approved_by_id=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        screen.show_record("key_event", loan_id)
        await pilot.pause()
        table = screen.query_one("#keys-table", DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == keys.VIP_NAME
        assert isinstance(app.screen, KeysScreen)
