"""``reception demo``: fill an empty database with realistic demo data.

A medical-aesthetics clinic with staff in every role (every PIN is ``1234``, the manager's
``123456``; each hashed with its own salt), a rota for
every day, and the last ``days`` days up to and including today: customers with Chinese
names, mainland mobiles and pinyin initials, appointments, visits on paths A/B/C1/C2 with
outcomes and case numbers, phone calls and messages, archive-room and VIP-room key loans,
callbacks with attempts and surveys, and a few signed-off days.

Past days are complete and clean (everyone left, keys back, messages relayed); today is
in progress (customers waiting and in treatment, a key out, messages to relay, callbacks
due). The same seed and the same clock give the same data.

Large databases (``--customers 200000 --visits 1000000``) are made day by day and
written with Core ``INSERT`` executemany in batches, one write transaction per batch, so
memory stays bounded; the history is then made long enough for about
``VISITS_PER_DAY`` visits a day (ten years for a million visits).
"""

import json
import math
import random
from array import array
from datetime import date, datetime, timedelta

import arrow
from sqlalchemy import select

from models import (
    Appointment,
    AuditEntry,
    CallbackRule,
    Customer,
    DayEvent,
    PaperCount,
    RoomKey,
    RotaEntry,
    Setting,
    SignIn,
    Staff,
)
from reception import search_index
from reception.auth import PUBLISHED_PIN_COST, hash_pin
from reception.callbacks import BUILTIN_RULE_NAME
from reception.clock import clock
from reception.db import Database
from reception.demo_callbacks import CallbackDays
from reception.demo_chain import Chain, move_case_numbers_on, read_chain
from reception.demo_data import (
    CLINIC_NAME,
    CLOSE,
    DEFAULT_CUSTOMERS,
    DEFAULT_VISITS_PER_CUSTOMER,
    DEMO_MANAGER_PIN,
    DEMO_PIN,
    FEMALE_FIRST,
    FEMALE_SECOND,
    FEMALE_SINGLE,
    INTERESTS,
    LAST_ARRIVAL,
    MALE_GIVEN,
    MOBILE_PREFIXES,
    OPEN,
    SOURCES,
    STAFF,
    SURNAMES,
    VISITS_PER_DAY,
    Batches,
    apportion,
    name_initials,
)
from reception.demo_desk import DeskDays
from reception.demo_logbook import LogbookDays
from reception.demo_visits import VisitDays
from reception.errors import ReceptionError


class DemoError(ReceptionError):
    pass


def fill(
    database: Database, *, seed: int, days: int, customers: int | None, visits: int | None
) -> None:
    """Fill an empty ``database`` with demo data; DemoError if it already holds data."""
    if days < 1:
        raise DemoError("demo.bad_number", option="--days")
    if customers is not None and customers < 1:
        raise DemoError("demo.bad_number", option="--customers")
    if visits is not None and visits < 0:
        raise DemoError("demo.bad_number", option="--visits")
    with database.read() as session:
        # The branch's own staff; on a file, any customer too. On a chain the customers are
        # shared: a further branch's demo comes on top of them (reception.demo_chain).
        has_data = session.execute(select(Staff.id).limit(1)).first() is not None or (
            database.dialect != "postgresql"
            and session.execute(select(Customer.id).limit(1)).first() is not None)
        chain = read_chain(session)
    if has_data:
        raise DemoError("demo.not_empty", path=database.path)
    if customers is None:
        customers = DEFAULT_CUSTOMERS if visits is None else max(1, visits // 5)
    if visits is None:
        visits = round(customers * (DEFAULT_VISITS_PER_CUSTOMER if customers ==
                                    DEFAULT_CUSTOMERS else 5))
    history_days = max(days, math.ceil(visits / VISITS_PER_DAY))
    _DemoBuilder(database, random.Random(seed), customers=customers, visits=visits,
                 history_days=history_days, recent_days=days, chain=chain).build()


class _DemoBuilder(VisitDays, DeskDays, CallbackDays, LogbookDays):
    def __init__(self, database: Database, rng: random.Random, *, customers: int, visits: int,
                 history_days: int, recent_days: int, chain: Chain | None = None) -> None:
        chain = chain or Chain()
        self.rng = rng
        self.out = Batches(database)
        self.customers = customers
        self.visits = visits
        self.now = clock.now()
        self.today = self.now.date()
        self.now_minute = self.now.hour * 60 + self.now.minute
        self.history = [self.today - timedelta(days=back)
                        for back in range(history_days - 1, -1, -1)]
        self.recent_from = self.today - timedelta(days=recent_days - 1)
        self.chain = chain
        self.phones: set[str] = set(chain.phones)
        self.initials_cache: dict[str, str] = {}
        self.customer_ids = chain.last_customer
        # Per customer id (index): the consultant's index (the chain's customers: one of
        # this branch's, in turn), and the customers who dealt.
        consultants = sum(1 for _name, role in STAFF if role == "consultant")
        self.consultant_of = array("b", (index % consultants
                                         for index in range(chain.last_customer + 1)))
        self.dealt = array("i", chain.dealt)
        #: The days' case numbers handed out (the chain's, then this demo's).
        self.case_seq = dict(chain.case_seq)
        self.appointment_seq: dict[date, int] = {}
        self._day_start_cache: dict[date, datetime] = {}

    # --- times ----------------------------------------------------------------------

    def day_start(self, day: date) -> datetime:
        """Local midnight of ``day`` as an aware UTC time."""
        start = self._day_start_cache.get(day)
        if start is None:
            start = arrow.get(datetime(day.year, day.month, day.day), tzinfo=clock.tz).to(
                "utc").datetime
            self._day_start_cache[day] = start
        return start

    def at(self, day: date, minute: float) -> datetime:
        return self.day_start(day) + timedelta(minutes=minute)

    def window(self, day: date) -> tuple[float, float]:
        """The minutes of ``day`` in which customers arrive (today: up to now)."""
        if day != self.today:
            return OPEN, LAST_ARRIVAL
        end = max(1.0, min(LAST_ARRIVAL, self.now_minute - 1))
        return (OPEN if end > OPEN + 30 else max(0.0, end - 120)), end

    def minutes_open_today(self) -> float:
        """How much of today's opening hours has passed (at least a fifth: a lively demo)."""
        return min(1.0, max(0.2, (self.now_minute - OPEN) / (CLOSE - OPEN)))

    # --- people ---------------------------------------------------------------------

    def new_phone(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def new_name(self) -> tuple[str, str]:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.85:
            if rng.random() < 0.75:
                given = rng.choice(FEMALE_FIRST) + rng.choice(FEMALE_SECOND)
            else:
                given = rng.choice(FEMALE_SINGLE)
            return surname + given, "f"
        return surname + rng.choice(MALE_GIVEN), "m"

    # --- the whole run ----------------------------------------------------------------

    def build(self) -> None:
        # The search's per-row upkeep waits; it is rebuilt once at the end.
        with self.out.database.write() as session:
            search_index.pause(session)
        try:
            self.add_clinic()
            new_per_day, returning_per_day = self.plan_days()
            for index, day in enumerate(self.history):
                self.add_day(day, new_per_day[index], returning_per_day[index])
            self.add_unvisited_customers(self.customers - sum(new_per_day))
            self.add_upcoming_appointments()
            self.add_sign_offs()
            self.add_stays()
            self.out.add(AuditEntry, at=self.now_utc, staff_id=self.manager,
                         action="demo_fill", record_type="", detail=json.dumps(
                             {"customers": self.customers, "visits": self.visits,
                              "days": len(self.history)}))
            self.out.flush()
            handed_out = {day: seq for day, seq in self.case_seq.items()
                          if day in self.chain.case_seq and seq != self.chain.case_seq[day]}
            if handed_out:
                with self.out.database.write() as session:
                    move_case_numbers_on(session, handed_out)
        finally:
            with self.out.database.write() as session:
                search_index.resume(session)

    @property
    def now_utc(self) -> datetime:
        return self.now.to("utc").datetime

    def plan_days(self) -> tuple[list[int], list[int]]:
        """New and returning visits per day: new ones even, returning ones growing."""
        days = len(self.history)
        today_share = self.minutes_open_today()
        new_total = min(self.customers, self.visits)
        new_weights = [1.0] * days
        new_weights[-1] = today_share
        new_per_day = apportion(new_total, new_weights)
        returning_weights = []
        seen = 0
        for index in range(days):
            # Customers come back in proportion to how many there are by then.
            weight = (seen + new_total) if seen else 0.0
            returning_weights.append(weight * (today_share if index == days - 1 else 1.0))
            seen += new_per_day[index]
        returning_per_day = apportion(self.visits - new_total, returning_weights)
        return new_per_day, returning_per_day

    def add_clinic(self) -> None:
        out, first = self.out, self.history[0]
        setup_at = self.at(first - timedelta(days=1), 8 * 60)
        self.staff_by_role: dict[str, list[int]] = {}
        self.staff_names: dict[int, str] = {}
        for name, role in STAFF:  # the manager first: the others are added by her
            # Each its own salt: one cracked hash must not give away everyone's PIN.
            pin = DEMO_MANAGER_PIN if role == "manager" else DEMO_PIN
            manager = self.staff_by_role.get("manager", [None])[0]
            staff_id = out.add(Staff, name=name, role=role,
                               pin_hash=hash_pin(pin, role, cost=PUBLISHED_PIN_COST),
                               phone=self.new_phone(), active=True, created_at=setup_at,
                               created_by_id=manager)
            self.staff_by_role.setdefault(role, []).append(staff_id)
            self.staff_names[staff_id] = name
        self.manager = self.staff_by_role["manager"][0]
        self.consultants = self.staff_by_role["consultant"]
        if "clinic_name" not in self.chain.settings:  # the chain's, set once
            out.add(Setting, key="clinic_name",
                    value=json.dumps(CLINIC_NAME, ensure_ascii=False),
                    updated_at=setup_at, updated_by_id=self.manager)
        out.add(AuditEntry, at=setup_at, staff_id=self.manager, action="setup",
                record_type="staff", record_id=self.manager, detail="{}")
        self.archive_key = out.add(RoomKey, name="档案室", is_archive=True,
                                   roles_allowed="consultant,cashier",
                                   needs_manager_approval=False, limit_minutes=30, active=True,
                                   created_at=setup_at, created_by_id=self.manager)
        self.vip_key = out.add(RoomKey, name="VIP室",
                               roles_allowed="consultant,doctor,beautician,manager",
                               needs_manager_approval=True, limit_minutes=60, active=True,
                               created_at=setup_at, created_by_id=self.manager)
        # The callbacks module's own built-in rule (new customer on D → due D+1), so that
        # opening the list later never makes a second callback for the same customer.
        self.callback_rule = self.chain.builtin_rule or out.add(
            CallbackRule, name=BUILTIN_RULE_NAME, event="first_visit", days_after=1,
            active=True, builtin=True, created_at=setup_at, created_by_id=self.manager)
        self.add_logbook_setup(setup_at)

    # --- one day --------------------------------------------------------------------

    def add_rota(self, day: date) -> dict[str, list[int]]:
        """Everyone but one consultant (in turn) and sometimes one doctor is on duty."""
        rng, roles = self.rng, self.staff_by_role
        ordinal = day.toordinal()
        consultants = [c for i, c in enumerate(self.consultants)
                       if i != ordinal % len(self.consultants)]
        rng.shuffle(consultants)
        doctors = roles["doctor"] if rng.random() < 0.7 else [rng.choice(roles["doctor"])]
        duty = {
            "manager": roles["manager"], "receptionist": roles["receptionist"],
            "consultant": consultants, "doctor": doctors,
            "beautician": roles["beautician"], "cashier": roles["cashier"],
        }
        at = self.at(day - timedelta(days=1), 18 * 60)
        position = 0
        for role in ("manager", "receptionist", "consultant", "doctor", "beautician",
                     "cashier"):
            for staff_id in duty[role]:
                self.out.add(RotaEntry, day=day, staff_id=staff_id, shift="全天",
                             position=position, created_at=at, created_by_id=self.manager)
                position += 1
        return duty

    # --- the rest -------------------------------------------------------------------

    def add_unvisited_customers(self, count: int) -> None:
        """Customers registered (e.g. on a booking) who have not come in yet."""
        for _ in range(max(0, count)):
            self.customer_ids += 1
            name, gender = self.new_name()
            day = self.rng.choice(self.history)
            self.out.add(
                Customer, id=self.customer_ids, name=name, phone=self.new_phone(),
                gender=gender, name_initials=name_initials(name, self.initials_cache),
                source=self.rng.choice(SOURCES), interest=self.rng.choice(INTERESTS),
                created_at=self.at(day, OPEN + 30),
                created_by_id=self.staff_by_role["receptionist"][0],
            )

    def add_upcoming_appointments(self) -> None:
        """Booked for later today and for tomorrow (tomorrow's rota is set too)."""
        rng = self.rng
        tomorrow = self.today + timedelta(days=1)
        on_duty = {self.today: self.duty_today["consultant"],
                   tomorrow: self.add_rota(tomorrow)["consultant"]}
        for day, start in ((self.today, max(OPEN, self.now_minute + 20)), (tomorrow, OPEN)):
            if start >= LAST_ARRIVAL:
                continue
            consultants = on_duty[day]
            for _ in range(rng.randint(3, 7)):
                minute = round(rng.uniform(start, LAST_ARRIVAL) / 30) * 30
                booked_minute = rng.uniform(OPEN, max(OPEN + 1, min(self.now_minute, CLOSE)))
                booked_at = self.at(self.today, booked_minute)
                receptionist = rng.choice(self.staff_by_role["receptionist"])
                returning = self.dealt and rng.random() < 0.3
                customer = self.dealt[rng.randrange(len(self.dealt))] if returning else None
                name, _gender = self.new_name()
                self.out.add(
                    Appointment, number=self.appointment_number(day), customer_id=customer,
                    name="" if customer else name, phone="" if customer else self.new_phone(),
                    consultant_id=rng.choice(consultants), scheduled_at=self.at(day, minute),
                    day=day, purpose=rng.choice(INTERESTS), status="booked",
                    created_at=booked_at, created_by_id=receptionist,
                )

    def add_stays(self) -> None:
        """The postpartum centre's contracts (F7), each state on its own days."""
        from reception.demo_stays import add_stays

        self.out.flush()
        with self.out.database.read() as session:  # mothers among the customers on file
            mothers = session.execute(select(Customer.name, Customer.phone).where(
                Customer.gender == "f").order_by(Customer.id.desc()).limit(8)).all()
        add_stays(self.out.database, self.rng, names=[name for name, _ in mothers],
                  phones=[phone for _, phone in mothers],
                  by=self.staff_by_role["receptionist"][0])

    def add_sign_ins(self, day: date, receptionists: list[int]) -> None:
        for number, staff_id in enumerate(receptionists):
            start = self.at(day, OPEN - 10 + number * 3)
            end = self.at(day, CLOSE + 5)
            self.out.add(SignIn, staff_id=staff_id, terminal=f"counter-{number + 1}",
                         signed_in_at=start, last_seen_at=end, signed_out_at=end,
                         created_at=start, created_by_id=staff_id)

    def add_sign_offs(self) -> None:
        """The night shift signed off a few older days (not the last two), with the paper
        register's counts and the night check's snapshot of that moment."""
        from reception import reconcile

        self.out.flush()
        night = self.staff_by_role["receptionist"][-1]
        with self.out.database.write() as session:
            for back in range(6, 1, -1):
                day = self.today - timedelta(days=back)
                if day < self.history[0]:
                    continue
                at = self.at(day, CLOSE + 40)
                counts = reconcile.count_day(session, day)
                for name in reconcile.PAPER_COUNT_NAMES:
                    session.add(PaperCount(day=day, name=name, value=counts.total(name),
                                           created_at=at, created_by_id=night))
                session.flush()
                snapshot = reconcile.day_report(session, day).snapshot()
                event = DayEvent(day=day, kind="signoff", created_at=at, created_by_id=night,
                                 snapshot=json.dumps(snapshot, ensure_ascii=False, default=str))
                session.add(event)
                session.flush()
                session.add(AuditEntry(at=at, staff_id=night, action="day_signoff",
                                       record_type="day_event", record_id=event.id,
                                       detail=json.dumps({"day": day.isoformat(),
                                                          "findings": len(snapshot["findings"])})))
