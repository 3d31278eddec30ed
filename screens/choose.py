"""Choosing one of a short list: a modal screen that returns the value picked.

Enter picks the highlighted row, 1–9 pick that row at once, Escape returns None.

A choice that leads to a form says so with ``then``: the form opens over the list, and the
list closes with the form's result. The board never shows between the two, so keys typed
ahead of the form reach it (not the board beneath).
"""

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.keyroute import Routed
from screens.lifecycle import StyledOnce
from screens.widgets.fields import RoutedOptionList
from screens.widgets.footer import KeyFooter
from screens.widgets.text import literal


class Choose(StyledOnce, Routed, ModalScreen[Any]):
    DEFAULT_CSS = """
    Choose { align: center middle; }
    Choose > Vertical { width: 90%; height: auto; max-height: 90%; border: round $accent;
                        background: $surface; padding: 0 1; }
    Choose OptionList { height: auto; max-height: 16; }
    Choose .hint { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "form.key.close", id="choose.cancel"),
        *[Binding(str(digit), f"pick({digit - 1})", show=False, id=f"choose.{digit}")
          for digit in range(1, 10)],
    ]

    def __init__(self, title: str, options: list[tuple[Text | str, Any]], *, hint: str = "",
                 initial: int = 0, then: Callable[[Any], Any] | None = None) -> None:
        super().__init__()
        self.then = then
        self.title_text = title
        self.choices = options
        self.hint = hint
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.title_text, style="bold"))
            yield RoutedOptionList(*[
                Option(label if isinstance(label, Text) else literal(label), id=str(index))
                for index, (label, _value) in enumerate(self.choices)])
            if self.hint:
                yield Static(literal(self.hint), classes="hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.choices:
            options.highlighted = min(self.initial, len(self.choices) - 1)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_pick(event.option_index)

    def action_pick(self, index: int) -> None:
        if not 0 <= index < len(self.choices):
            return
        value = self.choices[index][1]
        following = self.then(value) if self.then is not None else None
        if following is None:
            self.dismiss(value)
        else:
            self.app.push_screen(following, self.close_with)

    def close_with(self, result: Any) -> None:
        """Close with the following form's result (not awaited: this runs on this screen)."""
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
