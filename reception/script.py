"""The phone-call script: a tree of nodes the receptionist walks through while on the phone.

A node shows the words to say (``say``) and what to do (``prompt``), both in every UI
language, and is one of:

- ``choice``: branches, each a digit key, a label and the node it leads to;
- ``input``: the receptionist types one answer (``field``: surname, matter, note, …),
  then ``next``;
- ``consultant``: pick a consultant; today's rota decides ``on_duty`` or ``off_duty``, and
  ``busy`` (optional) is where a consultant on duty but with a customer now leads;
- ``message``: take a message (recipient ``boss``, ``consultant`` = the one picked, or
  chosen), then ``next``;
- ``book``: book an appointment, then ``next`` (its words may use ``{number}``, ``{time}``);
- ``end``: the call is over (``outcome`` names how it ended).

Words may use ``{clinic}`` and any field typed earlier (``{surname}``, ``{consultant}``…).

The seed's script (seed 002 §11) is built in. A manager may replace it with a TOML or JSON
file (setting ``call_script_path``); the file is validated as a whole and any fault is one
clear error naming the node, while the built-in script stays in use.
YAML is not read: it would add a dependency.
"""

import json
import re
import sys
import tomllib
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reception.errors import ReceptionError
from reception.i18n import LANGUAGES, language, t

KINDS = ("choice", "input", "consultant", "message", "book", "end")
RECIPIENTS = ("boss", "consultant", "")
BRANCH_KEYS = tuple("1234567890")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,39}")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Fields each kind may carry (besides id, kind, say, prompt).
_KIND_FIELDS: dict[str, dict[str, bool]] = {
    # field name: required
    "choice": {"branches": True},
    "input": {"field": True, "next": True},
    "consultant": {"on_duty": True, "off_duty": True, "busy": False},
    "message": {"next": True, "recipient": False},
    "book": {"next": True},
    "end": {"outcome": False},
}
_TEXT_FIELDS = ("say", "prompt")


class ScriptError(ReceptionError):
    """The script file is not a usable script; ``node`` names the node at fault, if any."""

    def __init__(self, message_key: str, *, node: str = "", **params: object) -> None:
        super().__init__(message_key, node=node, **params)
        self.node = node


@dataclass(frozen=True)
class Branch:
    key: str
    label: dict[str, str]
    to: str

    def text(self, lang: str | None = None) -> str:
        return self.label.get(lang or language(), "")


@dataclass(frozen=True)
class Node:
    id: str
    kind: str
    say: dict[str, str] = field(default_factory=dict)
    prompt: dict[str, str] = field(default_factory=dict)
    branches: tuple[Branch, ...] = ()
    next: str = ""
    field: str = ""
    on_duty: str = ""
    off_duty: str = ""
    busy: str = ""
    recipient: str = ""
    outcome: str = ""

    def targets(self) -> list[str]:
        """The nodes this one leads to."""
        if self.kind == "choice":
            return [branch.to for branch in self.branches]
        if self.kind == "consultant":
            return [self.on_duty, self.off_duty, *([self.busy] if self.busy else [])]
        if self.kind == "end":
            return []
        return [self.next]

    def branch(self, key: str) -> Branch | None:
        return next((branch for branch in self.branches if branch.key == key), None)

    def words(self, values: dict[str, Any] | None = None, lang: str | None = None) -> str:
        return fill(self.say.get(lang or language(), ""), values or {})

    def instruction(self, values: dict[str, Any] | None = None, lang: str | None = None) -> str:
        return fill(self.prompt.get(lang or language(), ""), values or {})


@dataclass(frozen=True)
class Script:
    start: str
    nodes: dict[str, Node]
    source: str = "built-in"

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]


def fill(text: str, values: dict[str, Any]) -> str:
    """Put typed values into ``{name}`` places; names with no value are left as written."""

    def value(match: re.Match) -> str:
        found = values.get(match.group(1))
        return match.group(0) if found is None or found == "" else str(found)

    return _PLACEHOLDER.sub(value, text)


# --- building and validating ----------------------------------------------------------


def _texts(node_id: str, name: str, raw: object, *, required: bool) -> dict[str, str]:
    if raw is None:
        if required:
            raise ScriptError("calls.script.missing_translation", node=node_id, field=name,
                              language=LANGUAGES[0])
        return {}
    if not isinstance(raw, dict):
        raise ScriptError("calls.script.missing_translation", node=node_id, field=name,
                          language=LANGUAGES[0])
    texts: dict[str, str] = {}
    for lang in LANGUAGES:
        text = raw.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise ScriptError("calls.script.missing_translation", node=node_id, field=name,
                              language=lang)
        texts[lang] = text
    unknown = sorted(set(raw) - set(LANGUAGES))
    if unknown:
        raise ScriptError("calls.script.bad_field", node=node_id, field=f"{name}.{unknown[0]}")
    return texts


def _name(node_id: str, name: str, raw: object) -> str:
    if not isinstance(raw, str) or not _NAME.fullmatch(raw):
        raise ScriptError("calls.script.bad_value", node=node_id, field=name, value=str(raw))
    return raw


def _node(node_id: str, raw: object) -> Node:
    if not _NAME.fullmatch(node_id):
        raise ScriptError("calls.script.bad_node_id", node=node_id)
    if not isinstance(raw, dict):
        raise ScriptError("calls.script.not_a_table", node=node_id)
    kind = raw.get("kind") or ("choice" if "branches" in raw else None)
    if kind not in KINDS:
        raise ScriptError("calls.script.bad_kind", node=node_id, kind=str(kind),
                          kinds=", ".join(KINDS))
    allowed = {"kind", *_TEXT_FIELDS, *_KIND_FIELDS[kind]}
    for name in raw:
        if name not in allowed:
            raise ScriptError("calls.script.bad_field", node=node_id, field=name)
    for name, required in _KIND_FIELDS[kind].items():
        if required and name not in raw:
            raise ScriptError("calls.script.missing_field", node=node_id, field=name)
    say = _texts(node_id, "say", raw.get("say"), required=False)
    prompt = _texts(node_id, "prompt", raw.get("prompt"), required=False)
    if not say and not prompt:
        raise ScriptError("calls.script.nothing_to_say", node=node_id)
    values: dict[str, Any] = {}
    for name in ("next", "on_duty", "off_duty", "busy", "field"):
        if name in raw:
            values[name] = _name(node_id, name, raw[name])
    if "outcome" in raw:
        values["outcome"] = _name(node_id, "outcome", raw["outcome"])
    if "recipient" in raw:
        if raw["recipient"] not in RECIPIENTS:
            raise ScriptError("calls.script.bad_value", node=node_id, field="recipient",
                              value=str(raw["recipient"]))
        values["recipient"] = raw["recipient"]
    branches: list[Branch] = []
    if kind == "choice":
        raw_branches = raw["branches"]
        if not isinstance(raw_branches, list) or not raw_branches:
            raise ScriptError("calls.script.no_branches", node=node_id)
        seen: set[str] = set()
        for raw_branch in raw_branches:
            if not isinstance(raw_branch, dict) or "to" not in raw_branch:
                raise ScriptError("calls.script.missing_field", node=node_id, field="branches.to")
            key = str(raw_branch.get("key", ""))
            if key not in BRANCH_KEYS:
                raise ScriptError("calls.script.bad_key", node=node_id, branch_key=key)
            if key in seen:
                raise ScriptError("calls.script.duplicate_key", node=node_id, branch_key=key)
            seen.add(key)
            label = _texts(node_id, f"branches[{key}].label", raw_branch.get("label"),
                           required=True)
            branches.append(Branch(key=key, label=label,
                                   to=_name(node_id, "branches.to", raw_branch["to"])))
    return Node(id=node_id, kind=kind, say=say, prompt=prompt, branches=tuple(branches),
                **values)


def build(data: object, *, source: str = "built-in") -> Script:
    """A checked script from parsed file data; ScriptError names the first fault found."""
    if not isinstance(data, dict):
        raise ScriptError("calls.script.no_nodes")
    unknown = sorted(set(data) - {"start", "nodes", "name"})
    if unknown:
        raise ScriptError("calls.script.bad_top_field", field=unknown[0])
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, dict) or not raw_nodes:
        raise ScriptError("calls.script.no_nodes")
    nodes = {node_id: _node(str(node_id), raw) for node_id, raw in raw_nodes.items()}
    start = data.get("start", next(iter(nodes)))
    if start not in nodes:
        raise ScriptError("calls.script.unknown_start", node=str(start))
    for node in nodes.values():
        for target in node.targets():
            if target not in nodes:
                raise ScriptError("calls.script.unknown_node", node=node.id, target=target)
    reachable = _reachable(nodes, start)
    for node_id in nodes:
        if node_id not in reachable:
            raise ScriptError("calls.script.unreachable", node=node_id, start=start)
    trapped = _without_exit(nodes)
    if trapped:
        # Every non-end node leads somewhere, so a node that can never end the call is
        # on (or leads only into) a loop: name the first node of that loop.
        on_loop = next((node_id for node_id in nodes if node_id in trapped
                        and node_id in _reachable(nodes, node_id, include_start=False)),
                       next(node_id for node_id in nodes if node_id in trapped))
        raise ScriptError("calls.script.cycle", node=on_loop)
    return Script(start=start, nodes=nodes, source=source)


def _reachable(nodes: dict[str, Node], start: str, *, include_start: bool = True) -> set[str]:
    seen: set[str] = {start} if include_start else set()
    queue = deque([start])
    while queue:
        for target in nodes[queue.popleft()].targets():
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _without_exit(nodes: dict[str, Node]) -> set[str]:
    """Nodes from which no ``end`` node can be reached."""
    leads_from: dict[str, set[str]] = {node_id: set() for node_id in nodes}
    for node in nodes.values():
        for target in node.targets():
            leads_from[target].add(node.id)
    can_end = {node.id for node in nodes.values() if node.kind == "end"}
    queue = deque(can_end)
    while queue:
        for source in leads_from[queue.popleft()]:
            if source not in can_end:
                can_end.add(source)
                queue.append(source)
    return set(nodes) - can_end


def load_file(path: Path) -> Script:
    """Read and check a manager's script file (TOML or JSON)."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        raise ScriptError("calls.script.yaml", path=path)
    if suffix not in (".toml", ".json"):
        raise ScriptError("calls.script.format", path=path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScriptError("calls.script.missing_file", path=path) from None
    except OSError as error:
        raise ScriptError("calls.script.unreadable", path=path,
                          reason=error.strerror or str(error)) from None
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text) if suffix == ".toml" else json.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as error:
        reason = str(error).replace("\n", " ")
        raise ScriptError("calls.script.syntax", path=path, reason=reason) from None
    return build(data, source=str(path))


# --- the script in use ----------------------------------------------------------------

_cache: dict[str, tuple[tuple[int, int], Script | None, ScriptError | None]] = {}


def active_script(script_path: str) -> tuple[Script, ScriptError | None]:
    """The script to use and, when the manager's file is bad, why the built-in one is used."""
    if not script_path:
        return builtin(), None
    path = Path(script_path).expanduser()
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (0, -1)
    cached = _cache.get(str(path))
    if cached is None or cached[0] != stamp:
        try:
            cached = (stamp, load_file(path), None)
        except ScriptError as error:
            cached = (stamp, None, error)
        _cache[str(path)] = cached
    _stamp, loaded, error = cached
    return (loaded or builtin()), error


def check_command(path: Path) -> int:
    """``reception script check FILE``: OK (exit 0) or one line on stderr (exit 1)."""
    try:
        script = load_file(path)
    except ScriptError as error:
        print(t("calls.script.check_failed", path=path,
                message=str(error).replace("\n", " ")), file=sys.stderr)
        return 1
    print(t("calls.script.check_ok", path=path, count=len(script.nodes)))
    return 0


# --- the built-in script (seed 002 §11) ------------------------------------------------


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _b(key: str, zh: str, en: str, to: str) -> dict[str, Any]:
    return {"key": key, "label": _t(zh, en), "to": to}


_GOODBYE = _t("好的,祝您愉快,再见。", "Thank you, have a nice day. Goodbye.")

BUILTIN: dict[str, Any] = {
    "start": "greeting",
    "nodes": {
        "greeting": {
            "say": _t("您好,欢迎致电{clinic},请问有什么可以帮到您?",
                      "Hello, thank you for calling {clinic}. How can I help you?"),
            "prompt": _t("电话响第 2 至 3 声时接起,音量适中。", "Answer at the 2nd or 3rd ring, "
                         "in a moderate voice."),
            "branches": [
                _b("1", "找老总", "For the boss", "boss_surname"),
                _b("2", "找咨询师", "For a consultant", "consultant_which"),
                _b("3", "咨询 / 预约", "Enquiry or booking", "enquiry"),
                _b("4", "其他", "Something else", "other_note"),
            ],
        },
        # For the boss: surname first, then whether they have an appointment.
        "boss_surname": {
            "kind": "input", "field": "surname", "next": "boss_appointment",
            "say": _t("请问您贵姓?", "May I have your surname, please?"),
            "prompt": _t("记下对方的姓,回车继续。", "Type the caller's surname, Enter to go on."),
        },
        "boss_appointment": {
            "say": _t("{surname}先生/{surname}女士,请问您和我们老总有预约吗?",
                      "Do you have an appointment with our director, {surname}?"),
            "prompt": _t("称呼二选一,按对方说:{surname}先生 或 {surname}女士。",
                         "Address the caller as Mr or Ms {surname}, as fits."),
            "branches": [
                _b("1", "没有预约", "No appointment", "boss_matter"),
                _b("2", "有预约", "Has an appointment", "boss_check"),
            ],
        },
        "boss_matter": {
            "kind": "input", "field": "matter", "next": "boss_not_in",
            "say": _t("请问您找我们老总有什么事情?", "May I ask what it is about?"),
            "prompt": _t("记下事情,回车继续。", "Type what it is about, Enter to go on."),
        },
        "boss_not_in": {
            "say": _t("您好,我们老总现在不在,如果您不介意的话,请您留下您的姓名、手机号码和"
                      "事情,我们帮您转达。",
                      "I'm sorry, our director is not in at the moment. If you don't mind, "
                      "please leave your name, mobile number and what it is about, and we "
                      "will pass it on."),
            "branches": [
                _b("1", "留言", "Leaves a message", "boss_message"),
                _b("2", "对方说:不用了", "Caller says: no, thanks", "goodbye"),
            ],
        },
        "boss_check": {
            "say": _t("请您稍等,我帮您确认一下我们老总是否在办公室。",
                      "One moment please, let me check whether our director is in the office."),
            "prompt": _t("去办公室告诉老总:{surname}先生/女士来电,问老总是否接听。",
                         "Go to the director's office: {surname} is on the phone, will the "
                         "director take the call?"),
            "branches": [
                _b("1", "老总接听:转接", "Director takes it: transfer", "boss_transfer"),
                _b("2", "老总不接", "Director declines", "boss_declined"),
            ],
        },
        "boss_transfer": {
            "kind": "end", "outcome": "transferred",
            "say": _t("好的,现在为您转接,请稍等。", "Thank you, I'm putting you through now."),
            "prompt": _t("把电话转给老总。", "Transfer the call to the director."),
        },
        "boss_declined": {
            "say": _t("不好意思,我们老总现在不在办公室,如果您不介意,您可以和我们说是什么事情,"
                      "我们稍后为您转告我们老总。",
                      "I'm sorry, our director is not in the office right now. If you don't "
                      "mind, tell us what it is about and we will pass it on to our director."),
            "branches": [
                _b("1", "留言", "Leaves a message", "boss_message"),
                _b("2", "对方说:不用了", "Caller says: no, thanks", "goodbye"),
            ],
        },
        "boss_message": {
            "kind": "message", "recipient": "boss", "next": "goodbye_message",
            "say": _t("好的,请讲,我记一下。", "Certainly, go ahead, I'll write it down."),
            "prompt": _t("记下姓名、手机号码和事情,转达给老总。",
                         "Take the name, mobile number and matter for the director."),
        },
        # For a consultant: which one, then today's rota decides.
        "consultant_which": {
            "kind": "consultant", "on_duty": "consultant_fetch", "off_duty": "consultant_off",
            "busy": "consultant_busy",
            "say": _t("请问您找哪位咨询师?", "Which consultant would you like to speak to?"),
            "prompt": _t("按数字选咨询师(显示今天是否上班、是否正在接待客人)。",
                         "Pick the consultant by digit (shows who is in today and who is "
                         "with a customer)."),
        },
        "consultant_fetch": {
            "kind": "end", "outcome": "fetched",
            "say": _t("请您稍等,我马上请{consultant}来接电话。",
                      "Please hold on, I'll get {consultant} for you."),
            "prompt": _t("去找{consultant}来接电话。", "Go and fetch {consultant} to the phone."),
        },
        "consultant_busy": {
            "say": _t("不好意思,{consultant}正在接待客人。您是稍等一下,还是留言让{consultant}"
                      "稍后给您回电?",
                      "I'm sorry, {consultant} is with a customer right now. Would you like "
                      "to hold, or leave a message so {consultant} can call you back?"),
            "branches": [
                _b("1", "稍等", "Holds", "consultant_hold"),
                _b("2", "留言", "Leaves a message", "consultant_message"),
                _b("3", "对方说:不用了", "Caller says: no, thanks", "goodbye"),
            ],
        },
        "consultant_hold": {
            "kind": "end", "outcome": "held",
            "say": _t("好的,请您稍等,{consultant}接待完马上来接电话。",
                      "Thank you, please hold; {consultant} will be with you as soon as "
                      "they are free."),
            "prompt": _t("告诉{consultant}有电话在等,接待完来接。",
                         "Tell {consultant} a caller is holding, to pick up when free."),
        },
        "consultant_off": {
            "say": _t("不好意思,{consultant}今天不上班。"
                      "如果有什么事情需要转告的,我们可以帮您转达。",
                      "I'm sorry, {consultant} is not working today. If there is anything "
                      "you'd like us to pass on, we can relay a message."),
            "branches": [
                _b("1", "留言", "Leaves a message", "consultant_message"),
                _b("2", "对方说:不用了", "Caller says: no, thanks", "goodbye"),
            ],
        },
        "consultant_message": {
            "kind": "message", "recipient": "consultant", "next": "goodbye_message",
            "say": _t("好的,请讲,我记一下。", "Certainly, go ahead, I'll write it down."),
            "prompt": _t("记下姓名、手机号码和事情,转达给{consultant}。",
                         "Take the name, mobile number and matter for {consultant}."),
        },
        # Enquiry or booking.
        "enquiry": {
            "say": _t("好的,请问您想了解哪方面的项目,还是需要帮您预约?",
                      "Of course. What would you like to know about, or shall I book you "
                      "an appointment?"),
            "branches": [
                _b("1", "解答咨询", "Answer the enquiry", "enquiry_answer"),
                _b("2", "预约", "Book an appointment", "book"),
            ],
        },
        "enquiry_answer": {
            "kind": "input", "field": "note", "next": "enquiry_more",
            "say": _t("(回答对方的问题)", "(Answer the caller's question.)"),
            "prompt": _t("简要记下问了什么,回车继续。", "Note briefly what was asked, Enter to "
                         "go on."),
        },
        "enquiry_more": {
            "say": _t("请问还需要帮您预约吗?", "Would you like me to book you an appointment?"),
            "branches": [
                _b("1", "预约", "Book an appointment", "book"),
                _b("2", "不用了", "No, thanks", "goodbye_answered"),
            ],
        },
        "book": {
            "kind": "book", "next": "booked",
            "say": _t("好的,请问您怎么称呼?手机号码是多少?\n"
                      "想约什么时间、找哪位咨询师、了解哪方面的项目?",
                      "Certainly. May I have your name and mobile number? When would you "
                      "like to come, with which consultant, and what for?"),
            "prompt": _t("先输手机号码(老顾客会自动找到),再填时间、咨询师和来意。",
                         "Type the mobile first (a customer on file is found), then the time, "
                         "consultant and what for."),
        },
        "booked": {
            "kind": "end", "outcome": "booked",
            "say": _t("好的,已为您预约 {time},预约号是 {number},到院时报预约号就可以。"
                      "祝您愉快,再见。",
                      "You are booked for {time}; your appointment number is {number}. "
                      "Please give it when you arrive. Goodbye."),
        },
        # Anything else: a free note.
        "other_note": {
            "kind": "input", "field": "note", "next": "goodbye_note",
            "say": _t("好的,请讲。", "Certainly, go ahead."),
            "prompt": _t("记下来电的事情,回车继续。",
                         "Note what the call is about, Enter to go on."),
        },
        "goodbye": {"kind": "end", "outcome": "no_message", "say": _GOODBYE},
        "goodbye_message": {"kind": "end", "outcome": "message", "say": _GOODBYE},
        "goodbye_answered": {"kind": "end", "outcome": "answered", "say": _GOODBYE},
        "goodbye_note": {"kind": "end", "outcome": "note", "say": _GOODBYE},
    },
}

_builtin: Script | None = None


def builtin() -> Script:
    global _builtin
    if _builtin is None:
        _builtin = build(BUILTIN)
    return _builtin


# --- walking the tree during one call --------------------------------------------------


class Walk:
    """Where a call is in the script: the path of node ids and what was typed on the way.

    Stepping back keeps every typed value, so going forward again shows it as it was.
    A step whose action was saved (a message, a booking) cannot be undone by stepping back.
    """

    def __init__(self, script: Script, *, path: list[str] | None = None,
                 values: dict[str, Any] | None = None, done: list[str] | None = None,
                 floor: int = 1) -> None:
        self.script = script
        self.path = [node for node in (path or []) if node in script.nodes] or [script.start]
        self.values: dict[str, Any] = dict(values or {})
        #: Actions saved during the call ("message", "booked"), in order.
        self.done: list[str] = list(done or [])
        #: The path never gets shorter than this (past a saved action).
        self.floor = max(1, min(floor, len(self.path)))

    @property
    def node(self) -> Node:
        return self.script.node(self.path[-1])

    @property
    def at_start(self) -> bool:
        return len(self.path) == 1

    def go(self, node_id: str) -> Node:
        if node_id not in self.script.nodes:
            raise ScriptError("calls.script.unknown_node", node=self.node.id, target=node_id)
        self.path.append(node_id)
        return self.node

    def choose(self, key: str) -> Node | None:
        """Take the branch on ``key`` of a choice node; None when there is none."""
        branch = self.node.branch(key) if self.node.kind == "choice" else None
        return self.go(branch.to) if branch else None

    def can_go_back(self) -> bool:
        return len(self.path) > self.floor

    def back(self) -> bool:
        if not self.can_go_back():
            return False
        self.path.pop()
        return True

    def action_saved(self, action: str) -> Node:
        """The current action node's work is stored: go on, and never step back past it."""
        self.done.append(action)
        node = self.go(self.node.next)
        self.floor = len(self.path)
        return node

    def outcome(self) -> str:
        node = self.node
        if node.kind == "end" and node.outcome:
            return node.outcome
        return self.done[-1] if self.done else "ended"

    def state(self) -> dict[str, Any]:
        """What to keep in a draft to pick the call up again."""
        return {"path": list(self.path), "values": dict(self.values), "done": list(self.done),
                "floor": self.floor}
