"""Home: today at a glance. Digits open the F-key screens for terminals with odd F-keys."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import DataTable, Static

from reception.clock import clock
from reception.dashboard import today_at_a_glance
from reception.i18n import t
from screens.base import AreaScreen
from screens.widgets.text import literal


def _minutes(since) -> str:
    return t("minutes", n=max(int((clock.now_utc() - since).total_seconds() // 60), 0))


class DashboardScreen(AreaScreen):
    CSS_PATH = "dashboard.tcss"
    TITLE_KEY = "screen.dashboard"
    BINDINGS = [
        Binding("escape", "noop", show=False),
        Binding("2", "app.open_area('triage')", t("screen.triage"), show=False),
        Binding("3", "app.open_area('calls')", t("screen.calls"), show=False),
        Binding("4", "app.open_area('keys')", t("screen.keys"), show=False),
        Binding("5", "app.open_area('callbacks')", t("screen.callbacks"), show=False),
        Binding("6", "app.open_area('reconcile')", t("screen.reconcile"), show=False),
        Binding("s", "app.open_area('staff')", t("screen.staff"), show=False),
        Binding("r", "app.open_area('rota')", t("screen.rota"), show=False),
        Binding("k", "app.open_area('key_setup')", t("screen.key_setup"), show=False),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(Text(t("dash.goto")), classes="hint", id="goto")
        with Grid(id="glance"):
            with Vertical():
                yield Static(Text(t("dash.waiting"), style="bold"), id="waiting-title")
                yield DataTable(id="waiting", cursor_type="row", zebra_stripes=True)
            with Vertical():
                yield Static(Text(t("dash.messages"), style="bold"), id="messages-title")
                yield DataTable(id="messages", cursor_type="row")
            with Vertical():
                yield Static(Text(t("dash.keys"), style="bold"), id="keys-title")
                yield DataTable(id="keys", cursor_type="row")
            with Vertical():
                yield Static(id="callbacks-line")
                yield Static(id="signed-in-line")
                yield Static(id="flagged-line")

    def on_mount(self) -> None:
        self.query_one("#waiting", DataTable).add_columns(
            t("col.name"), t("col.status"), t("col.with"), t("col.since"))
        self.query_one("#messages", DataTable).add_columns(
            t("col.recipient"), t("col.name"), t("col.matter"))
        self.query_one("#keys", DataTable).add_columns(
            t("col.key"), t("col.holder"), t("col.since"))
        super().on_mount()

    def action_noop(self) -> None:
        """Escape on the home screen has nowhere to go back to."""

    def refresh_data(self) -> None:
        with self.db.read() as session:
            glance = today_at_a_glance(session)
        waiting = self.query_one("#waiting", DataTable)
        waiting.clear()
        for row in glance.waiting:
            waiting.add_row(literal(row.customer_name), Text(t(f"status.{row.status}")),
                            literal(row.with_whom), Text(_minutes(row.since)))
        self.query_one("#waiting-title", Static).update(
            Text(f"{t('dash.waiting')} ({len(glance.waiting)})", style="bold"))
        messages = self.query_one("#messages", DataTable)
        messages.clear()
        for message in glance.messages:
            messages.add_row(literal(message.recipient), literal(message.caller_name),
                             literal(message.matter))
        self.query_one("#messages-title", Static).update(
            Text(f"{t('dash.messages')} ({len(glance.messages)})", style="bold"))
        keys_table = self.query_one("#keys", DataTable)
        keys_table.clear()
        now = clock.now_utc()
        for out in glance.keys_out:
            since = Text(_minutes(out.loan.at))
            if out.is_flagged(now):
                since.append(" " + t("dash.overdue"), style="bold red")
            keys_table.add_row(literal(out.key.name),
                               literal(out.holder.name if out.holder else ""), since)
        self.query_one("#callbacks-line", Static).update(
            Text(f"{t('dash.callbacks')}: {glance.callbacks_due}"))
        names = ", ".join(f"{name}({t('role.' + role)})" for name, role in glance.signed_in)
        self.query_one("#signed-in-line", Static).update(
            literal(f"{t('dash.signed_in')}: {names or t('dash.none')}"))
        flagged = self.query_one("#flagged-line", Static)
        flagged.update(Text(t("dash.flagged", count=glance.callbacks_flagged), style="bold")
                       if glance.callbacks_flagged else "")
