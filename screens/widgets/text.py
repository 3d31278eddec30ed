"""Customer text on screen: exactly what was typed, and nothing the terminal would act on.

Rich's ``Text`` and Textual's ``Content`` drop a few control characters but keep others
(ESC, OSC, NUL …) that a terminal would obey — clearing the screen or retitling the
window. ``literal(value)`` shows each control character as its visible symbol (␛, ␀, ␇ …)
and each bidirectional override as ⇄: the domain's ``reception.text.printable`` rule.
The app draws every line through ``ControlCharacterFilter`` (Textual's public line-filter
hook), so a screen that forgets ``literal`` still shows symbols, never a live escape.
"""

import re
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.filter import LineFilter
from textual.widgets import Static

from reception.text import MULTI_LINE, printable

#: What the filter looks for: every character ``printable`` shows as a symbol.
_CONTROL = re.compile("[" + "".join(re.escape(chr(code)) for code in MULTI_LINE) + "]")


class ControlCharacterFilter(LineFilter):
    """Shows each control character of a drawn line as its symbol (␛, ␀ …).

    The safety net under ``literal``: whatever text reaches the screen without it (a
    widget's own text, an Input's value) is drawn, never obeyed by the terminal. A
    control character takes no cell where the line was laid out and its symbol takes
    one, so a segment that grows gives up its last cells: the line keeps its width.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(_CONTROL.search(segment.text) for segment in segments):
            return segments
        shown = []
        for segment in segments:
            text = segment.text
            if segment.control or not _CONTROL.search(text):
                shown.append(segment)
                continue
            width = cell_len(text)
            text = text.translate(MULTI_LINE)
            if cell_len(text) > width:
                text = set_cell_size(text, width)
            shown.append(Segment(text, segment.style))
        return shown


#: One filter for the app's lifetime (Textual caches filtered lines per filter).
CONTROL_FILTER = ControlCharacterFilter()


class ShowsControlCharacters:
    """App mixin: every line drawn goes through ``CONTROL_FILTER`` (after Textual's own)."""

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), CONTROL_FILTER]


def visible(value: str) -> str:
    """``value`` on one line, every control character as its symbol (``printable``)."""
    return printable(value)


def literal(value: object, style: str = "") -> Text:
    """A Text of ``value`` shown literally (never markup, never a control sequence)."""
    return Text(printable(value), style=style)


def drawn(content: object) -> tuple:
    """What a line's content looks like (Rich's own equality leaves out a text's style)."""
    if isinstance(content, Text):
        return "Text", content.plain, str(content.style), tuple(content.spans)
    return type(content).__name__, str(content)


def update_if_changed(static: Static, content: Text | str) -> None:
    """``static.update(content)``, only when it changes what is drawn: an update lays the
    screen out again, and lines are set again at every reload, poll and key."""
    if drawn(static.content) != drawn(content):
        static.update(content)
