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
from datetime import date, datetime, time, timedelta

import arrow
from sqlalchemy import insert, select

from models import (
    Appointment,
    AuditEntry,
    Call,
    Callback,
    CallbackAttempt,
    CallbackRule,
    CallbackSurvey,
    CaseFileRequest,
    CaseNumberDay,
    Customer,
    DayEvent,
    KeyEvent,
    Message,
    PaperCount,
    RoomKey,
    RotaEntry,
    Setting,
    SignIn,
    Staff,
    Visit,
    Visitor,
)
from reception import callbacks
from reception.auth import hash_pin
from reception.callbacks import BUILTIN_RULE_NAME, Status
from reception.clock import clock
from reception.customers import initials
from reception.db import Database
from reception.errors import ReceptionError

DEFAULT_CUSTOMERS = 300
DEFAULT_VISITS_PER_CUSTOMER = 2.5
VISITS_PER_DAY = 300
BATCH_ROWS = 20_000
DEMO_PIN = "1234"
DEMO_MANAGER_PIN = "123456"  # a manager's PIN is 6 to 12 digits
CLINIC_NAME = "悦颜医疗美容门诊部"

# Parents before children: a batch inserts its tables in this order.
TABLES = [
    Staff, Setting, RoomKey, CallbackRule, RotaEntry, Customer, CaseNumberDay, Call,
    Appointment, Message, Visit, Visitor, KeyEvent, CaseFileRequest, Callback,
    CallbackAttempt, CallbackSurvey, SignIn, DayEvent, PaperCount, AuditEntry,
]

# Rows nobody refers to while the demo is made: SQLite numbers them (other writers, like
# the sign-offs, add to these tables in between).
NUMBERED_BY_SQLITE = {AuditEntry, DayEvent, PaperCount}

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
)
# Common surnames without a second reading (曾, 单, 解 … would spoil the initials).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭田董袁潘蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱"
    "严武戴莫孔向汤"
)
FEMALE_FIRST = "秀丽婷静敏燕艳娟霞芳玉桂红梅丹雪慧佳欣雅晓美思梦诗"
FEMALE_SECOND = "华英兰萍琳娜莉洁琴云莹颖倩怡晴然宁瑶璐妍菲蕾彤"
FEMALE_SINGLE = "敏静丽婷芳娜洁颖欣悦琳雯倩莹蕾"
MALE_GIVEN = (
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "斌", "超", "明", "刚", "辉", "鹏", "浩",
    "宇", "建国", "志强", "文博", "子轩", "浩然", "俊杰", "晓东", "海涛", "建华", "明辉",
)
SOURCES = ("朋友介绍", "老客户介绍", "小红书", "抖音", "美团", "大众点评", "路过", "百度搜索",
           "微信公众号")
INTERESTS = ("祛斑", "光子嫩肤", "水光针", "玻尿酸填充", "双眼皮", "热玛吉", "激光脱毛",
             "皮肤管理", "祛痘", "瘦脸针")
CUSTOMER_NOTES = ("", "", "", "", "对麻药过敏", "希望周末来", "怕疼,请提前沟通", "VIP 客户")
STAFF = (
    ("王丽华", "manager"),
    ("李婷", "receptionist"), ("陈雪", "receptionist"),
    ("张敏", "consultant"), ("刘佳", "consultant"), ("黄雅琴", "consultant"),
    ("周欣怡", "consultant"),
    ("赵建国", "doctor"), ("吴文博", "doctor"),
    ("孙丽娜", "beautician"), ("徐静", "beautician"),
    ("马芳", "cashier"),
)
SURVEY_TEXTS = ("", "", "", "很满意", "服务很周到", "环境不错", "等待时间有点长", "专业耐心",
                "下次还来")
VISITOR_KINDS = (
    ("boss", "供应商", "找老板谈合作"), ("courier", "顺丰快递", "送快递"),
    ("applicant", "应聘者", "面试美容师岗位"), ("other", "物业", "检查消防设施"),
)
CALL_SCRIPTS = {
    # outcome: script node ids visited, in order
    "message_boss": ("message", ["greeting", "for_boss", "boss_surname", "boss_no_appointment",
                                 "boss_matter", "boss_not_in", "take_message"]),
    "transferred_boss": ("transferred", ["greeting", "for_boss", "boss_surname",
                                         "boss_has_appointment", "boss_check", "transfer"]),
    "fetched": ("transferred", ["greeting", "for_consultant", "which_consultant",
                                "consultant_on_duty", "fetch_consultant"]),
    "message_consultant": ("message", ["greeting", "for_consultant", "which_consultant",
                                       "consultant_off_duty", "take_message"]),
    "answered": ("answered", ["greeting", "enquiry", "answer"]),
    "other": ("noted", ["greeting", "other", "note"]),
    "abandoned": ("abandoned", ["greeting"]),
}
CALL_KINDS = tuple(CALL_SCRIPTS)
CALL_WEIGHTS = (3, 1, 2, 2, 4, 1, 1)
MATTERS = ("想谈合作,请回电", "询问上次的报价", "要改预约时间", "咨询术后护理", "请尽快回电")
OPEN = 9 * 60
CLOSE = 21 * 60
LAST_ARRIVAL = 20 * 60


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
        has_data = (
            session.execute(select(Customer.id).limit(1)).first() is not None
            or session.execute(select(Staff.id).limit(1)).first() is not None
        )
    if has_data:
        raise DemoError("demo.not_empty", path=database.path)
    if customers is None:
        customers = DEFAULT_CUSTOMERS if visits is None else max(1, visits // 5)
    if visits is None:
        visits = round(customers * (DEFAULT_VISITS_PER_CUSTOMER if customers ==
                                    DEFAULT_CUSTOMERS else 5))
    history_days = max(days, math.ceil(visits / VISITS_PER_DAY))
    _DemoBuilder(database, random.Random(seed), customers=customers, visits=visits,
                 history_days=history_days, recent_days=days).build()


def name_initials(name: str, cache: dict[str, str] | None = None) -> str:
    """``张小明`` → ``zxm`` (as the customer search expects them), cached by name."""
    if cache is not None and name in cache:
        return cache[name]
    found = initials(name)
    if cache is not None:
        cache[name] = found
    return found


def case_number(day: date, seq: int) -> str:
    """``YYYYMMDD`` + the day's sequence: two digits, three after 99."""
    return f"{day:%Y%m%d}{seq:02d}"


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainders)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    shares = [total * weight / weight_sum for weight in weights]
    parts = [int(share) for share in shares]
    short = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for index in by_remainder[:short]:
        parts[index] += 1
    return parts


class _Batches:
    """Rows waiting to be written; flushed in one write transaction per batch."""

    def __init__(self, database: Database, limit: int = BATCH_ROWS) -> None:
        self.database = database
        self.limit = limit
        self.rows: dict[type, list[dict]] = {model: [] for model in TABLES}
        self.templates = {model: _template(model) for model in TABLES}
        self.ids = {model: 0 for model in TABLES}
        self.pending = 0

    def add(self, model: type, **values: object) -> int:
        """Queue a row; returns its id (given here, so children can name it at once)."""
        row = dict(self.templates[model])
        if "id" in row and model not in NUMBERED_BY_SQLITE:
            self.ids[model] += 1
            row["id"] = self.ids[model]
        row.update(values)
        self.rows[model].append(row)
        self.pending += 1
        if self.pending >= self.limit:
            self.flush()
        return row.get("id")

    def flush(self) -> None:
        if not self.pending:
            return
        with self.database.write() as session:
            connection = session.connection()
            for model in TABLES:
                rows = self.rows[model]
                if rows:
                    connection.execute(insert(model.__table__), rows)
                    rows.clear()
        self.pending = 0


def _template(model: type) -> dict[str, object]:
    template: dict[str, object] = {}
    for column in model.__table__.columns:
        default = column.default
        value = getattr(default, "arg", None) if default is not None else None
        if callable(value):
            value = None
        template[column.name] = value.value if hasattr(value, "value") else value
    return template


class _DemoBuilder:
    def __init__(self, database: Database, rng: random.Random, *, customers: int, visits: int,
                 history_days: int, recent_days: int) -> None:
        self.rng = rng
        self.out = _Batches(database)
        self.customers = customers
        self.visits = visits
        self.now = clock.now()
        self.today = self.now.date()
        self.now_minute = self.now.hour * 60 + self.now.minute
        self.history = [self.today - timedelta(days=back)
                        for back in range(history_days - 1, -1, -1)]
        self.recent_from = self.today - timedelta(days=recent_days - 1)
        self.phones: set[str] = set()
        self.initials_cache: dict[str, str] = {}
        self.customer_ids = 0
        # Per customer id (index): the consultant's index, and the customers who dealt.
        self.consultant_of = array("b", [0])
        self.dealt = array("i")
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
        self.add_clinic()
        new_per_day, returning_per_day = self.plan_days()
        for index, day in enumerate(self.history):
            self.add_day(day, new_per_day[index], returning_per_day[index])
        self.add_unvisited_customers(self.customers - sum(new_per_day))
        self.add_upcoming_appointments()
        self.add_sign_offs()
        self.out.add(AuditEntry, at=self.now_utc, staff_id=self.manager, action="demo_fill",
                     record_type="", detail=json.dumps(
                         {"customers": self.customers, "visits": self.visits,
                          "days": len(self.history)}))
        self.out.flush()

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
        for name, role in STAFF:
            # Each its own salt: one cracked hash must not give away everyone's PIN.
            pin = DEMO_MANAGER_PIN if role == "manager" else DEMO_PIN
            staff_id = out.add(Staff, name=name, role=role, pin_hash=hash_pin(pin, role),
                               phone=self.new_phone(), active=True, created_at=setup_at,
                               created_by_id=None if role == "manager" else 1)
            self.staff_by_role.setdefault(role, []).append(staff_id)
        self.manager = self.staff_by_role["manager"][0]
        self.consultants = self.staff_by_role["consultant"]
        self.staff_names = {index + 1: name for index, (name, _role) in enumerate(STAFF)}
        out.add(Setting, key="clinic_name", value=json.dumps(CLINIC_NAME, ensure_ascii=False),
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
        self.callback_rule = out.add(CallbackRule, name=BUILTIN_RULE_NAME, event="first_visit",
                                     days_after=1, active=True, builtin=True, created_at=setup_at,
                                     created_by_id=self.manager)

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
        for seq, visit in enumerate(first_deals, start=1):
            visit["case_number"] = case_number(day, seq)
            self.dealt.append(visit["customer"])
        if first_deals:
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
                    purpose="取病历,整理档案", created_at=self.at(day, minute),
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
            staff_id=taker, purpose="VIP 客户接待", approved_by_id=self.manager,
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

    # --- callbacks ------------------------------------------------------------------

    def add_callback(self, first_day: date, customer: int, receptionists: list[int]) -> None:
        """The built-in rule: a new customer on day D is called back on D+1."""
        rng = self.rng
        due = first_day + timedelta(days=1)
        made_at = self.at(due, OPEN - 30)
        row = dict(customer_id=customer, rule_id=self.callback_rule, event_day=first_day,
                   due_day=due, created_at=made_at, created_by_id=receptionists[0])
        caller = rng.choice(receptionists)
        if due == self.today:
            attempts = []
            if self.now_minute > OPEN + 40 and rng.random() < 0.3:
                attempts = [(due, OPEN + rng.uniform(10, 30), "no_answer")]
            self.write_callback(row, attempts, Status.OPEN, caller, retry=True)
            return
        fate = rng.random()
        recent = (self.today - due).days <= 3
        if recent and fate < 0.15:
            attempts = [(due + timedelta(days=i), OPEN + rng.uniform(30, 200), "no_answer")
                        for i in range(min(rng.randint(1, 2), (self.today - due).days))]
            self.write_callback(row, attempts, Status.OPEN, caller, retry=True)
        elif fate < 0.80:
            attempts = self.tries(due, rng.choice((0, 0, 0, 1)), "no_answer")
            attempts.append(self.next_try(due, attempts, "reached"))
            scores = self.survey_scores(attempts[-1][0])
            # A low score flags the callback for the manager.
            callback_id = self.write_callback(row, attempts, Status.REACHED, caller,
                                              flagged=min(scores) <= 2)
            self.add_survey(callback_id, attempts[-1], caller, scores)
        elif fate < 0.90:
            self.write_callback(row, self.tries(due, 5, "no_answer"), Status.UNREACHED, caller)
        elif fate < 0.95:
            self.write_callback(row, self.tries(due, 1, "wrong_number"), Status.WRONG_NUMBER,
                                caller)
        else:
            attempts = self.tries(due, rng.choice((0, 1)), "busy")
            attempts.append(self.next_try(due, attempts, "declined"))
            self.write_callback(row, attempts, Status.DECLINED, caller)

    def tries(self, due: date, count: int, outcome: str) -> list[tuple[date, float, str]]:
        attempts: list[tuple[date, float, str]] = []
        for _ in range(count):
            attempts.append(self.next_try(due, attempts, outcome))
        return attempts

    def next_try(self, due: date, attempts: list, outcome: str) -> tuple[date, float, str]:
        """Three hours after the last try; the next morning after the last try of a day."""
        if not attempts:
            return (due, OPEN + self.rng.uniform(20, 120), outcome)
        day, minute, _ = attempts[-1]
        minute += 180
        if minute > CLOSE - 30:
            day, minute = day + timedelta(days=1), OPEN + self.rng.uniform(20, 90)
        if day >= self.today:
            day, minute = self.today - timedelta(days=1), CLOSE - 31
        return (day, minute, outcome)

    def write_callback(self, row: dict, attempts: list, status: str, caller: int,
                       retry: bool = False, flagged: bool = False) -> int:
        out = self.out
        last = attempts[-1] if attempts else None
        next_try = None
        if retry and last:
            # As the app would have stored it: three hours on, within opening hours.
            next_try = callbacks.next_try(self.at(last[0], last[1]), retry_hours=3,
                                          hours=(time(OPEN // 60), time(CLOSE // 60)))
            if last[0] < self.today:
                # Carried over: tried again today (each past day's night check is clean).
                next_try = max(next_try, self.at(self.today, OPEN + 60))
        callback_id = out.add(
            Callback, **row, status=str(status), attempts=len(attempts),
            last_outcome=last[2] if last else "", next_try_at=next_try, flagged=flagged,
            closed_at=self.at(last[0], last[1] + 4) if status != Status.OPEN and last else None,
        )
        for number, (day, minute, outcome) in enumerate(attempts, start=1):
            retryable = outcome in ("no_answer", "busy") and (
                number < len(attempts) or status == Status.OPEN)
            out.add(CallbackAttempt, callback_id=callback_id, day=day,
                    at=self.at(day, minute), outcome=outcome,
                    retry_at=self.at(day, minute + 180) if retryable else None, note="",
                    created_at=self.at(day, minute), created_by_id=caller)
        return callback_id

    def survey_scores(self, day: date) -> list[int]:
        """Mostly good; now and then (lately) a low one."""
        rng = self.rng
        scores = [rng.choice((3, 4, 4, 5, 5, 5)) for _ in range(4)]
        if (self.today - day).days <= 30 and rng.random() < 0.03:
            scores[rng.randrange(4)] = rng.choice((1, 2))
        return scores

    def add_survey(self, callback_id: int, attempt: tuple, caller: int,
                   scores: list[int]) -> None:
        day, minute, _ = attempt
        texts = [self.rng.choice(SURVEY_TEXTS) for _ in range(4)]
        self.out.add(
            CallbackSurvey, callback_id=callback_id,
            front_desk_score=scores[0], front_desk_text=texts[0],
            beautician_score=scores[1], beautician_text=texts[1],
            consultant_score=scores[2], consultant_text=texts[2],
            company_score=scores[3], company_text=texts[3],
            created_at=self.at(day, minute + 3), created_by_id=caller,
        )

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
