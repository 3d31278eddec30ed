"""During the stay and at its end, at 80×24: the notice confirmed by a department, the
day's visit, a complaint flagged on the status line after ten minutes and answered, and
check-out with a lost card kept from the deposit (zh) and a refund too large refused."""

from sqlmodel import select

from models import Contract, Payment
from reception import i18n, stays
from reception.clock import clock
from screens.choose import Choose
from screens.stays.care import AnswerForm, CheckOutForm, RequestForm
from screens.stays.desk import ConfirmForm, VisitForm
from tests.helpers.pilot import notifications, screen_lines, screen_text, settle, shown
from tests.ui.stays.helpers import arrive_today, check_in, open_stays, rooms, sign


def staying(db, team) -> int:
    rooms(db, team)
    contract_id = sign(db, team)
    arrive_today(db, team, contract_id)
    check_in(db, team, contract_id)
    return contract_id


async def test_a_department_confirms_the_notice_and_the_day_is_visited(make_app, db, team):
    contract_id = staying(db, team)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmForm)
        text = screen_text(app)
        assert "王小红 13800001111" in text and "YZ-2026-001" in text and "Kitchen" in text
        assert app.focused.id == "signed_by"  # the first department still to sign is set
        app.screen.field("signed_by").value = "陈店长"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmForm)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, VisitForm)
        assert "Day 1: go through the house rules" in screen_text(app)
        await pilot.press(*"ok", "enter")
        await settle(pilot)
        assert any("Visit recorded" in notice for notice in notifications(app))
    with db.read() as session:
        assert stays.notice(session, contract_id).confirmed["manager"][0] == "陈店长"
        assert stays.visits(session, contract_id)[0].note == "ok"


async def test_a_complaint_waiting_ten_minutes_is_flagged_until_answered(make_app, db, team):
    staying(db, team)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RequestForm)
        assert "within ten minutes" in screen_text(app)
        form = app.screen
        form.field("kind").value = "complaint"
        form.field("department").value = "housekeeping"
        form.field("text").value = "空调太吵"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("answer her within ten minutes" in n for n in notifications(app))
        clock.advance(minutes=11)
        app.update_status_line()
        screen = app.screen
        screen.reload()
        await pilot.pause()
        assert "Complaints >10 min unanswered: 1" in screen_lines(app)[-2]
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, Choose) and "空调太吵" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AnswerForm)
        await pilot.press(*"fixed", "ctrl+s")
        await settle(pilot)
        app.update_status_line()
        await pilot.pause()
        assert "Complaints" not in screen_lines(app)[-2]
        assert "Open requests: 1" in screen_text(app)  # answered, not yet done


async def test_check_out_keeps_a_lost_card_from_the_deposit(make_app, db, team):
    contract_id = staying(db, team)
    clock.advance(days=28)
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, CheckOutForm)
        assert "押金 2,000 元 · 房卡丢失每张扣 200 元" in screen_text(app)
        form = app.screen
        form.field("items_confirmed").value = "y"
        form.field("room_checked").value = "y"
        form.field("lost_cards").value = "1"
        form.field("refund").value = "2000"
        form.field("survey_score").value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown(form, "#refund-error") == "退款应为押金减扣款：1,800 元"
        form.field("refund").value = "2500"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown(form, "#refund-error") == "退款不能超过押金 2,000 元"
        form.field("refund").value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CheckOutForm)
        assert any("退押金 1,800 元（扣 200 元）" in n for n in notifications(app))
        assert "清洁中" in screen_text(app)
    with db.read() as session:
        assert session.get(Contract, contract_id).status == "checked_out"
        refund = session.exec(select(Payment).where(Payment.kind == "refund")).one()
        assert refund.amount == -180_000


async def test_a_payment_is_corrected_by_a_new_line_and_a_room_made_ready(make_app, db,
                                                                          team):
    contract_id = staying(db, team)
    with db.write() as session:
        room = stays.list_rooms(session)[2]  # 603
        stays.set_room_state(session, room.id, "cleaning", by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_stays(app, pilot)
        assert "603  cleaning" in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, Choose)
        assert "S20261122-002 Deposit · cash 2,000" in screen_text(app)  # newest first
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"typed twice", "enter")
        await settle(pilot)
        assert any("Corrected: receipt S20261122-003" in n for n in notifications(app))
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("3")  # the third room, 603
        await settle(pilot)
        await pilot.press("1")  # ready
        await settle(pilot)
        assert app.screen is screen and "603  free" in screen_text(app)
    with db.read() as session:
        lines = stays.of_contract(session, contract_id)
        assert [(line.kind, line.amount) for line in lines] == [
            ("balance", 6_800_000), ("deposit", 200_000), ("correction", -200_000)]
        assert stays.held(session, contract_id).deposit_held == 0
