"""What the demo is made of: the names, phones, interests and call scripts it draws from,
and the batches its rows are written in.
"""

from sqlalchemy import insert

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
    ChecklistItem,
    ChecklistTick,
    Customer,
    DayEvent,
    Handover,
    KeyEvent,
    LogEntry,
    LogKind,
    Message,
    PaperCount,
    Room,
    RoomBooking,
    RoomKey,
    RotaEntry,
    Setting,
    SignIn,
    Staff,
    Visit,
    Visitor,
)
from reception.customers import initials
from reception.db import Database

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
    LogKind, LogEntry, ChecklistItem, ChecklistTick, Handover, Room, RoomBooking,
]


# Rows nobody refers to while the demo is made: the store numbers them (other writers, like
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


def name_initials(name: str, cache: dict[str, str] | None = None) -> str:
    """``张小明`` → ``zxm`` (as the customer search expects them), cached by name."""
    if cache is not None and name in cache:
        return cache[name]
    found = initials(name)
    if cache is not None:
        cache[name] = found
    return found


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


class Batches:
    """Rows waiting to be written; flushed in one write transaction per batch."""

    def __init__(self, database: Database, limit: int = BATCH_ROWS) -> None:
        self.database = database
        self.limit = limit
        self.rows: dict[type, list[dict]] = {model: [] for model in TABLES}
        self.templates = {model: row_template(model) for model in TABLES}
        for model in NUMBERED_BY_SQLITE:
            self.templates[model].pop("id", None)  # the store numbers them (SQLite or a server)
        branch = database.branch_id if database.dialect == "postgresql" else None
        if isinstance(branch, int):
            # A server's default for the column asks for the transaction's branch at every
            # row (4 of the 17 s the demo's month took); the policies check what is given.
            for model, template in self.templates.items():
                if "branch_id" in model.__table__.columns:
                    template["branch_id"] = branch
        # Ids after every row already in the store (another branch's demo, on a chain).
        from reception.demo_chain import last_ids

        with database.read() as session:
            used = last_ids(session, [model.__table__ for model in TABLES])
        self.ids = {model: used.get(model.__tablename__, 0) for model in TABLES}
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
            if self.database.dialect == "postgresql":
                from reception.server_store import move_sequences_past_ids

                # The ids were given here: the server's sequences must not hand them out to
                # rows the demo adds through the domain meanwhile (the stays' rules).
                move_sequences_past_ids(connection, [model.__table__ for model in TABLES
                                                     if model not in NUMBERED_BY_SQLITE])
        self.pending = 0



def row_template(model: type) -> dict[str, object]:
    template: dict[str, object] = {}
    for column in model.__table__.columns:
        if column.server_default is not None and column.default is None:
            continue  # the store fills it (the branch)
        default = column.default
        value = getattr(default, "arg", None) if default is not None else None
        if callable(value):
            value = None
        template[column.name] = value.value if hasattr(value, "value") else value
    return template
