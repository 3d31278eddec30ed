"""F4 ``h``: the key log, newest first, by day (``[`` ``]``, ``a`` all days), key (``k``)
and person (``s``); ``c`` corrects the highlighted entry with a new, linked entry (the
log is never edited), through a one-field form (``keys.correct.<entry id>``)."""

from datetime import timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from reception import keys
from reception.clock import clock
from reception.errors import ReceptionError
from reception.i18n import t
from screens.base import AreaScreen
from screens.form import Field, FormScreen
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal


def local(when, fmt: str = "HH:mm") -> str:
    return clock.local(when).format(fmt)


def entry_text(line: keys.LogLine) -> Text:
    kind = line.event.kind
    if kind == "correction":
        return Text(t("keys.kind.correction"), style="bold yellow")
    if kind == "out" and line.state and line.state.status == "voided":
        return Text(t("keys.kind.out") + " ✗", style="strike dim")
    return Text(t(f"keys.kind.{kind}"))


def detail_text(line: keys.LogLine) -> Text:
    event = line.event
    detail = Text()
    if event.kind == "out":
        detail.append_text(literal(line.purpose))
        if line.customer_name and line.customer_name not in line.purpose:
            detail.append(" ")
            detail.append_text(literal(t("keys.customer_tag", name=line.customer_name)))
        if line.approver_name:
            detail.append_text(literal(" " + t("keys.approved_by", name=line.approver_name),
                                       style="dim"))
        state = line.state
        if state and state.status == "returned":
            detail.append(" · " + t("keys.back_at", time=local(state.returned_at)),
                          style="dim")
        elif state and state.status == "voided":
            detail.append(" · " + t("keys.voided", entry=state.voided_by.id), style="dim")
    elif event.kind == "back":
        detail.append(t("keys.closes", entry=event.loan_id), style="dim")
        if event.note:
            detail.append_text(literal(" " + event.note))
    else:
        detail.append(t("keys.corrects", entry=event.corrects_id), style="dim")
        detail.append_text(literal(event.note))
    detail.append_text(literal(" · " + t("keys.entered_by", name=line.by_name), style="dim"))
    return detail


def line_text(line: keys.LogLine) -> Text:
    """An entry in full, on one line (a long purpose is cut short in its row)."""
    text = Text(f"#{line.event.id} {local(line.event.at, 'MM-DD HH:mm')} ")
    for part in (literal(line.key_name), entry_text(line), literal(line.staff_name)):
        text.append_text(part)
        text.append(" · ")
    text.append_text(detail_text(line))
    return text


class CorrectForm(FormScreen[int]):
    """The reason an entry is put right; saving adds the correction."""

    FORM = "keys.correct"
    TITLE_KEY = "keys.field.correction_of"
    FIELDS = (Field("note", "keys.field.correction"),)

    def __init__(self, line: keys.LogLine) -> None:
        super().__init__(record_id=line.event.id)
        self.line = line

    def title_text(self) -> str:
        return t("keys.field.correction_of", entry=self.line.event.id)

    def compose_intro(self) -> ComposeResult:
        yield Static(line_text(self.line), id="correct-entry")

    def submit(self, session, values) -> int:
        return keys.correct(session, event_id=self.line.event.id, note=values["note"],
                            by=self.by).corrects_id

    def action_save(self) -> None:
        self.by = self.staff_id
        super().action_save()

    def saved(self, result: int) -> None:
        self.notify(t("keys.corrected", entry=result), markup=False)
        self.dismiss(result)


class KeyHistoryScreen(AreaScreen):
    """The log of every key: out, back and corrections."""

    TITLE_KEY = "keys.action.history"
    BINDINGS = [
        Binding("left_square_bracket", "day(-1)", "keys.action.prev_day",
                id="keys.prev_day", key_display="["),
        Binding("right_square_bracket", "day(1)", "keys.action.next_day",
                id="keys.next_day", key_display="]"),
        Binding("a", "all_days", "keys.action.all_days", id="keys.all_days"),
        Binding("k", "filter_key", "keys.action.by_key", id="keys.by_key"),
        Binding("s", "filter_staff", "keys.action.by_staff", id="keys.by_staff"),
        Binding("c", "correct", "keys.action.correct", id="keys.correct"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day = clock.today()
        self.all_days = False
        self.key_id: int | None = None
        self.staff_id_filter: int | None = None
        # The names of the chosen key and person, kept apart from the lines shown (a
        # filter that finds no line on another day still says whom it is for).
        self.key_name = ""
        self.staff_name = ""
        self.lines: list[keys.LogLine] = []

    def compose_body(self) -> ComposeResult:
        with Vertical(id="history"):
            yield Static(id="history-filter", classes="section")
            yield RoutedDataTable(id="history-table", cursor_type="row")
            yield Static(id="history-detail")
            yield Static(id="history-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#history-table", DataTable).add_columns(
            "#", t("keys.col.time"), t("col.key"), t("keys.col.entry"), t("keys.col.staff"),
            t("keys.col.detail"))

    def after_mount(self) -> None:
        self.query_one("#history-table", DataTable).focus()

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self.lines = keys.history(session, day=None if self.all_days else self.day,
                                      key_id=self.key_id, staff_id=self.staff_id_filter)
        parts = [t("keys.filter.all_days") if self.all_days
                 else t("keys.filter.day", day=self.day.isoformat())]
        if self.key_id is not None:
            parts.append(t("keys.filter.key", room=self.key_name))
        if self.staff_id_filter is not None:
            parts.append(t("keys.filter.staff", name=self.staff_name))
        parts.append(t("keys.filter.count", n=len(self.lines)))
        self.query_one("#history-filter", Static).update(literal(" · ".join(parts)))
        table = self.query_one("#history-table", DataTable)
        row = table.cursor_row
        table.clear()
        for line in self.lines:
            table.add_row(str(line.event.id), local(line.event.at, "MM-DD HH:mm"),
                          literal(line.key_name), entry_text(line),
                          literal(line.staff_name), detail_text(line))
        if self.lines:
            table.move_cursor(row=min(row, len(self.lines) - 1))
        self.show_detail()

    def show_detail(self) -> None:
        line = self.highlighted()
        self.query_one("#history-detail", Static).update(
            line_text(line) if line is not None else "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    def highlighted(self) -> keys.LogLine | None:
        row = self.query_one("#history-table", DataTable).cursor_row
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def action_day(self, step: int) -> None:
        self.all_days = False
        self.day += timedelta(days=step)
        self.reload()

    def action_all_days(self) -> None:
        self.all_days = not self.all_days
        self.reload()

    def action_filter_key(self) -> None:
        line = self.highlighted()
        if self.key_id is not None:
            self.key_id = None
        elif line is not None:
            self.key_id, self.key_name = line.event.key_id, line.key_name
        self.reload()

    def action_filter_staff(self) -> None:
        line = self.highlighted()
        if self.staff_id_filter is not None:
            self.staff_id_filter = None
        elif line is not None and line.event.staff_id is not None:
            self.staff_id_filter, self.staff_name = line.event.staff_id, line.staff_name
        self.reload()

    def action_correct(self) -> None:
        line = self.highlighted()
        if line is None:
            return
        error = self.query_one("#history-error", Static)
        try:
            with self.db.read() as session:
                keys.check_correction(session, line.event.id)
        except ReceptionError as problem:
            # Said before the reason is typed (a signed-off day, an entry already put right).
            error.update(literal(str(problem)))
            self.notify(str(problem), severity="error", markup=False)
            return
        error.update("")
        self.app.push_screen(CorrectForm(line), self.corrected)

    def corrected(self, result: int | None) -> None:
        self.query_one("#history-table", DataTable).focus()
        if result is not None:
            self.app.update_status_line()
