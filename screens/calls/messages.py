"""The messages not yet relayed, below the call: m moves there, r marks the highlighted one
relayed, f shows only one's own. The list and its detail line show the phone masked;
the night check opens the screen at a message (or a call)."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from reception import calls, phones
from reception.clock import clock
from reception.i18n import t
from screens.calls.words import cell
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import update_if_changed

#: The keys of the message list (the hint under it names them as they are bound).
KEY_MESSAGES, KEY_RELAY, KEY_MINE = "m", "r", "f"


class MessageTable(RoutedDataTable):
    """The messages not yet relayed; its own keys work while it has the focus."""

    BINDINGS = [
        Binding(KEY_RELAY, "screen.relay", "calls.key.relay", id="calls-relay"),
        Binding(KEY_MINE, "screen.toggle_mine", "calls.key.mine", id="calls-mine"),
    ]


class MessageList:
    """Mixin of the call screen: the messages pane, its keys and the night check's jump."""

    mine_only = False
    pending_record: tuple[str, int] | None = None

    def compose_messages(self) -> ComposeResult:
        with Vertical(id="messages-pane"):
            yield Static(id="messages-title")
            yield MessageTable(id="message-list", cursor_type="row")
            yield Static(id="message-detail")

    @property
    def message_table(self) -> MessageTable:
        return self.query_one("#message-list", MessageTable)

    def mount_messages(self) -> None:
        self.rows: dict[int, calls.MessageRow] = {}
        self.message_table.add_columns(t("calls.col.at"), t("col.recipient"),
                                       t("calls.col.caller"), t("col.phone"), t("col.matter"))

    def refresh_data(self) -> None:
        table = self.message_table
        selected = self.selected_message_id()
        with self.db.read() as session:
            rows = calls.unrelayed(session, recipient_id=self.staff_id if self.mine_only
                                   else None)
        table.clear()
        for row in rows:
            table.add_row(Text(clock.local(row.taken_at).format("MM-DD HH:mm")),
                          cell(row.recipient, 10), cell(row.caller_name, 10),
                          Text(phones.mask(row.phone)), cell(row.matter, 24),
                          key=str(row.message_id))
        self.rows = {row.message_id: row for row in rows}
        title = "calls.list.mine" if self.mine_only else "calls.list.title"
        update_if_changed(self.query_one("#messages-title", Static),
                          Text(t(title, count=len(rows)), style="bold"))
        if selected is not None and selected in self.rows:
            table.move_cursor(row=table.get_row_index(str(selected)))
        self.show_message_detail()

    def selected_message_id(self) -> int | None:
        table = self.message_table
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def show_message_detail(self) -> None:
        detail = self.query_one("#message-detail", Static)
        row = self.rows.get(self.selected_message_id())
        if row is None:
            detail.update(Text(t("calls.list.hint", list=KEY_MESSAGES, relay=KEY_RELAY,
                                 mine=KEY_MINE), style="dim"))
            return
        line = Text()
        line.append(row.caller_name + " ", style="bold")
        # Masked as in the list: a phone is shown whole only on the customer's own record.
        if row.phone:
            line.append(phones.mask(row.phone) + " · ")
        line.append(row.matter)
        detail.update(line)

    def on_data_table_row_highlighted(self, event) -> None:
        self.show_message_detail()

    def action_messages(self) -> None:
        self.message_table.focus()

    def action_toggle_mine(self) -> None:
        self.mine_only = not self.mine_only
        self.refresh_data()

    def action_relay(self) -> None:
        message_id = self.selected_message_id()
        if message_id is None:
            self.app.bell()
            return
        row = self.rows.get(message_id)
        by = self.staff_id

        def relayed(_message) -> None:
            caller = (row.caller_name or phones.mask(row.phone)) if row else ""
            self.notify(t("calls.message.relayed", caller=cell(caller, 20).plain or "…",
                          recipient=row.recipient if row else ""))
            self.reload()

        self.app.store.write(lambda session: calls.mark_relayed(session, message_id, by=by),
                             done=relayed, failed=self.relay_refused)

    def relay_refused(self, error) -> None:
        self.notify(str(error), severity="error")
        self.reload()

    # --- jumping here from the night check --------------------------------------------

    def show_record(self, record_type: str, record_id: int) -> None:
        """Show a message (or a call) the night check points at."""
        self.pending_record = (record_type, int(record_id))
        if self.is_mounted:
            self.call_after_refresh(self.apply_pending_record)

    def apply_pending_record(self) -> None:
        if self.pending_record is None:
            return
        record_type, record_id = self.pending_record
        self.pending_record = None
        if record_type == "message":
            self.show_message(record_id)
        elif record_type == "call":
            self.show_call(record_id)

    def show_message(self, message_id: int) -> None:
        with self.db.read() as session:
            row = calls.message_row(session, message_id)
        if row is None:
            self.notify(t("calls.message.not_found"), severity="warning")
            return
        if row.relayed_at is not None:
            self.notify(t("calls.message.already_relayed"))
            return
        if self.mine_only and row.recipient_id != self.staff_id:
            self.mine_only = False
        self.refresh_data()
        table = self.message_table
        if str(message_id) in {key.value for key in table.rows}:
            table.move_cursor(row=table.get_row_index(str(message_id)))
        table.focus()
        # The script pane may have asked for the focus on this same refresh.
        self.call_after_refresh(table.focus)
        self.show_message_detail()

    def show_call(self, call_id: int) -> None:
        with self.db.read() as session:
            call = calls.get_call(session, call_id)
        if call is None:
            self.notify(t("calls.not_found"), severity="warning")
            return
        outcome = t(f"calls.outcome.{call.outcome}") if call.outcome else "…"
        line = Text(f"{clock.local(call.started_at).format('MM-DD HH:mm')}  {outcome}  ")
        line.append(" › ".join(calls.call_path(call)), style="dim")
        if call.caller_name:
            line.append("  " + call.caller_name)
        self.query_one("#message-detail", Static).update(line)
