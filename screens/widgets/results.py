"""A short list of one-line results with one highlighted: the rows under a search box.

Search as you type replaces these rows after every pause in typing, so the list is drawn
line by line (Textual's line API): new rows repaint the lines it already has, with no
layout and no widget per row. The search box keeps the focus; the screen moves the
highlight with ↑/↓ and takes Enter from the box.
"""

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from screens.widgets.text import visible


class ResultList(Widget, can_focus=False):
    DEFAULT_CSS = """
    ResultList {
        height: 1fr;
    }
    ResultList > .result-list--highlight {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    ResultList > .result-list--note {
        color: $text-muted;
        text-style: italic;
    }
    """
    COMPONENT_CLASSES = {"result-list--highlight", "result-list--note"}

    class Picked(Message):
        """A row was clicked."""

        def __init__(self, result_list: "ResultList", index: int) -> None:
            super().__init__()
            self.result_list = result_list
            self.index = index

        @property
        def control(self) -> "ResultList":
            return self.result_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Text] = []
        self._note: Text | None = None
        self._highlighted: int | None = None
        self._strips: dict[tuple[int, bool, int], Strip] = {}
        self._base: Style | None = None
        self._highlight: Style | None = None

    # --- what the screen uses -------------------------------------------------------------

    def show(self, rows: list[Text], note: str | None = None) -> None:
        """Replace the rows (the first highlighted); ``note`` is shown when there are none."""
        self._rows = list(rows)
        self._note = Text(note) if note and not rows else None
        self._highlighted = 0 if rows else None
        self._strips.clear()
        self.refresh()

    def clear(self) -> None:
        self.show([])

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row(self, index: int) -> Text:
        return self._rows[index]

    @property
    def note(self) -> str:
        return self._note.plain if self._note is not None else ""

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None and self._rows:
            index = max(0, min(len(self._rows) - 1, index))
        else:
            index = None
        if index != self._highlighted:
            self._highlighted = index
            self.refresh()

    # --- drawing ----------------------------------------------------------------------------

    def _first_shown(self) -> int:
        """The first row on screen: the highlight stays in view on a short terminal."""
        height = max(1, self.size.height)
        return max(0, (self._highlighted or 0) - height + 1)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        # The widget's style walks its ancestors: read once per change of style, not per line.
        if self._base is None:
            self._base = self.rich_style
        base = self._base
        if self._note is not None:
            if y != 0:
                return Strip.blank(width, base)
            return self._strip(self._note, base + self.get_component_rich_style(
                "result-list--note"), width)
        index = self._first_shown() + y
        if index >= len(self._rows):
            return Strip.blank(width, base)
        highlighted = index == self._highlighted
        key = (index, highlighted, width)
        if key not in self._strips:
            style = self._highlight_style(base) if highlighted else base
            self._strips[key] = self._strip(self._rows[index], style, width)
        return self._strips[key]

    def _highlight_style(self, base: Style) -> Style:
        if self._highlight is None:
            self._highlight = base + self.get_component_rich_style("result-list--highlight")
        return self._highlight

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        # Control characters as symbols: one character for one, so the styles still fit.
        line = Text(visible(text.plain), style=text.style, spans=text.spans, no_wrap=True)
        line.truncate(width - 1, overflow="ellipsis")
        segments = [Segment(" ", style)]
        segments += [Segment(part.text, style + part.style if part.style else style)
                     for part in line.render(self.app.console)]
        return Strip(segments).crop_extend(0, width, style)

    def on_resize(self) -> None:
        self._strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._base = self._highlight = None

    def on_click(self, event: Click) -> None:
        index = self._first_shown() + event.y
        if self._note is None and 0 <= index < len(self._rows):
            self.highlighted = index
            self.post_message(self.Picked(self, index))
