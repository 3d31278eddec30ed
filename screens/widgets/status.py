"""The status line at the foot of every screen: who is signed in, the time, overdue keys."""

from rich.text import Text
from textual.widgets import Static

from screens.widgets.text import update_if_changed


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    StatusLine.-alert {
        background: $error;
        color: $text;
    }
    """

    def show(self, left: str, alert: str = "") -> None:
        line = Text(left)
        if alert:
            line.append("  ▲ " + alert, style="bold")
        self.set_class(bool(alert), "-alert")
        update_if_changed(self, line)
