"""QA round: F4 key log and the dashboard at 80×24 (defects found in a real terminal).

Each test proves one fix: one state and one label per loan shared by F4, the dashboard and
the status line; refusals said before any form; the history filter keeps its names; the
purpose hint fits the key; readable ticks in key setup; full-width punctuation in zh; the
dashboard's columns fit at 80 columns.
"""

import re

from sqlmodel import select
from textual.widgets import DataTable, Input

from models import KeyEvent, RoomKey
from reception import days, i18n, keys
from reception.clock import clock
from screens.dashboard import DashboardScreen
from screens.keys import KeySetupScreen, KeysScreen
from tests.conftest import today
from tests.helpers.pilot import notifications, open_area, rows, screen_lines, screen_text, shown


def default_keys(db, team) -> tuple[int, int]:
    with db.write() as session:
        archive, vip = keys.ensure_default_keys(session, by=team.manager.id)
    return archive.id, vip.id


def lend(db, key_id, staff, by, purpose="对账", **extra):
    with db.write() as session:
        return keys.lend(session, key_id=key_id, staff_id=staff.id, by=by.id,
                         purpose=purpose, **extra).id


def key_row(app, name: str) -> str:
    """The table line showing the key ``name`` (F4's list or the dashboard's box)."""
    (line,) = [line for line in screen_lines(app)
               if line.startswith((f" {name} ", f"│ {name} "))]
    return line


# --- 1. one state, one label: F4, dashboard and status line agree ---------------------


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
        assert rows(app.screen.query_one("#keys", DataTable)) == [
            [keys.ARCHIVE_NAME, "out 12m", "周收银"]]
        assert "out 12m" in key_row(app, keys.ARCHIVE_NAME)
        status = screen_lines(app)[22]
        assert "▲" not in status and "overdue" not in status.lower()
        screen = await open_area(app, pilot, "f4", KeysScreen)
        assert rows(screen.query_one("#keys-table", DataTable))[0][:3] == [
            keys.ARCHIVE_NAME, "out 12m", "周收银"]
        assert "out 12m" in key_row(app, keys.ARCHIVE_NAME)
        # Past its own 30-minute limit: overdue in both places, with the same words.
        clock.set("2026-11-23T00:12:00+08:00", frozen=True)
        screen.refresh_data()
        app.update_status_line()
        await pilot.pause()
        assert rows(screen.query_one("#keys-table", DataTable))[0][1] == "overdue 31m"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        assert rows(app.screen.query_one("#keys", DataTable))[0][1] == "overdue 31m"
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
        assert rows(app.screen.query_one("#keys", DataTable))[0][1] == "下班未还 11分钟"
        assert "下班未还 11分钟" in key_row(app, keys.ARCHIVE_NAME)
        screen = await open_area(app, pilot, "f4", KeysScreen)
        assert rows(screen.query_one("#keys-table", DataTable))[0][1] == "下班未还 11分钟"
        assert "下班未还 11分钟" in key_row(app, keys.ARCHIVE_NAME)
    with db.read() as session:
        assert keys.status_alert(session) == "钥匙未还\uff1a档案室 下班未还 11分钟"


# --- 8. the dashboard's columns fit at 80 columns ---------------------------------------


async def test_dashboard_times_and_key_states_are_shown_whole_at_80_columns(
        make_app, team, db):
    from models import Customer, Visit

    archive, _ = default_keys(db, team)
    with db.write() as session:
        long_key = keys.add_key(session, name="[red]x[/red] 贵宾楼层储物间钥匙" + "长" * 40,
                                roles=["cashier"], by=team.manager.id)
    clock.set("2026-11-22T16:40:00+08:00", frozen=True)
    lend(db, archive, team.cashier, team.receptionist)
    lend(db, long_key.id, team.cashier, team.receptionist)
    with db.write() as session:
        now = clock.now_utc()
        for number, name in enumerate(["张小明", "欧阳娜娜😀" * 20, "[b]Bob[/b]"]):
            customer = Customer(name=name, phone=f"1380000000{number}", created_at=now)
            session.add(customer)
            session.flush()
            session.add(Visit(day=clock.today(), customer_id=customer.id, path="A",
                              status="with_consultant", status_since=now, arrived_at=now,
                              consultant_id=team.consultants[0].id, created_at=now))
    clock.set("2026-11-22T20:57:00+08:00", frozen=True)  # 257 minutes later
    for language, late, waited in (("en", "overdue 4h17m", "4h17m"),
                                   ("zh", "超时 4小时17分钟", "4小时17分钟")):
        i18n.set_language(language)
        app = make_app(team.receptionist)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.pause()
            lines = screen_lines(app)
            # Each key's state and each visit's time are whole inside their box.
            key_lines = [line for line in lines[12:21] if late in line]
            assert len(key_lines) == 2
            assert all(line.index(late) + len(late) < 40 for line in key_lines)
            assert key_lines[0].startswith(f"│ {keys.ARCHIVE_NAME} ")
            waiting_lines = [line for line in lines[2:11] if waited + " " in line]
            assert len(waiting_lines) == 3
            assert not any("min" in line or "分 " in line for line in lines[:21])
            # The cells keep the whole text; only the drawing is cut to the box.
            table = app.screen.query_one("#keys", DataTable)
            assert [row[1] for row in rows(table)] == [late, late]
            assert rows(table)[1][0] == long_key.name


# --- 2. lending a key that is out is refused at once, no form -------------------------


async def test_lend_on_a_key_already_out_is_refused_before_any_form(make_app, team, db):
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.manager)
    clock.advance(minutes=5)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l")
        await pilot.pause()
        refusal = "The 档案室 key is already out: 周收银 has had it since 10:00"
        assert screen.view == "overview"
        assert screen.focused.id == "keys-table"
        assert shown(screen, "#keys-error") == refusal
        assert refusal in screen_text(app)
        assert refusal in notifications(app)
        # The free key still opens its form, and the refusal is gone.
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await pilot.pause()
        assert screen.view == "lend"
        assert not screen.query_one("#keys-error").display
    with db.read() as session:
        assert len(session.exec(select(KeyEvent)).all()) == 1


# --- 3. a signed-off day is said up front --------------------------------------------


async def test_signed_off_day_refuses_lend_return_and_correct_up_front(make_app, team, db):
    archive, vip = default_keys(db, team)
    loan_id = lend(db, archive, team.cashier, team.receptionist)
    with db.write() as session:
        days.sign_off(session, today(), by=team.manager.id, snapshot={})
    closed = "2026-11-22 is signed off and read-only"
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        # Said on opening, before anything is tried.
        assert shown(screen, "#day-line").startswith(closed)
        table = screen.query_one("#keys-table", DataTable)
        table.move_cursor(row=1)
        await pilot.press("l")
        await pilot.pause()
        assert screen.view == "overview"
        assert any(notice.startswith(closed) for notice in notifications(app))
        # Said once on screen (the day's line), not again under it.
        assert shown(screen, "#day-line").startswith(closed)
        assert not screen.query_one("#keys-error").display
        app.clear_notifications()
        table.move_cursor(row=0)
        await pilot.press("r")
        await pilot.pause()
        assert any(notice.startswith(closed) for notice in notifications(app))
        assert rows(table)[0][1] == "out 0m"
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        # No reason field to fill: the refusal comes first.
        assert not screen.query_one("#correction-row").display
        assert shown(screen, "#history-error").startswith(closed)
        assert screen.focused.id == "history-table"
    with db.read() as session:
        assert [e.id for e in session.exec(select(KeyEvent)).all()] == [loan_id]


async def test_correcting_an_entry_already_corrected_is_refused_up_front(make_app, team, db):
    archive, _ = default_keys(db, team)
    loan_id = lend(db, archive, team.cashier, team.receptionist)
    with db.write() as session:
        keys.correct(session, event_id=loan_id, note="登记错了人", by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("h")
        await pilot.pause()
        screen.query_one("#history-table", DataTable).move_cursor(row=1)
        await pilot.press("c")
        await pilot.pause()
        assert not screen.query_one("#correction-row").display
        assert shown(screen, "#history-error") == f"Loan #{loan_id} is already void"


# --- 4. the history filter keeps the chosen names ------------------------------------


async def test_history_filter_keeps_the_staff_and_key_names_on_an_empty_day(
        make_app, team, db):
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.receptionist)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("s", "k")
        await pilot.pause()
        assert shown(screen, "#history-filter") == (
            "Day 2026-11-22 ([ ] change, a all days) · Key 档案室 (k clears) · "
            "Staff 周收银 (s clears) · 1 entries · c corrects")
        await pilot.press("a", "left_square_bracket")
        await pilot.pause()
        assert shown(screen, "#history-filter") == (
            "Day 2026-11-21 ([ ] change, a all days) · Key 档案室 (k clears) · "
            "Staff 周收银 (s clears) · 0 entries · c corrects")
        assert screen.query_one("#history-table", DataTable).row_count == 0
        await pilot.press("s")
        await pilot.pause()
        assert "Staff" not in shown(screen, "#history-filter")
        assert "Key 档案室 (k clears)" in shown(screen, "#history-filter")


# --- 5. the purpose hint fits the key -------------------------------------------------


async def test_purpose_hint_and_refusal_fit_the_key(make_app, team, db):
    i18n.set_language("zh")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        purpose = screen.query_one("#lend-purpose", Input)
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await pilot.pause()
        assert purpose.placeholder == "借钥匙做什么"
        assert "病例" not in screen_text(app)
        await pilot.press(*"孙美", "ctrl+s")
        await pilot.pause()
        assert shown(screen, "#lend-error") == "请填写借钥匙做什么"
        await pilot.press("escape")
        screen.query_one("#keys-table", DataTable).move_cursor(row=0)
        await pilot.press("l")
        await pilot.pause()
        assert purpose.placeholder == "调哪位顾客的病例"
        await pilot.press(*"张咨", "ctrl+s")
        await pilot.pause()
        assert shown(screen, "#lend-error") == "请填写调哪位顾客的病例"
    with db.read() as session:
        assert keys.keys_out(session) == []


# --- 6. key setup ticks read as text -------------------------------------------------


async def test_key_setup_ticks_read_as_x_or_blank(make_app, team, db):
    default_keys(db, team)
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, KeySetupScreen)
        await pilot.press("e")  # the archive key: consultant and cashier, no approval
        await pilot.pause()
        text = screen_text(app)
        assert "[x] Consultant" in text and "[x] Cashier" in text
        assert "[ ] Doctor" in text and "[ ] Receptionist" in text
        assert "[ ] Needs a manager's approval" in text
        assert "▐X▌" not in text
        app.screen.query_one("#setup-approval").focus()
        await pilot.press("space")
        await pilot.pause()
        assert "[x] Needs a manager's approval" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
    with db.read() as session:
        archive = session.get(RoomKey, 1)
        assert archive.needs_manager_approval


# --- 7. full-width punctuation in zh -------------------------------------------------


def test_zh_texts_of_keys_and_dashboard_use_full_width_punctuation():
    from reception.i18n import dashboard
    from reception.i18n import keys as key_messages

    for catalogue in (key_messages.MESSAGES, dashboard.MESSAGES):
        for key, (zh, _en) in catalogue.items():
            assert not re.search(r"[,:;()]", zh.replace("HH:MM", "")), (key, zh)


async def test_zh_history_and_lend_form_read_with_full_width_punctuation(make_app, team, db):
    i18n.set_language("zh")
    archive, vip = default_keys(db, team)
    loan_id = lend(db, vip, team.cashier, team.manager, purpose="贵宾护理")
    with db.write() as session:
        keys.correct(session, event_id=loan_id, note="登记错了人", by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l")
        await pilot.pause()
        assert shown(screen, "#lend-heading") == (
            "借出 档案室（可领：咨询师、收银；时限 30 分钟）")
        await pilot.press("escape", "h")
        await pilot.pause()
        history = rows(screen.query_one("#history-table", DataTable))
        assert "更正第 1 条：登记错了人" in history[0][5]
        assert "（经理 王经理 许可）" in history[1][5]
        assert not re.search(r"[,:;()]", history[0][5] + history[1][5])


async def test_dashboard_key_state_moves_on_with_the_clock(make_app, team, db, monkeypatch):
    # The screen's own timer reloads it (every 30 s); here every 0.2 s, not to wait.
    monkeypatch.setattr(DashboardScreen, "RELOAD_SECONDS", 0.2)
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.receptionist)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one("#keys", DataTable)
        assert rows(table)[0][1] == "out 0m"
        clock.advance(minutes=31)
        await pilot.pause(0.5)
        assert rows(table)[0][1] == "overdue 31m"


async def test_a_lend_leaves_no_draft_save_pending(make_app, team, db):
    """Emptying the form after a lend schedules no draft save (it used to fire after the
    screen had gone and fail to find the form)."""
    from models import Draft

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"张咨", "enter", *"王小红的病例", "ctrl+s")
        await pilot.pause()
        assert screen.view == "overview"
        assert screen._draft_timer is None
    with db.read() as session:
        assert session.exec(select(Draft)).all() == []
        assert len(keys.keys_out(session)) == 1
