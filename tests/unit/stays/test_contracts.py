"""Contracts: the handover's fields validated, rooms and their overlaps, the archive."""

from datetime import timedelta

import pytest
from sqlmodel import select

from models import Contract, Customer
from reception import stays
from reception.errors import ValidationError
from tests.conftest import today
from tests.unit.stays.helpers import ID_NUMBER, arrive_today, handover, rooms, sign


def refused(db, team, **changes) -> ValidationError:
    with pytest.raises(ValidationError) as raised, db.write() as session:
        stays.sign(session, handover(**changes), by=team.receptionist.id)
    return raised.value


def test_a_signed_contract_keeps_the_handover(db, team):
    rooms(db, team)
    contract_id = sign(db, team, sales="李前台")
    with db.read() as session:
        contract = session.get(Contract, contract_id)
        customer = session.get(Customer, contract.customer_id)
        assert (customer.name, customer.phone) == ("王小红", "13800001111")
        assert contract.price == 8_800_000 and contract.list_price == 9_800_000
        assert contract.first_payment == 2_000_000
        assert contract.balance_due == 6_800_000  # the price less the first payment
        assert contract.hospital_escort and contract.days == 28
        assert contract.id_number == ID_NUMBER and contract.status == "signed"
        assert contract.sales_id == team.receptionist.id
        line = stays.open_contracts(session)[0]
        assert line.id_masked == "1101**********002X" and line.phone == "138****1111"
        assert line.room == "601"


@pytest.mark.parametrize(("changes", "field", "key"), [
    ({"due_day": "2026-11-21"}, "due_day", "stays.due_in_past"),  # the day before today
    ({"due_day": "2026-13-40"}, "due_day", "stays.bad_day"),
    ({"price": "12.345"}, "price", "stays.bad_money"),
    ({"price": "100000"}, "price", "stays.price_above_list"),
    ({"balance_due": "1"}, "balance_due", "stays.balance_mismatch"),
    ({"phone": "12345"}, "phone", "phone.invalid"),
    ({"emergency_phone": "999"}, "emergency_phone", "phone.invalid"),
    ({"id_number": "110105194912310021"}, "id_number", "stays.bad_id_number"),
    ({"room": "999"}, "room", "stays.no_such_room"),
    ({"hospital_escort": "maybe"}, "hospital_escort", "stays.bad_yes_no"),
    ({"sales": "nobody"}, "sales", "stays.no_such_staff"),
])
def test_every_field_is_checked_and_nothing_is_half_saved(db, team, changes, field, key):
    rooms(db, team)
    error = refused(db, team, **changes)
    assert (error.field, error.message_key) == (field, key)
    with db.read() as session:
        assert session.exec(select(Contract)).all() == []
        assert session.exec(select(Customer)).all() == []


def test_a_room_out_of_service_is_refused(db, team):
    rooms(db, team)
    with db.write() as session:
        room = stays.list_rooms(session)[0]
        stays.set_room_state(session, room.id, "out", by=team.manager.id)
    assert refused(db, team).message_key == "stays.room_out"


def test_an_overlapping_booking_is_refused_naming_the_other(db, team):
    rooms(db, team)
    sign(db, team)
    due = today() + timedelta(days=70)  # within the first contract's 28 days from day 60
    error = refused(db, team, number="YZ-2026-002", phone="13800003333", name="赵敏",
                    due_day=due.isoformat())
    assert error.field == "room" and error.message_key == "stays.room_overlap"
    assert "YZ-2026-001" in str(error) and "王小红" in str(error)
    # After the first stay's 28 days the room is free again.
    sign(db, team, number="YZ-2026-003", phone="13800003333", name="赵敏",
         due_day=(today() + timedelta(days=88)).isoformat())


def test_the_archive_grows_and_the_board_shows_the_room(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    arrive_today(db, team, contract_id)
    with db.read() as session:
        contract = session.get(Contract, contract_id)
        assert contract.delivery_mode == "natural" and contract.baby_weight_g == 3200
        assert [line.number for line in stays.arrivals(session)] == ["YZ-2026-001"]
        board = {line.name: line for line in stays.board(session)}
        assert board["601"].state == "booked" and board["601"].who == "王小红"
        assert board["601"].until == today() + timedelta(days=27)
        assert board["602"].state == "free"


def test_archive_refuses_a_check_out_before_the_check_in(db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    with pytest.raises(ValidationError) as raised, db.write() as session:
        contract = stays.get(session, contract_id)
        stays.update_archive(session, contract_id, {
            "due_day": contract.due_day.isoformat(), "arrival_day": "2026-12-20",
            "check_out_day": "2026-12-10"}, by=team.receptionist.id)
    assert raised.value.field == "check_out_day"
