"""Placeholder: this screen is built in its own issue."""

from rich.text import Text
from textual.widgets import Static

from reception.i18n import t
from screens.base import AreaScreen


class CallbacksScreen(AreaScreen):
    TITLE_KEY = "screen.callbacks"

    def compose_body(self):
        yield Static(Text(t("placeholder.coming")), id="placeholder")
