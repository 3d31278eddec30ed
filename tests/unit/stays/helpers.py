"""What the stays' domain and screen tests share: rooms, a signed contract, a check-in."""

from datetime import timedelta

from reception import stays
from tests.conftest import today

#: A valid mainland ID card number (its check digit right).
ID_NUMBER = "11010519491231002X"


def handover(**changes) -> dict[str, str]:
    values = {
        "number": "YZ-2026-001", "name": "王小红", "phone": "13800001111",
        "id_number": ID_NUMBER, "emergency_name": "李明", "emergency_relation": "丈夫",
        "emergency_phone": "13900002222", "address": "上海市静安区 1 号",
        "package": "尊享套餐", "days": "28", "list_price": "98000", "price": "88000",
        "first_payment": "20000", "balance_due": "", "card_fee": "0",
        "signed_day": today().isoformat(), "hospital": "国际妇幼保健院",
        "hospital_escort": "y", "due_day": (today() + timedelta(days=60)).isoformat(),
        "room": "601", "in_contract": "28 天月子餐", "not_in_contract": "满月照",
        "other_terms": "", "special_requests": "不吃辣", "sales": "", "service": "",
    }
    values.update(changes)
    return values


def rooms(db, team) -> None:
    with db.write() as session:
        stays.ensure_rooms(session, by=team.manager.id)


def sign(db, team, **changes):
    with db.write() as session:
        return stays.sign(session, handover(**changes), by=team.receptionist.id).id


def arrive_today(db, team, contract_id: int) -> None:
    """The archive says she arrives today (delivered two days ago)."""
    with db.write() as session:
        contract = stays.get(session, contract_id)
        stays.update_archive(session, contract_id, {
            "due_day": contract.due_day.isoformat(),
            "delivery_day": (today() - timedelta(days=2)).isoformat(),
            "delivery_mode": "natural", "babies": "1", "baby_sex": "girl",
            "baby_weight_g": "3200", "arrival_day": today().isoformat()},
            by=team.receptionist.id)


def check_in(db, team, contract_id: int, **changes):
    values = {"room": "601", "balance": "68000", "balance_method": "wechat",
              "deposit": "2000", "deposit_method": "cash"}
    values.update(changes)
    with db.write() as session:
        return stays.check_in(session, contract_id, values, by=team.receptionist.id)
