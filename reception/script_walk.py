"""Walking the call script during one call: where the receptionist is, what was typed,
and the path taken (stored with the call).
"""

from typing import Any

from reception.script_tree import Node, Script, ScriptError


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
