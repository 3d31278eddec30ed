"""The callback summary of a date range and its CSV export (seed 002 §20: the manager's
monthly figures). The figures follow the dates as they are typed; Ctrl+S (or Enter from
the path) writes the file. The offered file name names the range until a path is typed.
"""

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from reception import callbacks
from reception.callbacks import QUESTIONS
from reception.clock import clock
from reception.errors import ReceptionError
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal

NAME_WIDTH = 12


class SummaryForm(FormScreen[Path]):
    FORM = "callbacks.summary"
    TITLE_KEY = "callbacks.summary.title"
    HINT_KEY = "callbacks.summary.hint"
    FIELDS = (
        Field("summary-from", "callbacks.summary.from", max_length=10, replace_on_focus=True),
        Field("summary-to", "callbacks.summary.to", max_length=10, replace_on_focus=True),
        Field("summary-path", "callbacks.summary.path", replace_on_focus=True),
    )
    ERROR_FIELDS = {"first": "summary-from", "last": "summary-to"}

    def __init__(self, exports: Path) -> None:
        today = clock.today()
        first = today.replace(day=1)
        self.exports = exports
        self.offered = str(callbacks.default_export_path(first, today, exports))
        super().__init__(values={"summary-from": first.isoformat(),
                                 "summary-to": today.isoformat(),
                                 "summary-path": self.offered}, restore=False)

    def compose_outro(self) -> ComposeResult:
        yield Static(id="summary-line")
        yield RoutedDataTable(id="summary-table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one("#summary-table", RoutedDataTable)
        table.add_column(t("callbacks.col.consultant"), width=NAME_WIDTH)
        table.add_columns(t("callbacks.col.count"), t("callbacks.col.reached"),
                          t("callbacks.col.rate"),
                          *[t(f"callbacks.short.{prefix}") for prefix, _ in QUESTIONS])

    def after_mount(self) -> None:
        self.fill_summary()

    def save_draft_now(self) -> bool:
        """A range to look at is not typing to keep: no draft."""
        return False

    # --- the figures -----------------------------------------------------------------

    def on_field_changed(self, field_id: str, value: Any) -> None:
        if field_id in ("summary-from", "summary-to"):
            self.fill_summary()
        elif field_id == "summary-path":
            self.offered = ""  # a path typed is kept whatever the range

    def fill_summary(self) -> None:
        line = self.query_one("#summary-line", Static)
        values = self.values()
        try:
            span = callbacks.parse_range(values["summary-from"], values["summary-to"])
            with self.db.read() as session:
                result = callbacks.summary(session, *span)
        except ReceptionError as problem:
            line.update(literal(str(problem), style="bold"))
            return  # the last good figures and file name stay
        if self.offered:
            self.offered = str(callbacks.default_export_path(*span, self.exports))
            self.fill({"summary-path": self.offered})
        self.show_figures(result)

    def show_figures(self, result: callbacks.Summary) -> None:
        total = result.total
        self.query_one("#summary-line", Static).update(Text(t(
            "callbacks.summary.line", callbacks=total.callbacks, reached=total.reached,
            rate=_rate(total.reached_rate), unreached=total.closed_unreached,
            open=total.still_open, flagged=total.flagged)))
        table = self.query_one("#summary-table", RoutedDataTable)
        table.clear()
        rows = [(t("callbacks.csv.all"), total)] + [
            (row.consultant_name or t("callbacks.csv.no_consultant"), row)
            for row in result.by_consultant]
        for label, row in rows:
            table.add_row(
                literal(label), Text(str(row.callbacks)), Text(str(row.reached)),
                Text(_rate(row.reached_rate)),
                *[Text(f"{row.averages[prefix]:.1f}" if row.averages.get(prefix) is not None
                       else "–") for prefix, _ in QUESTIONS])

    # --- export ----------------------------------------------------------------------

    def submit(self, session, values: dict[str, Any]) -> Path:
        first, last = callbacks.parse_range(values["summary-from"], values["summary-to"])
        return callbacks.export_summary(session, first, last, values["summary-path"])

    def saved(self, result: Path) -> None:
        self.notify(t("callbacks.exported", path=str(result)), markup=False)
        self.dismiss(result)


def _rate(rate: float | None) -> str:
    return f"{rate:.0%}" if rate is not None else "–"
