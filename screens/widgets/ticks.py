"""Tick boxes that say their state in text — ``[x]`` / ``[ ]`` — not by colour alone
(readable in 16 colours, in a plain capture, and to a colour-blind manager)."""

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class TickBox(Checkbox):
    """A checkbox drawn ``[x]`` when ticked and ``[ ]`` when not."""

    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"
    BUTTON_INNER = " "

    def on_mount(self) -> None:
        self.watch_value(self.value)

    def watch_value(self, value: bool) -> None:
        self.BUTTON_INNER = "x" if value else " "
        self.refresh()


class TickList(SelectionList):
    """A selection list whose boxes read ``[x]`` / ``[ ]`` (the stock one draws the same
    "X" either way, ticked or not, in a different colour)."""

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return line
        ticked = selection.value in self.selected
        base = next(iter(line)).style if line.cell_length else None
        mark = Segment("[x] " if ticked else "[ ] ",
                       (base + Style(bold=True)) if ticked and base else base)
        return Strip([mark, *line])
