"""Keys on the dashboard at 80×24 (the same labels as F4), and the key catalogue's zh
punctuation."""

import re

from textual.widgets import DataTable

from reception import i18n, keys
from reception.clock import clock
from screens.dashboard import DashboardScreen
from tests.helpers.pilot import screen_lines
from tests.ui.keys.helpers import cells as rows
from tests.ui.keys.helpers import default_keys, lend


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


def test_zh_texts_of_keys_and_dashboard_use_full_width_punctuation():
    from reception.i18n import dashboard
    from reception.i18n import keys as key_messages

    for catalogue in (key_messages.MESSAGES, dashboard.MESSAGES):
        for key, (zh, _en) in catalogue.items():
            assert not re.search(r"[,:;()]", zh.replace("HH:MM", "")), (key, zh)


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
