"""The shift at 80×24: the handover written and acknowledged (shown at sign-in, a wrong PIN
refused at its field), the manager's checklist items and due times, a signed-off day."""

from reception import checklists, handover, i18n, reconcile, settings
from reception.clock import clock
from screens.logbook import LogbookScreen
from screens.logbook.shift_forms import AcknowledgeForm, DueTimesForm, HandoverForm, ItemForm
from tests.conftest import PIN, at, today
from tests.helpers.pilot import notifications, screen_text, settle
from tests.ui.logbook.helpers import open_logbook, shown, table_rows


async def test_a_handover_written_then_acknowledged_at_the_next_sign_in(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        await pilot.press("o", "a")
        await settle(pilot)
        assert isinstance(app.screen, HandoverForm)
        assert "Checklist items not done (6)" in screen_text(app)
        await pilot.press(*"printer out of paper", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert table_rows(app) == [["10:00", "李前台", "printer out of paper", "waiting"]]
        assert "Note: printer out of paper" in shown(app, "#logbook-detail")
        # Her own handover is not hers to acknowledge.
        await pilot.press("k", *PIN, "enter")
        await settle(pilot)
        assert "You cannot acknowledge your own handover" in screen_text(app)
    i18n.set_language("zh")
    clock.advance(minutes=20)
    app = make_app(team.cashier)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, AcknowledgeForm)
        text = screen_text(app)
        assert "李前台 的交接" in text and "留言：printer out of paper" in text
        assert "清单未完成 6 项" in text
        await pilot.press("0", "0", "0", "0", "enter")
        await settle(pilot)
        assert shown(app, "#pin-error") == "周收银 的密码不对"
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        assert not isinstance(app.screen, AcknowledgeForm)
        assert "已确认 李前台 的交接" in notifications(app)
    with db.read() as session:
        (note,) = handover.of_day(session, today())
    assert note.acknowledged_by == "周收银"
    app = make_app(team.doctor)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, AcknowledgeForm)  # acknowledged: not shown again


async def test_the_manager_keeps_the_items_and_due_times(make_app, team, db):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        assert isinstance(app.screen, ItemForm)
        app.screen.field("text").value = "开背景音乐"
        await pilot.press("enter")
        await settle(pilot)
        assert table_rows(app)[1][2] == "开背景音乐"
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter", *"锁好档案室", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert ["09:00", "Opening", "锁好档案室", "overdue"] in table_rows(app)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, DueTimesForm)
        assert app.screen.field("dusk_times").value == "18:00 19:00 17:30 17:00"
        app.screen.field("dusk_times").value = "18:00 19:00 17:45"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown(app, "#dusk_times-error") == (
            "Four times (spring summer autumn winter); 3 typed")
        app.screen.field("dusk_times").value = "18:00 19:00 17:45 17:00"
        app.screen.field("patrol_minutes").value = "60"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ["17:45", "Dusk", "Advertising lights on", ""] in table_rows(app)
    with db.read() as session:
        assert settings.load(session).patrol_minutes == 60
    # A receptionist ticks, and is offered none of the manager's keys.
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_logbook(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "t Tick" in footer and "New item" not in footer and "Edit" not in footer
        await pilot.press("n", "g", "e")
        await settle(pilot)
        assert isinstance(app.screen, LogbookScreen)


async def test_a_signed_off_day_refuses_a_tick_on_the_board(make_app, team, db):
    with db.write() as session:
        checklists.ensure_default_items(session)
    clock.set(at("2026-11-22T22:00"))
    with db.write() as session:
        reconcile.sign_off(session, today(), by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_logbook(app, pilot)
        assert "2026-11-22 is signed off" in shown(app, "#logbook-detail")
        await pilot.press("t")
        await settle(pilot)
        assert "signed off" in shown(app, "#logbook-error")
        assert table_rows(app)[0][3] == "overdue"


async def test_the_manager_adds_a_logbook_and_puts_one_away(make_app, team, db):
    from screens.logbook.forms import KindForm

    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_logbook(app, pilot)
        await pilot.press("1", "m")
        await settle(pilot)
        await pilot.press("enter")  # New logbook…
        await settle(pilot)
        assert isinstance(app.screen, KindForm)
        await pilot.press(*"失物招领", "enter", *"物品", "enter", *"捡到地点", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "5 失物招领" in screen_text(app)
        await pilot.press("5", "a")
        await settle(pilot)
        await pilot.press(*"雨伞", "enter", *"大厅", "enter")
        await settle(pilot)
        assert table_rows(app) == [["10:00", "雨伞", "大厅"]]
        # Parking tickets put away: gone from the views, its entries kept.
        await pilot.press("m", "3")
        await settle(pilot)
        assert isinstance(app.screen, KindForm) and app.screen.field("active").value == "y"
        app.screen.field("active").value = "n"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Parking tickets" not in screen_text(app).splitlines()[1]
        assert "4 失物招领" in screen_text(app)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_logbook(app, pilot)
        await pilot.press("1")
        await settle(pilot)
        assert "Logbooks" not in screen_text(app).splitlines()[-1]
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, LogbookScreen)
