"""Check-in at 80×24: the keystroke count of an expected arrival with a cash deposit, a
refusal at its field (zh), a burst of keys."""

from sqlmodel import select

from models import Contract, Payment
from reception import i18n, stays
from screens.stays.desk import CheckInForm
from tests.helpers.pilot import notifications, screen_text, settle, shown
from tests.ui.stays.helpers import arrive_today, burst, open_stays, rooms, sign


def arriving(db, team) -> int:
    rooms(db, team)
    contract_id = sign(db, team)
    arrive_today(db, team, contract_id)
    return contract_id


async def test_checking_in_an_expected_arrival_with_a_cash_deposit(make_app, db, team):
    contract_id = arriving(db, team)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)  # F7: today's arrival is the first row
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, CheckInForm)
        text = screen_text(app)
        assert "balance due 68,000" in text and "不吃辣" in text
        assert app.focused.id == "balance_method"  # the one field still to fill
        # Keystroke count: F7, i, Space, ↓ (cash), Enter, Ctrl+S = 6 keys; the room, the
        # balance due and the deposit (2000, in cash) are filled in.
        await pilot.press("space", "down", "enter", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CheckInForm)
        assert any("checked in to 601" in notice and "S20261122-002" in notice
                   for notice in notifications(app))
        assert "occupied" in screen_text(app)
    with db.read() as session:
        assert session.get(Contract, contract_id).status == "in_stay"
        assert [(p.kind, p.method, p.amount) for p in session.exec(select(Payment))] == [
            ("balance", "cash", 6_800_000), ("deposit", "cash", 200_000)]


async def test_a_refusal_is_said_at_its_field_in_chinese(make_app, db, team):
    contract_id = arriving(db, team)
    with db.write() as session:
        room = stays.list_rooms(session)[1]  # 602
        stays.set_room_state(session, room.id, "out", by=team.manager.id)
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)
        await pilot.press("i")
        await settle(pilot)
        assert "待付尾款 68,000 元" in screen_text(app) and "押金方式" in screen_text(app)
        await pilot.press("space", "down", "down", "enter")  # 微信
        app.screen.field("room").value = "602"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CheckInForm)
        assert shown(app.screen, "#room-error") == "房间 602 停用中"
        assert app.focused.id == "room"
        app.screen.field("room").value = "601"
        app.screen.field("balance").value = "70000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "超过待付尾款" in shown(app.screen, "#balance-error")
    with db.read() as session:  # nothing half-saved
        assert session.exec(select(Payment)).all() == []
        assert session.get(Contract, contract_id).status == "signed"


async def test_a_burst_fills_the_fields_in_order(make_app, db, team):
    contract_id = arriving(db, team)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.field("room").focus()
        app.screen.field("room").value = ""
        app.screen.field("balance").value = ""
        app.screen.field("deposit").value = ""
        app.screen.field("balance_method").value = "wechat"
        await pilot.pause()
        # "602⏎60000⏎⏎3000" and Ctrl+S in one write: Enter goes past the method chosen.
        await burst(app, ["6", "0", "2", "enter", *"60000", "enter", "enter", *"3000",
                          "ctrl+s"])
        await settle(pilot)
        assert not isinstance(app.screen, CheckInForm)
    with db.read() as session:
        contract = session.get(Contract, contract_id)
        assert contract.status == "in_stay"
        assert stays.held(session, contract_id).balance_paid == 6_000_000
        assert stays.held(session, contract_id).deposit_paid == 300_000
        assert stays.board(session)[1].who == "王小红"  # room 602


async def test_with_the_balance_paid_at_signing_check_in_is_three_keys(make_app, db, team):
    rooms(db, team)
    contract_id = sign(db, team, first_payment="88000")
    arrive_today(db, team, contract_id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)  # F7
        await pilot.press("i", "ctrl+s")  # the deposit in cash, as offered
        await settle(pilot)
        assert not isinstance(app.screen, CheckInForm)
    with db.read() as session:
        assert session.get(Contract, contract_id).status == "in_stay"
        assert [(p.kind, p.method, p.amount) for p in session.exec(select(Payment))] == [
            ("deposit", "cash", 200_000)]
