"""Placeholder: the key log screens are built in their own issue."""

from rich.text import Text
from textual.widgets import Static

from reception.i18n import t
from screens.base import AreaScreen


class KeysScreen(AreaScreen):
    TITLE_KEY = "screen.keys"

    def compose_body(self):
        yield Static(Text(t("placeholder.coming")), id="placeholder")


class KeySetupScreen(AreaScreen):
    TITLE_KEY = "screen.key_setup"

    def compose_body(self):
        yield Static(Text(t("placeholder.coming")), id="placeholder")
