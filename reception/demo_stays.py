"""The demo's postpartum centre (F7): rooms and a centre's worth of contracts in every
state — signed and waiting for the birth, arriving today and tomorrow, in their stay, and
checked out with the deposit refunded — made through the stays' own rules, each on its
day (the clock is moved there), so every payment has its receipt and every call its day.

Past days stay clean for the night check; today has what a real morning has: an arrival
to check in, a notice still being confirmed for tomorrow, a meal request open.
"""

import random
from datetime import timedelta

import arrow

from reception import stays
from reception.clock import clock
from reception.db import Database

PACKAGES = (("尊享套餐", 28, 88000), ("臻选套餐", 42, 128000), ("经典套餐", 28, 58000))
HOSPITALS = ("国际妇幼保健院", "第一妇婴保健院", "红房子医院")
#: A valid ID card number (its check digit right) for every demo contract.
DEMO_ID = "11010519491231002X"


def _on(day, hour: int = 10):
    """``hour`` o'clock on ``day``, never later than a few minutes ago."""
    return min(arrow.Arrow(day.year, day.month, day.day, hour, tzinfo=clock.tz),
               clock.now().shift(minutes=-5))


def add_stays(database: Database, rng: random.Random, *, names: list[str],
              phones: list[str], by: int) -> int:
    """Contracts for ``names`` (with ``phones``); returns how many were made."""
    today = clock.today()
    with database.write() as session:
        stays.ensure_rooms(session, by=by)
    # (days before today signed, due in days from today, state)
    plans = [(40, 60, "signed"), (20, 90, "signed"), (5, 120, "signed"),
             (200, -3, "arriving"), (180, -1, "tomorrow"),
             (230, -12, "in_stay"), (210, -6, "in_stay"), (260, -32, "checked_out")]
    rooms = iter(("601", "602", "603", "605", "606", "608", "603", "602"))
    made = 0
    for number, ((signed_back, due_in, state), name, phone) in enumerate(
            zip(plans, names, phones, strict=False), start=1):
        package, days, price = PACKAGES[number % len(PACKAGES)]
        signed = today - timedelta(days=signed_back)
        due = today + timedelta(days=due_in) if state == "signed" else \
            signed + timedelta(days=rng.randint(200, 260))
        born = today + timedelta(days=due_in)  # the past states: delivered that day
        room = next(rooms)
        # Signed (and its archive kept) as typed in today: the calls of days gone by are
        # not made late; the rest of the stay happens on its own days.
        with database.write() as session:
            contract = stays.sign(session, {
                "number": f"YZ{signed:%Y%m}-{number:03d}", "name": name, "phone": phone,
                "id_number": DEMO_ID, "emergency_name": "家属", "emergency_relation": "丈夫",
                "package": package, "days": str(days), "list_price": str(price + 10000),
                "price": str(price), "first_payment": "20000",
                "signed_day": signed.isoformat(), "hospital": rng.choice(HOSPITALS),
                "hospital_escort": "y", "due_day": due.isoformat(),
                "room": room if state != "signed" or number == 1 else "",
                "special_requests": rng.choice(("不吃辣", "少盐", "", "对海鲜过敏"))},
                by=by)
            contract_id = contract.id
        made += 1
        if state == "signed":
            continue
        arrival = {"arriving": today, "tomorrow": today + timedelta(days=1)}.get(
            state, born + timedelta(days=3))
        with database.write() as session:
            stays.update_archive(session, contract_id, {
                "due_day": due.isoformat(), "delivery_day": min(born, today).isoformat(),
                "delivery_mode": rng.choice(stays.DELIVERY_MODES), "babies": "1",
                "baby_sex": rng.choice(("girl", "boy")),
                "baby_weight_g": str(rng.randint(2800, 3800)), "nurse": "周育婴",
                "arrival_day": arrival.isoformat(), "vouchers": "现金券 500 元",
                "extras": "满月照"}, by=by)
        confirm_on = arrival - timedelta(days=1)
        with clock.moved_to(_on(confirm_on, 16)), database.write() as session:
            departments = stays.DEPARTMENTS[:4] if state == "tomorrow" else stays.DEPARTMENTS
            for department in departments:
                stays.confirm(session, contract_id, department, "签字", by=by)
        if state in ("arriving", "tomorrow"):
            continue
        with clock.moved_to(_on(arrival, 15)), database.write() as session:
            stays.check_in(session, contract_id, {
                "room": room, "balance": str(price - 20000),
                "balance_method": rng.choice(("card_credit", "wechat", "alipay")),
                "deposit": "", "deposit_method": "cash"}, by=by)
        for day_no in range(1, 8):
            visit_day = arrival + timedelta(days=day_no - 1)
            if visit_day > today or (visit_day == today and state == "in_stay"):
                break
            with clock.moved_to(_on(visit_day, 11)), database.write() as session:
                stays.mark_visit(session, contract_id, day_no, by=by)
        if state == "in_stay":
            with clock.moved_to(_on(arrival + timedelta(days=1), 14)), \
                    database.write() as session:
                complaint = stays.add_request(session, contract_id, kind="complaint",
                                              text="空调有噪音", department="housekeeping",
                                              by=by)
            with clock.moved_to(_on(arrival + timedelta(days=1), 14).shift(minutes=6)), \
                    database.write() as session:
                stays.answer(session, complaint.id, "已请房务部检修", done=True, by=by)
            with clock.moved_to(clock.now().shift(minutes=-30)), database.write() as session:
                stays.add_request(session, contract_id, kind="meal", text="午餐少盐",
                                  department="kitchen", by=by)
            continue
        leave = arrival + timedelta(days=days)
        with clock.moved_to(_on(leave, 10)), database.write() as session:
            stays.check_out(session, contract_id, {
                "items_confirmed": "y", "room_checked": "y", "lost_cards": "1",
                "survey_score": "5", "survey_text": "服务很贴心"}, by=by)
            room_id = stays.get(session, contract_id).room_id
        with clock.moved_to(_on(leave, 15)), database.write() as session:
            stays.set_room_state(session, room_id, "ok", by=by)
    return made
