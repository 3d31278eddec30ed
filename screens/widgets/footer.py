"""The key bar at the foot of every screen, in the UI's language at the moment it is drawn.

Bindings carry catalogue keys as their descriptions (``Binding("a", "add", "staff.add")``),
so a label follows the language when it changes in a running app. ``KeyFooter`` is
Textual's ``Footer`` built from the screen's ``active_bindings`` (public API): one line,
the keys of the focused widget and the screen first, then the app's; the command palette
key on the right. A label that does not fit at the terminal's width is left out whole —
never cut inside a (double-width) character.
"""

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

from reception.i18n import t


def label(binding) -> str:
    """A binding's description in the UI's language (Textual's own are English words,
    shown as they are)."""
    return t(binding.description) if binding.description else ""


#: The keys shown first (by key or by binding id), in this order; and the one shown last.
FIRST = {"escape": 0, "help": 1, "home": 2}
LAST = "quit"


@dataclass(frozen=True)
class KeyItem:
    key: str
    display: str
    #: The binding's description: a catalogue key, translated each time it is drawn.
    description_key: str
    enabled: bool = True
    binding_id: str | None = None

    @property
    def description(self) -> str:
        return t(self.description_key) if self.description_key else ""


def items_of(screen) -> tuple[list[KeyItem], KeyItem | None]:
    """The keys the footer of ``screen`` shows (one per action), and the palette's key."""
    app = screen.app
    shown: list[KeyItem] = []
    actions: set[str] = set()
    palette = None
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
            palette = KeyItem(binding.key, app.get_key_display(binding), binding.description,
                              active.enabled)
            continue
        if not binding.show or binding.action in actions:
            continue
        actions.add(binding.action)
        shown.append(KeyItem(binding.key, app.get_key_display(binding), binding.description,
                             active.enabled, binding.id))
    # Back, help and home first: they lead to everything else, so they are never left out;
    # quit last (Ctrl+Q is the same on every screen, and F1 names it).
    shown.sort(key=rank)
    return shown, palette


def rank(item: KeyItem) -> int:
    if item.binding_id == LAST:
        return len(FIRST) + 1
    return FIRST.get(item.key, FIRST.get(item.binding_id or "", len(FIRST)))


class KeyBar(Widget):
    """One line of keys, fitted to its width."""

    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        width: 1fr;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        & > .keybar--key { color: $footer-key-foreground; text-style: bold; }
        & > .keybar--description { color: $footer-description-foreground; }
        & > .keybar--disabled { text-style: dim; }
    }
    """

    def __init__(self, items: list[KeyItem], palette: KeyItem | None) -> None:
        super().__init__()
        self.items = items
        self.palette = palette
        #: Where each drawn item sits on the line: (start, end, key), for mouse clicks.
        self.placed: list[tuple[int, int, str]] = []

    def show(self, items: list[KeyItem], palette: KeyItem | None) -> None:
        if (items, palette) != (self.items, self.palette):
            self.items, self.palette = items, palette
            self.refresh()

    @staticmethod
    def piece(item: KeyItem, description: str) -> str:
        return f" {item.display} {description} " if description else f" {item.display} "

    def render(self) -> Text:
        width = self.size.width
        right = self.piece(self.palette, self.palette.description) if self.palette else ""
        room = width - cell_len(right)
        line = Text(no_wrap=True, overflow="crop", end="")
        self.placed = []
        used = 0
        for item in self.items:
            description = item.description
            size = cell_len(self.piece(item, description))
            if used + size > room:
                continue  # left out whole; a shorter one further on may still fit
            self._append(line, item, description)
            self.placed.append((used, used + size, item.key))
            used += size
        if self.palette:
            line.append(" " * max(room - used, 0))
            self._append(line, self.palette, self.palette.description)
            self.placed.append((max(room, used), width, self.palette.key))
        return line

    def _append(self, line: Text, item: KeyItem, description: str) -> None:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        if not item.enabled:
            dim = self.get_component_rich_style("keybar--disabled")
            key_style, description_style = key_style + dim, description_style + dim
        line.append(f" {item.display} ", key_style)
        if description:
            line.append(f"{description} ", description_style)

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self.placed:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return


class KeyFooter(Footer):
    """Textual's footer, with translated labels fitted whole into one line."""

    DEFAULT_CSS = """
    KeyFooter { height: 1; }
    """

    #: The screen has said its bindings are settled (its widgets are mounted): until then
    #: its ``check_action`` may look for widgets that are not there yet.
    ready = False

    def bindings_changed(self, screen) -> None:
        """The keys in force changed (the focus moved, a key was switched on or off).

        Textual's footer builds itself anew each time (a widget mounted, styled and laid
        out for every move of the cursor); here the one bar is given its keys, and drawn
        again only when they differ."""
        self.ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self.show_keys)

    def show_keys(self) -> None:
        if not self.is_attached:
            return
        bars = self.query(KeyBar)
        if bars:
            bars.first().show(*self.keys_in_force())
        else:
            self.mount(KeyBar(*self.keys_in_force()))

    def keys_in_force(self) -> tuple[list[KeyItem], KeyItem | None]:
        """The screen's keys, and the palette's key when the bar shows it."""
        items, palette = items_of(self.screen)
        return items, palette if self.show_command_palette else None

    def compose(self) -> ComposeResult:
        if not self.ready:
            return
        yield KeyBar(*self.keys_in_force())

    def refresh_labels(self) -> None:
        """The language changed: draw the labels again."""
        for bar in self.query(KeyBar):
            bar.refresh()
