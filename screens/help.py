"""F1: every key of the current screen, then the global keys."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reception.i18n import t

GLOBAL_KEYS = [
    ("F1", "key.help"), ("F2", "screen.triage"), ("F3", "screen.calls"),
    ("F4", "screen.keys"), ("F5", "screen.callbacks"), ("F6", "screen.reconcile"),
    ("Esc", "key.back"), ("Ctrl+P", "key.palette"), ("Ctrl+Q", "key.quit"),
]


# Textual's own keys on every screen, named in the UI's language (its labels are English).
TEXTUAL_KEYS = {"app.focus_next": ("Tab", "key.next_field"),
                "app.focus_previous": ("Shift+Tab", "key.previous_field"),
                "screen.copy_text": ("Ctrl+C", "key.copy")}


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,f1", "dismiss", t("key.back"))]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 70; max-height: 22; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, for_screen: Screen) -> None:
        super().__init__()
        self.for_screen = for_screen

    def compose(self) -> ComposeResult:
        lines = Text()
        lines.append(t("help.title") + "\n", style="bold")
        seen: set[str] = set()
        global_keys = {key.lower() for key, _ in GLOBAL_KEYS}
        for key, active in self.for_screen.active_bindings.items():
            binding = active.binding
            # The screen's own keys, and the shown keys of the focused widget.
            own = active.node is self.for_screen or binding.show
            if key in global_keys or not binding.description or key in seen or not own:
                continue
            seen.add(key)
            key_label = binding.key_display or self.app.get_key_display(binding)
            description = binding.description
            if binding.action in TEXTUAL_KEYS:
                key_label, description_key = TEXTUAL_KEYS[binding.action]
                description = t(description_key)
            lines.append(f"{key_label:>10}  ", style="bold")
            lines.append(description + "\n")
        lines.append("\n" + t("help.global") + "\n", style="bold")
        for key, title_key in GLOBAL_KEYS:
            lines.append(f"{key:>10}  ", style="bold")
            lines.append(t(title_key) + "\n")
        lines.append("\n" + t("help.close"), style="dim")
        with VerticalScroll():
            yield Static(lines)

    def action_dismiss(self) -> None:
        self.app.pop_screen()
