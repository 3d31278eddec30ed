"""Placeholder: manager screens for staff and the rota (being built)."""

from rich.text import Text
from textual.widgets import Static

from reception.i18n import t
from screens.base import AreaScreen


class StaffScreen(AreaScreen):
    TITLE_KEY = "screen.staff"

    def compose_body(self):
        yield Static(Text(t("placeholder.coming")), id="placeholder")


class RotaScreen(AreaScreen):
    TITLE_KEY = "screen.rota"

    def compose_body(self):
        yield Static(Text(t("placeholder.coming")), id="placeholder")
