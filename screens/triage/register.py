"""The register book (seed 002 §5–§6): a day's new and returning customers apart, the
closed-deal and no-deal lists, a consultant's month — each exportable as CSV."""

from datetime import timedelta
from pathlib import Path

import arrow
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from reception import register
from reception.clock import clock
from reception.i18n import t
from screens.base import AreaScreen
from screens.triage.common import shown
from screens.widgets.fields import RoutedDataTable

#: list name → (title key, columns)
LISTS = {
    "new": ("register.new", register.DAY_COLUMNS),
    "returning": ("register.returning", register.DAY_COLUMNS),
    "deals": ("register.deals", register.DEAL_COLUMNS),
    "no_deals": ("register.no_deals", register.NO_DEAL_COLUMNS),
    "month": ("register.month", register.MONTH_COLUMNS),
}
LIST_KEYS = dict(enumerate(LISTS, start=1))
CELL_WIDTH = 14


class RegisterScreen(AreaScreen):
    TITLE_KEY = "register.title"
    BINDINGS = [
        *[Binding(str(number), f"show_list('{name}')", LISTS[name][0],
                  id=f"register.{name}") for number, name in LIST_KEYS.items()],
        Binding("p", "shift(-1)", "register.key.prev", id="register.prev"),
        Binding("n", "shift(1)", "register.key.next", id="register.next"),
        Binding("m", "next_consultant", "register.key.consultant", id="register.consultant"),
        Binding("s", "export", "register.key.export", id="register.export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.list_name = "new"
        self.day = clock.today()
        self.consultant_index = 0
        self.rows: list[register.RegisterRow] = []
        self.consultant_name = ""
        self.consultant_id: int | None = None
        self.columns_shown: tuple[str, ...] = ()

    def compose_body(self) -> ComposeResult:
        yield Static(Text(t("register.keys")), classes="hint", id="register-keys")
        yield Static(id="register-heading")
        yield RoutedDataTable(id="register-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#register-table", DataTable).focus()

    def action_show_list(self, name: str) -> None:
        self.list_name = name
        self.refresh_data()

    def action_shift(self, step: int) -> None:
        if self.list_name == "month":
            # The same day of the next month (the 31st becomes the month's last day), so
            # going back to a day list after a month finds a day near the one left.
            self.day = arrow.get(self.day).shift(months=step).date()
        else:
            self.day += timedelta(days=step)
        self.refresh_data()

    def action_next_consultant(self) -> None:
        self.consultant_index += 1
        self.list_name = "month"
        self.refresh_data()

    def period(self) -> str:
        return f"{self.day:%Y-%m}" if self.list_name == "month" else self.day.isoformat()

    def load(self) -> list[register.RegisterRow]:
        with self.db.read() as session:
            if self.list_name in ("new", "returning"):
                book = register.day_book(session, self.day)
                return book.new if self.list_name == "new" else book.returning
            if self.list_name == "deals":
                return register.deals(session, self.day)
            if self.list_name == "no_deals":
                return register.no_deals(session, self.day)
            staff = register.consultants_with_visits(session, self.day)
            if not staff:
                self.consultant_id, self.consultant_name = None, t("register.no_consultant")
                return []
            chosen = staff[self.consultant_index % len(staff)]
            self.consultant_id, self.consultant_name = chosen.id, chosen.name
            return register.consultant_month(session, chosen.id, self.day)

    def refresh_data(self) -> None:
        self.rows = self.load()
        title_key, columns = LISTS[self.list_name]
        list_title = t(title_key)
        if self.list_name == "month":
            list_title += f" · {self.consultant_name}"
        self.query_one("#register-keys", Static).update(Text(t(
            "register.keys_month" if self.list_name == "month" else "register.keys")))
        self.query_one("#register-heading", Static).update(shown(
            t("register.heading", list=list_title, period=self.period(), count=len(self.rows)),
            style="bold"))
        table = self.query_one("#register-table", DataTable)
        if columns != self.columns_shown:
            table.clear(columns=True)
            table.add_columns(*register.headers(columns))
            self.columns_shown = columns
        else:
            table.clear()
        for row in self.rows:
            table.add_row(*[shown(value, CELL_WIDTH)
                            for value in register.cells(row, columns)])
        # New columns are measured from their rows: lay the table out again.
        table.refresh(layout=True)

    def export_path(self) -> Path:
        name = self.list_name
        if self.list_name == "month" and self.consultant_id is not None:
            # The consultant's name, as far as a file name can carry it.
            name += "-" + ("".join(char for char in self.consultant_name
                                   if char.isalnum())[:20] or str(self.consultant_id))
        return self.db.exports_folder / f"register-{name}-{self.period()}.csv"

    def action_export(self) -> None:
        _title, columns = LISTS[self.list_name]
        path = self.export_path()
        try:
            register.write_export(self.rows, columns, path)
        except OSError as error:
            self.notify(t("register.export_failed", reason=error.strerror or str(error)),
                        severity="error")
            return
        self.notify(t("register.exported", path=str(path)))
