"""Home: today at a glance. Digits open the F-key screens for terminals with odd F-keys.

The tables are narrow (four boxes at 80 columns; the customers' box is the wider): each is
filled by ``_fill``, which gives the times, statuses and key states their full width and
shortens the free text instead, so "4m" or "超时 42分钟" is never cut at the box's edge.
A name keeps at least four Chinese characters (8 cells): 卢桂倩 is never 卢桂.
"""

from dataclasses import dataclass
from weakref import WeakKeyDictionary

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Static

from reception import areas, drafts, keys, status_alerts
from reception.clock import clock
from reception.dashboard import today_at_a_glance
from reception.i18n import t
from screens.base import AreaScreen
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import drawn, literal, update_if_changed


def _minutes(since) -> str:
    return keys.format_duration(int((clock.now_utc() - since).total_seconds() // 60))


@dataclass(frozen=True)
class Column:
    header: str
    #: A column that may be shortened (names, free text); the others are shown whole.
    shrinks: bool = True
    least: int = 4


#: A person's name: shortened last, and never below four Chinese characters.
NAME_CELLS = 8


#: What each table shows now: a reload that finds the same leaves the table as it is (no
#: layout, no drawing: the dashboard reloads on every write and every few seconds).
_shown: WeakKeyDictionary[DataTable, tuple] = WeakKeyDictionary()


def _cells(rows: list[list[Text]]) -> tuple:
    return tuple(tuple(drawn(cell) for cell in row) for row in rows)


def _fill(table: DataTable, columns: list[Column], rows: list[list[Text]]) -> None:
    """Refill ``table`` with columns sized to fit its width: when the natural widths are
    too wide, the widest shrinkable column gives up a cell at a time (its text cut short);
    fixed columns (times, states) keep their full width."""
    widths = [max([cell_len(c.header)] + [row[i].cell_len for row in rows])
              for i, c in enumerate(columns)]
    available = table.size.width - 2 * table.cell_padding * len(columns)
    if rows and len(rows) + 1 > table.size.height:
        available -= table.styles.scrollbar_size_vertical
    if table.size.width:
        while sum(widths) > available:
            shrinkable = [i for i, c in enumerate(columns) if c.shrinks and widths[i] > c.least]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
    shown = (tuple(zip([column.header for column in columns], widths, strict=True)),
             _cells(rows))
    if _shown.get(table) == shown:
        return
    _shown[table] = shown
    cursor = table.cursor_row
    table.clear(columns=True)
    for column, width in zip(columns, widths, strict=True):
        table.add_column(Text(column.header), width=width)
    for row in rows:
        # A cell wider than its column is cut by the table where it is drawn; the cell
        # itself keeps the whole text.
        table.add_row(*row)
    if rows:
        table.move_cursor(row=min(cursor, len(rows) - 1))


#: The width of the line of area keys at 80 columns (its padding aside).
GOTO_CELLS = 78


class DashboardScreen(AreaScreen):
    TITLE_KEY = "screen.dashboard"
    #: Times waited and the keys' states move on with the clock: redrawn this often.
    RELOAD_SECONDS = 30
    BINDINGS = [
        Binding("escape", "noop", show=False),
        *[Binding(area.dashboard_key, f"app.open_area('{area.name}')", area.title_key,
                  show=False, id=f"dashboard.{area.name}") for area in areas.AREAS],
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(Text(self.goto_text()), classes="hint", id="goto")
        with Grid(id="glance"):
            with Vertical():
                yield Static(Text(t("dash.waiting"), style="bold"), id="waiting-title")
                yield RoutedDataTable(id="waiting", cursor_type="row", zebra_stripes=True)
            with Vertical():
                yield Static(Text(t("dash.messages"), style="bold"), id="messages-title")
                yield RoutedDataTable(id="messages", cursor_type="row")
            with Vertical():
                yield Static(Text(t("dash.keys"), style="bold"), id="keys-title")
                yield RoutedDataTable(id="keys", cursor_type="row")
            with Vertical():
                yield Static(id="callbacks-line")
                yield Static(id="logbook-line")
                yield Static(id="signed-in-line")
                yield Static(id="flagged-line")
                yield Static(id="drafts-line")

    def after_mount(self) -> None:
        self.refit_after_layout()
        # Times waited and the keys' states move on with the clock (as in F4).
        self.set_interval(self.RELOAD_SECONDS, self.reload)

    def on_resize(self) -> None:
        self.refit_after_layout()

    _refit_pending = False
    #: What the last read of the store gave (the glance, the logbook's due line, the
    #: drafts line): a refit draws it again at the new widths without reading again.
    _read: tuple | None = None

    def refit_after_layout(self) -> None:
        """The boxes' widths are known once laid out: fit the columns to them then, once
        for all the sizes a start or a resize goes through."""
        if not self._refit_pending:
            self._refit_pending = True
            self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        self._refit_pending = False
        if self._read is not None:
            self._draw(*self._read)

    def _drafts_line(self, session) -> Text:
        """Where this staff member left a form half-filled (the screen offers it back)."""
        forms = drafts.pending(session, owner_id=self.staff_id)
        waiting: list[areas.Area] = []
        for form in forms:
            area = areas.area_of_draft(form)
            if area and area not in waiting:
                waiting.append(area)
        if not waiting:
            return Text("")
        titles = t("dashboard.list_separator").join(
            t(area.title_key) + (f" ({area.fkey_display})" if area.fkey else "")
            for area in waiting)
        return Text(t("dashboard.drafts", areas=titles), style="bold")

    def goto_text(self) -> str:
        """The F-keys of the areas this site uses, then Ctrl+P and F1."""
        off = self.app.areas_off()
        keys = " ".join(f"{area.fkey_display} {t(area.key_label)}"
                        for area in areas.with_fkeys() if area.name not in off)
        tail = t("dash.goto_tail")
        # At 80 columns every area's key comes first; Ctrl+P and F1 (in the footer too)
        # only when they fit beside them.
        return keys + tail if cell_len(keys + tail) <= GOTO_CELLS else keys

    def action_noop(self) -> None:
        """Escape on the home screen has nowhere to go back to."""

    def refresh_data(self) -> None:
        with self.db.read() as session:
            glance = today_at_a_glance(session)
            due_now = status_alerts.due_now(session)
            self._read = (glance, due_now, self._drafts_line(session))
        self._draw(*self._read)

    def _draw(self, glance, due_now: str, drafts_line: Text) -> None:
        update_if_changed(self.query_one("#goto", Static), Text(self.goto_text()))
        _fill(self.query_one("#waiting", DataTable),
              [Column(t("col.name"), least=NAME_CELLS),
               Column(t("col.status"), shrinks=False),
               Column(t("col.with"), least=NAME_CELLS),
               Column(t("dashboard.col.waited"), shrinks=False)],
              [[literal(row.customer_name), Text(t(f"dashboard.status.{row.status}")),
                literal(row.with_whom), Text(_minutes(row.since))]
               for row in glance.waiting])
        update_if_changed(self.query_one("#waiting-title", Static), Text(
            t("dashboard.count", title=t("dash.waiting"), n=len(glance.waiting)), style="bold"))
        _fill(self.query_one("#messages", DataTable),
              [Column(t("col.recipient"), least=NAME_CELLS),
               Column(t("col.name"), least=NAME_CELLS), Column(t("col.matter"))],
              [[literal(message.recipient), literal(message.caller_name),
                literal(message.matter)] for message in glance.messages])
        update_if_changed(self.query_one("#messages-title", Static), Text(
            t("dashboard.count", title=t("dash.messages"), n=len(glance.messages)),
            style="bold"))
        now = clock.now_utc()
        # The key's state is F4's own label (keys.loan_label): the same words everywhere.
        _fill(self.query_one("#keys", DataTable),
              [Column(t("col.key")),
               Column(t("dashboard.col.key_state"), shrinks=False),
               Column(t("col.holder"), least=NAME_CELLS)],
              [[literal(out.key.name),
                Text(keys.loan_label(out, now), style="bold red" if out.is_flagged(now) else ""),
                literal(out.holder.name if out.holder else "")]
               for out in glance.keys_out])
        update_if_changed(self.query_one("#callbacks-line", Static), Text(
            t("dashboard.line", title=t("dash.callbacks"), value=glance.callbacks_due)))
        names = t("dashboard.list_separator").join(
            t("dashboard.person", name=name, role=t("role." + role))
            for name, role in glance.signed_in)
        update_if_changed(self.query_one("#signed-in-line", Static), literal(
            t("dashboard.line", title=t("dash.signed_in"), value=names or t("dash.none"))))
        update_if_changed(self.query_one("#drafts-line", Static), drafts_line)
        update_if_changed(self.query_one("#logbook-line", Static), literal(due_now))
        update_if_changed(self.query_one("#flagged-line", Static),
                          Text(t("dash.flagged", count=glance.callbacks_flagged), style="bold")
                          if glance.callbacks_flagged else Text(""))
