"""The contract handover and the archive at 80×24: a burst through the handover, a due
date in the past said at its field (en and zh), the archive moving the calls to come."""

import pytest
from sqlmodel import select

from models import Contract, Customer
from reception import i18n, stays
from reception.clock import clock
from screens.stays.contract import ArchiveForm, ContractForm
from tests.conftest import today
from tests.helpers.pilot import notifications, screen_text, settle, shown
from tests.ui.stays.helpers import burst, open_stays, rooms, sign

#: The handover typed field by field (Tab-free: Enter moves on), in the form's order.
TYPED = ["YZ-9", "王小红", "13800001111", "11010519491231002X", "李明", "丈夫",
         "13900002222", "上海", "尊享", "", "98000", "88000", "20000", "", "0", "",
         "协和"]


async def test_a_burst_fills_the_handover_and_signs(make_app, db, team):
    rooms(db, team)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ContractForm)
        assert "Contract handover" in screen_text(app) and app.focused.id == "number"
        # Chinese arrives through the input method (a paste): put in place, the rest typed.
        for index in range(0, len(TYPED)):
            if not TYPED[index].isascii():
                app.screen.field(app.screen.field_ids()[index]).value = TYPED[index]
        ascii_keys = []
        for text in TYPED:
            ascii_keys += [*(text if text.isascii() else ""), "enter"]
        # Escort (a list: Enter goes past it), due date, room, then Ctrl+S: one write.
        ascii_keys += ["enter", *"2027-01-21", "enter", *"601", "ctrl+s"]
        await burst(app, ascii_keys)
        await settle(pilot)
        assert not isinstance(app.screen, ContractForm), screen_text(app)
        assert any("YZ-9" in notice for notice in notifications(app))
        assert "YZ-9" in screen_text(app)
    with db.read() as session:
        contract = session.exec(select(Contract)).one()
        customer = session.get(Customer, contract.customer_id)
        assert (contract.number, customer.name, contract.hospital) == ("YZ-9", "王小红", "协和")
        assert contract.price == 8_800_000 and contract.balance_due == 6_800_000
        assert contract.due_day.isoformat() == "2027-01-21" and contract.days == 28


@pytest.mark.parametrize(("language", "message"), [
    ("en", "The due date is in the past: check it"), ("zh", "预产期已过，请核对")])
async def test_a_due_date_in_the_past_is_said_at_its_field(make_app, db, team, language,
                                                           message):
    rooms(db, team)
    i18n.set_language(language)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)
        await pilot.press("n")
        await settle(pilot)
        assert i18n.t("stays.contract_title") in screen_text(app)
        form = app.screen
        for field_id, value in {"number": "YZ-1", "name": "王小红", "phone": "13800001111",
                                "id_number": "11010519491231002X", "package": "A",
                                "price": "88000", "due_day": "2026-11-01"}.items():
            form.field(field_id).value = value
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown(form, "#due_day-error") == message and app.focused.id == "due_day"
        await pilot.pause()
        assert message in screen_text(app)  # scrolled to it, seen at 80×24
    with db.read() as session:
        assert session.exec(select(Contract)).all() == []


async def test_the_archive_records_the_delivery_and_moves_the_calls(make_app, db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    clock.advance(days=10)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_stays(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ArchiveForm)
        assert "Customer archive" in screen_text(app) and "YZ-2026-001" in screen_text(app)
        app.screen.field("delivery_day").value = today().isoformat()
        app.screen.field("delivery_mode").value = "caesarean"
        app.screen.field("arrival_day").value = "2026-12-05"
        app.screen.field("nurse").value = "周育婴"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ArchiveForm)
    with db.read() as session:
        contract = session.get(Contract, contract_id)
        assert contract.delivery_mode == "caesarean" and contract.nurse == "周育婴"
        topics = {topic for topic, callback in stays.calls_of(session, contract)
                  if callback.due_day > today()}
        assert topics == {"hospital"}  # born today: no more pregnancy calls to come
