"""F4, the key log (``board``: the keys and the flows it starts; ``lend``: the lend and
case-file form; ``history``: the log and its corrections) and the manager's key setup
(``setup``)."""

from screens.keys.board import KeysScreen
from screens.keys.setup import KeySetupScreen

__all__ = ["KeySetupScreen", "KeysScreen"]
