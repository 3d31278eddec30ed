"""F1: every key of the current screen, then the global keys — the keys in force (a user
keymap included), named in the UI's language when F1 is pressed."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reception import areas
from reception.i18n import t
from screens.lifecycle import StyledOnce
from screens.widgets.footer import label as translated

# Textual's own keys on every screen, named in the UI's language (its labels are English).
TEXTUAL_KEYS = {"app.focus_next": ("Tab", "key.next_field"),
                "app.focus_previous": ("Shift+Tab", "key.previous_field"),
                "screen.copy_text": ("Ctrl+C", "key.copy")}


_KEY_NAMES = {"escape": "Esc", "space": "Space", "enter": "Enter", "tab": "Tab",
              "backspace": "Backspace", "delete": "Del", "up": "↑", "down": "↓",
              "left": "←", "right": "→", "home": "Home", "end": "End",
              "left_square_bracket": "[", "right_square_bracket": "]"}


def key_label(binding) -> str:
    """How F1 and Ctrl+P name a key: ``Ctrl+R``, ``Esc``, ``F2``, ``[``, ``r`` — one style."""
    if binding.key_display:
        return binding.key_display
    *modifiers, key = binding.key.split(",")[0].split("+")
    if key in _KEY_NAMES:
        key = _KEY_NAMES[key]
    elif modifiers or (key[:1] == "f" and key[1:].isdigit()):
        key = key.upper()  # Ctrl+R, F2; a plain letter stays as it is typed
    return "+".join([modifier.capitalize() for modifier in modifiers] + [key])


class HelpScreen(StyledOnce, ModalScreen):
    BINDINGS = [Binding("escape,f1", "dismiss", "key.back", id="help.close")]
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
        app = self.app
        own_keys: list[tuple[str, str]] = []
        global_keys: list[tuple[str, str]] = []
        listed: set[tuple[str, str]] = set()
        # The keys in force (a user keymap included): the screen's own, the shown keys of
        # the focused widget, then the app's.
        for active in self.for_screen.active_bindings.values():
            binding = active.binding
            is_global = active.node is app
            own = is_global or active.node is self.for_screen or binding.show
            if not binding.description or not own:
                continue
            label, description = key_label(binding), translated(binding)
            if binding.action in TEXTUAL_KEYS:
                label, description_key = TEXTUAL_KEYS[binding.action]
                description = t(description_key)
            elif is_global and binding.id in areas.BY_NAME:
                description = t(areas.area(binding.id).title_key)
            if (label, description) in listed:
                continue  # one action on two keys (Ctrl+C and Super+C): once
            listed.add((label, description))
            (global_keys if is_global else own_keys).append((label, description))
        lines = Text()
        lines.append(t("help.title") + "\n", style="bold")
        for label, description in own_keys:
            lines.append(f"{label:>10}  ", style="bold")
            lines.append(description + "\n")
        lines.append("\n" + t("help.global") + "\n", style="bold")
        for label, description in global_keys:
            lines.append(f"{label:>10}  ", style="bold")
            lines.append(description + "\n")
        lines.append("\n" + t("help.close"), style="dim")
        with VerticalScroll():
            yield Static(lines)

    def action_dismiss(self) -> None:
        self.app.pop_screen()
