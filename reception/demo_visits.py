"""The demo's customers and visits, day by day: new and returning customers, booked
appointments, the paths they take, outcomes, case numbers and departures.
"""

import json
from datetime import date, datetime, timedelta

from models import (
    Appointment,
    Call,
    CaseNumberDay,
    Customer,
    Visit,
)
from reception.case_numbers import case_number
from reception.demo_data import (
    CUSTOMER_NOTES,
    INTERESTS,
    LAST_ARRIVAL,
    OPEN,
    SOURCES,
    name_initials,
)


class VisitDays:
    """Visits of each day (a mixin of the demo builder: it owns ``rng``, ``out`` …)."""

    def add_day(self, day: date, new_count: int, returning_count: int) -> None:
        rng, out = self.rng, self.out
        is_today = day == self.today
        duty = self.add_rota(day)
        if is_today:
            self.duty_today = duty
        receptionists = duty["receptionist"]
        first_minute, last_minute = self.window(day)
        dealt_before = len(self.dealt)
        customers_before = self.customer_ids

        # Arrivals: (minute, is_new); new ones in order of arrival get the next ids.
        new_minutes = sorted(rng.uniform(first_minute, last_minute) for _ in range(new_count))
        returning_minutes = sorted(rng.uniform(first_minute, last_minute)
                                   for _ in range(returning_count))
        visits: list[dict] = []
        for minute in new_minutes:
            self.customer_ids += 1
            visits.append({"minute": minute, "new": True, "customer": self.customer_ids,
                           "path": "B" if rng.random() < 0.4 else "A"})
        seen_today: set[int] = set()
        for minute in returning_minutes:
            customer = self.pick_returning(dealt_before, customers_before, seen_today)
            # Early on nobody has a case number yet: such a visitor does not deal (a first
            # deal would need a new case number on a customer written days ago).
            visits.append({"minute": minute, "new": False, "customer": customer,
                           "path": "C1" if rng.random() < 0.4 else "C2",
                           "no_deal": not dealt_before})
        if is_today:
            self.force_today_in_progress(visits, last_minute)

        # How each visit went.
        for visit in visits:
            visit["duration"] = rng.uniform(35, 150)
            if visit["new"]:
                consultant = rng.choice(duty["consultant"])
                self.consultant_of.append(self.consultants.index(consultant))
            else:
                own = self.consultants[self.consultant_of[visit["customer"]]]
                consultant = own if own in duty["consultant"] else rng.choice(duty["consultant"])
            visit["consultant"] = consultant
            self.settle(visit, is_today)

        # First deals get the day's case numbers in order of departure.
        first_deals = sorted((v for v in visits if v["new"] and v["outcome"] == "deal"),
                             key=lambda v: v["departed"])
        # (After the numbers the day has from another branch of the chain, if any.)
        handed_out = self.case_seq.get(day, 0)
        for seq, visit in enumerate(first_deals, start=handed_out + 1):
            visit["case_number"] = case_number(day, seq)
            self.dealt.append(visit["customer"])
        if first_deals:
            self.case_seq[day] = handed_out + len(first_deals)
            if day not in self.chain.case_seq:
                out.add(CaseNumberDay, day=day, last_seq=len(first_deals))

        for visit in visits:
            if visit["new"]:
                self.add_customer(day, visit, rng.choice(receptionists))
        for visit in visits:
            self.add_visit(day, visit, rng.choice(receptionists))
        self.add_case_files(day, duty, [v for v in visits if v["path"] == "C2"], is_today)
        self.add_vip_loans(day, duty, is_today)
        self.add_calls(day, duty, is_today)
        self.add_visitors(day, duty, is_today)
        if day < self.today:
            for visit in visits:
                if visit["new"]:
                    self.add_callback(day, visit["customer"], receptionists)
        if day >= self.recent_from and day < self.today:
            self.add_sign_ins(day, receptionists)
        if day >= self.recent_from:
            self.add_logbook_day(day, duty, is_today)

    def pick_returning(self, dealt_before: int, customers_before: int,
                       seen_today: set[int]) -> int:
        """A customer from an earlier day (one who dealt, if any), once a day if possible."""
        rng = self.rng
        pool = dealt_before or customers_before
        for _ in range(5):
            index = rng.randrange(pool)
            customer = self.dealt[index] if dealt_before else index + 1
            if customer not in seen_today:
                break
        seen_today.add(customer)
        return customer

    def force_today_in_progress(self, visits: list[dict], last_minute: float) -> None:
        """Today shows someone waiting, someone with a consultant and someone in treatment."""
        latest_first = sorted(visits, key=lambda v: v["minute"], reverse=True)
        if not latest_first:
            return
        forced = [(latest_first[0], 3, "waiting")]
        rest = latest_first[1:]
        in_treatment = next((v for v in rest if not v["new"]), None)
        if in_treatment is not None:
            in_treatment["path"] = "C2"
            forced.append((in_treatment, 35, "in_treatment"))
            rest.remove(in_treatment)
        if rest:
            forced.append((rest[0], 20, "with_consultant"))
        for visit, minutes_ago, status in forced:
            visit["minute"] = max(0.0, min(visit["minute"], last_minute - minutes_ago))
            visit["forced"] = status

    def settle(self, visit: dict, is_today: bool) -> None:
        """Status, outcome and departure: past visits all left; today's may still be in."""
        rng = self.rng
        arrived = visit["minute"]
        ends = arrived + visit["duration"]
        forced = visit.get("forced")
        if is_today and (forced or ends > self.now_minute):
            elapsed = max(0.0, self.now_minute - arrived)
            if forced:
                status = forced
            elif elapsed < 8:
                status = "waiting"
            else:
                status = {"A": "with_consultant", "B": "with_consultant",
                          "C1": "with_doctor", "C2": "in_treatment"}[visit["path"]]
            visit.update(status=status, outcome=None, departed=None,
                         since=arrived if status == "waiting" else arrived + min(elapsed, 6))
            return
        deal_chance = {"A": 0.4, "B": 0.55, "C1": 0.5, "C2": 0.3}[visit["path"]]
        if visit.get("no_deal"):
            deal_chance = 0.0
        visit.update(status="left", outcome="deal" if rng.random() < deal_chance else "no_deal",
                     departed=ends, since=ends)

    def add_customer(self, day: date, visit: dict, receptionist: int) -> None:
        name, gender = self.new_name()
        interest = self.rng.choice(INTERESTS)
        visit["interest"] = interest
        self.out.add(
            Customer, id=visit["customer"], name=name, phone=self.new_phone(), gender=gender,
            name_initials=name_initials(name, self.initials_cache),
            source=self.rng.choice(SOURCES), interest=interest,
            case_number=visit.get("case_number"),
            consultant_id=visit["consultant"], first_visit_day=day,
            note=self.rng.choice(CUSTOMER_NOTES),
            created_at=self.at(day, visit["minute"]), created_by_id=receptionist,
        )

    def add_visit(self, day: date, visit: dict, receptionist: int) -> None:
        rng, out = self.rng, self.out
        arrived_at = self.at(day, visit["minute"])
        appointment_id = None
        if visit["path"] == "B":
            appointment_id = self.add_booked_appointment(day, visit, arrived_at)
        purpose = visit.get("interest") or rng.choice(INTERESTS)
        deal = visit["outcome"] == "deal"
        visit["id"] = out.add(
            Visit, day=day, customer_id=visit["customer"], is_new=visit["new"],
            path=visit["path"], purpose=purpose, consultant_id=visit["consultant"],
            appointment_id=appointment_id, status=visit["status"],
            status_since=self.at(day, visit["since"]), arrived_at=arrived_at,
            outcome=visit["outcome"],
            items=f"{purpose} {rng.choice((1, 1, 3, 5, 10))} 次" if deal else "",
            amount_cents=rng.randrange(8, 300) * 10_000 if deal and rng.random() < 0.8 else None,
            departed_at=self.at(day, visit["departed"]) if visit["departed"] else None,
            created_at=arrived_at, created_by_id=receptionist,
        )

    def add_booked_appointment(self, day: date, visit: dict, arrived_at: datetime) -> int:
        """Path B: booked by phone some days before, arrived now."""
        rng = self.rng
        booked_on = max(self.history[0], day - timedelta(days=rng.randint(1, 7)))
        booked_minute = rng.uniform(OPEN, LAST_ARRIVAL)
        if booked_on == day:
            booked_minute = max(0.0, min(booked_minute, visit["minute"] - 5))
        booked_at = self.at(booked_on, booked_minute)
        receptionist = rng.choice(self.staff_by_role["receptionist"])
        scheduled_minute = max(OPEN, round(visit["minute"] / 30) * 30)
        call_id = self.out.add(
            Call, day=booked_on, started_at=booked_at,
            ended_at=booked_at + timedelta(minutes=rng.uniform(2, 6)),
            path=json.dumps(["greeting", "enquiry", "book_appointment"]), outcome="booked",
            caller_name="", caller_phone="", note="", taken_by_id=receptionist,
            created_at=booked_at, created_by_id=receptionist,
        )
        return self.out.add(
            Appointment, number=self.appointment_number(day),
            customer_id=visit["customer"] if not visit["new"] else None,
            name="", phone="", consultant_id=visit["consultant"],
            scheduled_at=self.at(day, scheduled_minute), day=day,
            purpose=visit.get("interest", ""), status="arrived", arrived_at=arrived_at,
            call_id=call_id, created_at=booked_at, created_by_id=receptionist,
        )

    def appointment_number(self, day: date) -> str:
        seq = self.appointment_seq.get(day, 0) + 1
        self.appointment_seq[day] = seq
        return f"{day:%y%m%d}-{seq:02d}"  # as reception.appointments numbers them
