"""F3: the phone call — the script tree (``screen``, drawn by ``view``), the forms it
opens over itself (``forms``, opened and answered in ``overlays``), the call log written
through the store (``log``), the messages to relay (``messages``) and the words as shown
(``words``)."""

from screens.calls.messages import MessageTable
from screens.calls.screen import CallScreen
from screens.calls.words import SAY_VALUE_CELLS, wrap_cells

__all__ = ["SAY_VALUE_CELLS", "CallScreen", "MessageTable", "wrap_cells"]
