"""The demo's logbook area: the built-in kinds, the seeds' checklist items and two rooms at
setup; on each recent day the checklists ticked (a patrol round now and then missed),
deliveries, supplies taken, visitors registered on the form with their drinks, a handover
acknowledged, and room bookings today and tomorrow.
"""

import json
from datetime import date, timedelta

from models import (
    ChecklistItem,
    ChecklistTick,
    Handover,
    LogEntry,
    LogKind,
    Room,
    RoomBooking,
    Visitor,
)
from reception.checklists import DEFAULT_ITEMS
from reception.demo_data import CLOSE, OPEN
from reception.logbook_rules import BUILTIN

CARRIERS = ("顺丰", "EMS", "中通", "京东", "圆通")
SUPPLIES = (("美容部", "纸巾", "治疗室"), ("医生办公室", "一次性杯子", "会诊"),
            ("咨询部", "宣传册", "接待新客"))
COMPANIES = ("华美装修", "康宁医疗器械", "新世纪广告", "")
DRINKS = ("茶", "柠檬水", "咖啡", "温水")
#: The demo's patrols and dusk (the settings' defaults: every 30 minutes; autumn 17:30).
PATROL_MINUTES = 30
DUSK = {"spring": 18 * 60, "summer": 19 * 60, "autumn": 17 * 60 + 30, "winter": 17 * 60}


def _season(day: date) -> str:
    return ("spring", "summer", "autumn", "winter")[((day.month - 3) % 12) // 3]


class LogbookDays:
    """A mixin of the demo builder (``self.out``, ``self.rng``, ``self.at`` …)."""

    def add_logbook_setup(self, setup_at) -> None:
        out = self.out
        self.log_kinds = {code: out.add(LogKind, code=code, name="", fields="",
                                        position=position, active=True, created_at=setup_at,
                                        created_by_id=self.manager)
                          for position, code in enumerate(BUILTIN)}
        self.checklist_items: dict[str, list[int]] = {}
        # The checklists are kept from the recent days on (older days have none).
        since = self.at(self.recent_from - timedelta(days=1), 18 * 60)
        for checklist, codes in DEFAULT_ITEMS.items():
            self.checklist_items[checklist] = [
                out.add(ChecklistItem, checklist=checklist, code=code, text="",
                        position=position, active=True, created_at=since,
                        created_by_id=self.manager)
                for position, code in enumerate(codes)]
        self.rooms = [out.add(Room, name=name, kind=kind, active=True, created_at=setup_at,
                              created_by_id=self.manager)
                      for name, kind in (("会议室", "meeting"), ("VIP室", "vip"))]

    def _entry(self, day: date, code: str, minute: float, by: int, data: dict,
               **links) -> None:
        self.out.add(LogEntry, kind_id=self.log_kinds[code], day=day, at=self.at(day, minute),
                     data=json.dumps(data, ensure_ascii=False), voids=False, note="",
                     created_at=self.at(day, minute), created_by_id=by, **links)

    def _tick(self, day: date, item_id: int, number: int, due: float, minute: float,
              by: int) -> None:
        self.out.add(ChecklistTick, day=day, item_id=item_id, round=number,
                     due_at=self.at(day, due), ticked_at=self.at(day, minute), staff_id=by,
                     note="", created_at=self.at(day, minute), created_by_id=by)

    def add_logbook_day(self, day: date, duty: dict, is_today: bool) -> None:
        rng = self.rng
        now = self.now_minute if is_today else 24 * 60
        desk = duty["receptionist"]
        # Checklists: opening before nine, patrols (today one is missed), dusk, closing.
        for item in self.checklist_items["opening"]:
            minute = OPEN - rng.uniform(2, 20)
            if minute < now:
                self._tick(day, item, 0, OPEN, minute, desk[0])
        rounds = range(1, (CLOSE - OPEN) // PATROL_MINUTES + 1)
        missed = (self.now_minute - OPEN) // PATROL_MINUTES - 1 if is_today else 0
        for item in self.checklist_items["patrol"]:
            for number in rounds:
                due = OPEN + number * PATROL_MINUTES
                minute = due - rng.uniform(1, 10)
                if minute < now and number != missed:
                    self._tick(day, item, number, due, minute, rng.choice(desk))
        dusk = DUSK[_season(day)]
        for item in self.checklist_items["dusk"]:
            if dusk + 3 < now:
                self._tick(day, item, 0, dusk, dusk + rng.uniform(0, 3), desk[-1])
        for item in self.checklist_items["closing"]:
            minute = CLOSE - rng.uniform(1, 15)
            if minute < now:
                self._tick(day, item, 0, CLOSE, minute, desk[-1])
        staff = self.staff_names
        # Deliveries and supplies.
        for _ in range(rng.choice((0, 1, 1, 2))):
            minute = rng.uniform(OPEN + 30, CLOSE - 60)
            if minute < now:
                by = rng.choice(desk)
                self._entry(day, "delivery", minute, by, {
                    "carrier": rng.choice(CARRIERS), "recipient": staff[self.manager],
                    "parcels": rng.randint(1, 3), "signed_by": staff[by],
                    "handed_to": staff[self.manager] if rng.random() < 0.7 else "",
                    "time": self.at(day, minute).strftime("%H:%M")})
        if rng.random() < 0.5:
            minute = rng.uniform(OPEN + 60, CLOSE - 60)
            if minute < now:
                department, item, purpose = rng.choice(SUPPLIES)
                taker = rng.choice(duty["beautician"] + duty["consultant"])
                self._entry(day, "supplies", minute, rng.choice(desk), {
                    "department": department, "item": item, "quantity": rng.randint(1, 5),
                    "purpose": purpose, "requester": staff[taker]}, staff_id=taker)
        self._registered_visitor(day, duty, now)
        # The shift changes at three: the morning desk hands over, the evening desk reads it.
        if len(desk) > 1 and 15 * 60 + 10 < now:
            self.out.add(Handover, day=day, from_staff_id=desk[0],
                         note=rng.choice(("前台打印机缺纸", "下午有VIP客人", "")),
                         contents=json.dumps({"drinks": rng.randint(3, 12)}),
                         acknowledged_at=self.at(day, 15 * 60 + 5), acknowledged_by_id=desk[1],
                         created_at=self.at(day, 15 * 60), created_by_id=desk[0])
        if is_today:
            self._bookings(day, desk[0])

    def _registered_visitor(self, day: date, duty: dict, now: float) -> None:
        rng = self.rng
        minute = rng.uniform(OPEN + 30, CLOSE - 90)
        if minute >= now or rng.random() < 0.4:
            return
        left = minute + rng.uniform(20, 80)
        gone = left < now
        people = rng.randint(1, 3)
        badge = f"T-{rng.randint(1, 20):02d}"
        drink = rng.choice(DRINKS)
        by = rng.choice(duty["receptionist"])
        name = self.new_name()[0][:1] + "总"
        visitor = self.out.add(
            Visitor, day=day, name=name, phone=self.new_phone(), kind="boss",
            host=self.staff_names[self.manager], host_id=self.manager, has_appointment=True,
            reason="洽谈合作", decision="received", arrived_at=self.at(day, minute),
            left_at=self.at(day, left) if gone else None, company=rng.choice(COMPANIES),
            people=people, room="会议室", id_checked=True, drink=drink, badge=badge,
            badge_returned_at=self.at(day, left) if gone else None,
            created_at=self.at(day, minute), created_by_id=by)
        self._entry(day, "drinks", minute + 2, by, {
            "drink": drink, "served_to": name, "count": people,
            "served_by": self.staff_names[by]}, visitor_id=visitor, staff_id=by)

    def _bookings(self, day: date, by: int) -> None:
        start = (self.now_minute // 30 + 2) * 30
        tomorrow = day + timedelta(days=1)
        for when, minute in ((day, start), (tomorrow, OPEN + 90)):
            if when == day and minute + 60 > CLOSE:
                continue
            self.out.add(RoomBooking, room_id=self.rooms[0], day=when,
                         starts_at=self.at(when, minute), ends_at=self.at(when, minute + 60),
                         host=self.staff_names[self.manager], people=self.rng.randint(2, 8),
                         tea=True, air_conditioning=self.rng.random() < 0.5, note="",
                         created_at=self.now_utc, created_by_id=by)
