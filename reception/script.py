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
from pathlib import Path
from typing import Any

from reception.i18n import LANGUAGES, t
from reception.script_builtin import BUILTIN
from reception.script_tree import (
    BRANCH_KEYS,
    KINDS,
    RECIPIENTS,
    Branch,
    Node,
    Script,
    ScriptError,
    fill,
)
from reception.script_walk import Walk

#: What screens, the CLI and other modules use, wherever it is defined.
__all__ = [
    "BRANCH_KEYS",
    "BUILTIN",
    "KINDS",
    "Node",
    "ScriptError",
    "Walk",
    "active_script",
    "build",
    "builtin",
    "check_command",
    "fill",
    "load_file",
]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,39}")


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


_builtin: Script | None = None


def builtin() -> Script:
    global _builtin
    if _builtin is None:
        _builtin = build(BUILTIN)
    return _builtin
