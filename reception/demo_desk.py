"""The demo's other desk work of a day: case files fetched with the archive key, VIP-room
loans, phone calls and messages, and visitors who are not customers.
"""

import json
from datetime import date, timedelta

from models import (
    Call,
    CaseFileRequest,
    KeyEvent,
    Message,
    Visitor,
)
from reception.demo_data import (
    CALL_KINDS,
    CALL_SCRIPTS,
    CALL_WEIGHTS,
    CLOSE,
    LAST_ARRIVAL,
    MATTERS,
    OPEN,
    VISITOR_KINDS,
)


class DeskDays:
    """Keys, calls and visitors of each day (a mixin of the demo builder)."""

    def add_case_files(self, day: date, duty: dict, c2_visits: list[dict],
                       is_today: bool) -> None:
        """C2 asks for case files: the archive key fetches them a few at a time.

        Today the last loan is still out, and the newest requests wait for the key.
        """
        rng, out = self.rng, self.out
        takers = duty["consultant"] + duty["cashier"]
        receptionist = duty["receptionist"][0]
        pending = sorted(c2_visits, key=lambda v: v["minute"])
        waiting: list[dict] = []
        if is_today:
            waiting = [v for v in pending if v["status"] != "left"][-2:]
            pending = [v for v in pending if v not in waiting]
        free_from = OPEN - 10.0
        kept_out = False
        chunks = [pending[i:i + 6] for i in range(0, len(pending), 6)]
        for number, chunk in enumerate(chunks):
            out_minute = max(free_from, chunk[-1]["minute"] + 2)
            back_minute = out_minute + rng.uniform(5, 20)
            if is_today and back_minute >= self.now_minute - 1:
                # Still out: this loan and every later request wait.
                kept_out = True
                out_minute = min(out_minute, self.now_minute - 0.5)
                waiting = [v for later in chunks[number + 1:] for v in later] + waiting
            taker = rng.choice(takers)
            loan = out.add(
                KeyEvent, key_id=self.archive_key, kind="out", day=day,
                at=self.at(day, out_minute), staff_id=taker,
                purpose="取病历 " + "、".join(f"#{v['customer']}" for v in chunk),
                customer_id=chunk[0]["customer"], visit_id=chunk[0]["id"],
                created_at=self.at(day, out_minute), created_by_id=receptionist,
            )
            if not kept_out:
                out.add(KeyEvent, key_id=self.archive_key, kind="back", day=day,
                        at=self.at(day, back_minute), staff_id=taker, loan_id=loan,
                        created_at=self.at(day, back_minute), created_by_id=receptionist)
                free_from = back_minute + 1
            for visit in chunk:
                out.add(CaseFileRequest, day=day, customer_id=visit["customer"],
                        visit_id=visit["id"], consultant_id=visit["consultant"],
                        key_event_id=loan, fulfilled_at=self.at(day, out_minute + 3),
                        created_at=self.at(day, visit["minute"]), created_by_id=receptionist)
            if kept_out:
                break
        for visit in waiting:
            out.add(CaseFileRequest, day=day, customer_id=visit["customer"],
                    visit_id=visit["id"], consultant_id=visit["consultant"],
                    created_at=self.at(day, visit["minute"]), created_by_id=receptionist)
        if is_today and not kept_out:
            # One key is out today: someone went to the archive room a few minutes ago.
            minute = min(max(free_from, self.now_minute - 12), self.now_minute - 0.5)
            out.add(KeyEvent, key_id=self.archive_key, kind="out", day=day,
                    at=self.at(day, minute), staff_id=rng.choice(takers),
                    purpose_code="filing", created_at=self.at(day, minute),
                    created_by_id=receptionist)

    def add_vip_loans(self, day: date, duty: dict, is_today: bool) -> None:
        rng = self.rng
        if is_today or rng.random() > 0.3:
            return
        minute = rng.uniform(OPEN + 60, LAST_ARRIVAL - 60)
        back = minute + rng.uniform(20, 55)
        taker = rng.choice(duty["consultant"] + duty["beautician"])
        loan = self.out.add(
            KeyEvent, key_id=self.vip_key, kind="out", day=day, at=self.at(day, minute),
            staff_id=taker, purpose_code="vip_guest", approved_by_id=self.manager,
            created_at=self.at(day, minute), created_by_id=duty["receptionist"][0],
        )
        self.out.add(KeyEvent, key_id=self.vip_key, kind="back", day=day,
                     at=self.at(day, back), staff_id=taker, loan_id=loan,
                     created_at=self.at(day, back), created_by_id=duty["receptionist"][0])

    def add_calls(self, day: date, duty: dict, is_today: bool) -> None:
        """Calls of the day; messages from them (today's newest not yet relayed)."""
        rng, out = self.rng, self.out
        start, end = self.window(day) if is_today else (OPEN, CLOSE - 30)
        kinds = rng.choices(CALL_KINDS, weights=CALL_WEIGHTS, k=rng.randint(3, 9))
        minutes = sorted(rng.uniform(start, end) for _ in kinds)
        if is_today:
            # The two newest calls left messages not yet relayed.
            kinds[-2:] = ["message_boss", "message_consultant"]
            minutes[-2:] = [max(start, end - 40), end]
        off_duty = [c for c in self.consultants if c not in duty["consultant"]]
        for kind, minute in zip(kinds, minutes, strict=True):
            outcome, path = CALL_SCRIPTS[kind]
            taker = rng.choice(duty["receptionist"])
            started = self.at(day, minute)
            caller, _gender = self.new_name()
            phone = self.new_phone() if kind != "abandoned" else ""
            call_id = out.add(
                Call, day=day, started_at=started,
                ended_at=started + timedelta(minutes=rng.uniform(0.5, 5)),
                path=json.dumps(path), outcome=outcome,
                caller_name=caller if kind != "abandoned" else "", caller_phone=phone,
                note="咨询停车位置" if kind == "other" else "", taken_by_id=taker,
                created_at=started, created_by_id=taker,
            )
            if outcome != "message":
                continue
            if kind == "message_boss":
                recipient = self.manager
            else:
                recipient = rng.choice(off_duty or self.consultants)
            relayed = None
            if not (is_today and minute > self.now_minute - 60):
                relayed = self.at(day, min(CLOSE, minute + rng.uniform(5, 90)))
            out.add(Message, day=day, call_id=call_id, recipient_id=recipient,
                    caller_name=caller, phone=phone, matter=rng.choice(MATTERS),
                    relayed_at=relayed, relayed_by_id=taker if relayed else None,
                    created_at=started, created_by_id=taker)

    def add_visitors(self, day: date, duty: dict, is_today: bool) -> None:
        rng = self.rng
        start, end = self.window(day)
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            kind, who, reason = rng.choice(VISITOR_KINDS)
            minute = rng.uniform(start, end)
            left = minute + rng.uniform(3, 40)
            gone = not is_today or left < self.now_minute
            receptionist = rng.choice(duty["receptionist"])
            decision = "received" if rng.random() < 0.8 else "declined"
            if kind == "boss":
                host, host_id = self.staff_names[self.manager], self.manager
            else:
                host, host_id = "", None
            self.out.add(
                Visitor, day=day, name=who + self.new_name()[0][:1] + "先生",
                phone=self.new_phone(), kind=kind, host=host, host_id=host_id,
                has_appointment=rng.random() < 0.3, reason=reason,
                decision=decision if gone else "pending",
                arrived_at=self.at(day, minute),
                left_at=self.at(day, left) if gone else None,
                created_at=self.at(day, minute), created_by_id=receptionist,
            )
