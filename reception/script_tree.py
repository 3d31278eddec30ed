"""The call script's tree: its nodes (choice, input, consultant, message, book, end), their
branches, and the words each says with the fields typed so far filled in.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from reception.errors import ReceptionError
from reception.i18n import language

KINDS = ("choice", "input", "consultant", "message", "book", "end")


RECIPIENTS = ("boss", "consultant", "")


BRANCH_KEYS = tuple("1234567890")


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


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
