"""F4: the key board — every key at the desk or out (with whom, since when, its state),
the case files asked for, and the keys that start each flow: ``l`` lend, ``r`` return,
``f`` fetch a requested case file, ``h`` history.

Every rule is in ``reception.keys``; the board shows what it reads, opens the forms
(``screens/keys/lend.py``) and says a refusal word for word before any form opens.

Keystroke budget: a return is one key (``r`` on the key's row).
"""

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from reception import days, drafts, keys, settings
from reception.clock import clock
from reception.errors import DayClosedError, ReceptionError
from reception.i18n import t
from screens.base import AreaScreen
from screens.keys.history import KeyHistoryScreen
from screens.keys.lend import LendForm, read_choices
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal, update_if_changed

LEND_DRAFTS = "keys.lend."


def ensure_keys(screen: AreaScreen, done: Callable[[], None]) -> bool:
    """The seed's two keys on first use; read first, so opening a screen takes no write
    lock. Added through the store (True): ``done`` once they are in, or were refused."""
    with screen.db.read() as session:
        missing = not keys.list_keys(session, active_only=False)
    if missing:
        by = screen.staff_id
        screen.app.store.write(lambda session: keys.ensure_default_keys(session, by=by),
                               done=lambda _keys: done(), failed=lambda _error: done())
    return missing


class KeysScreen(AreaScreen):
    """The key log at the front desk (F4)."""

    TITLE_KEY = "screen.keys"
    BINDINGS = [
        Binding("l", "lend", "keys.action.lend", id="keys.lend"),
        Binding("r", "return_key", "keys.action.return", id="keys.return"),
        Binding("f", "fetch_case_file", "keys.action.fetch", id="keys.fetch"),
        Binding("h", "history", "keys.action.history", id="keys.history"),
        Binding("ctrl+r", "continue_lend", "keys.action.continue", id="keys.continue"),
    ]

    #: The seed's keys are being added: a key's action pressed meanwhile waits for them.
    seeding = False

    def __init__(self) -> None:
        super().__init__()
        self._waiting: Callable[[], None] | None = None
        self._states: list[keys.KeyState] = []
        self._requests: list[keys.PendingRequest] = []
        #: The last lend begun and kept (its key id), offered with Ctrl+R.
        self._kept_lend: int | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="overview"):
            yield RoutedDataTable(id="keys-table", cursor_type="row")
            yield Static(id="overdue-line", classes="error")
            yield Static(id="keys-error", classes="error")
            yield Static(id="drafts-line", classes="hint")
            yield Static(id="requests-title", classes="section")
            yield RoutedDataTable(id="requests-table", cursor_type="row")
            yield Static(id="closing-line", classes="hint")
            yield Static(id="day-line", classes="error")

    def on_mount(self) -> None:
        self.query_one("#keys-table", DataTable).add_columns(
            t("col.key"), t("keys.col.loan"), t("col.holder"), t("col.out_at"),
            t("keys.col.purpose"))
        self.query_one("#keys-error").display = False
        self.query_one("#requests-table", DataTable).add_columns(
            t("keys.col.customer"), t("keys.col.consultant"), t("keys.col.asked_at"))
        self.seeding = ensure_keys(self, self.seeded)

    def after_mount(self) -> None:
        self.query_one("#keys-table", DataTable).focus()
        # Minutes out and the overdue flags move on with the clock.
        self.set_interval(30, self.reload)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue_lend":
            return self._kept_lend is not None
        return True

    # --- what the board shows ------------------------------------------------------------

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self._states = keys.key_states(session)
            self._requests = keys.pending_requests(session)
            closing = settings.get(session, "closing_time")
            signed_off = days.is_signed_off(session, clock.today())
            kept = drafts.latest(session, LEND_DRAFTS, owner_id=self.staff_id)
            forms = drafts.pending(session, owner_id=self.staff_id)
        now = clock.now_utc()
        table = self.query_one("#keys-table", DataTable)
        row = table.cursor_row
        table.clear()
        for state in self._states:
            out = state.out
            if out is None:
                table.add_row(literal(state.key.name),
                              Text(t("keys.state.free"), style="green"), "", "", "")
                continue
            label = Text(keys.loan_label(out, now),
                         style="bold red" if out.is_flagged(now) else "")
            table.add_row(
                literal(state.key.name), label, literal(out.holder.name if out.holder else ""),
                Text(keys.format_since(out.loan.at)), literal(out.purpose))
        if self._states:
            table.move_cursor(row=min(row, len(self._states) - 1))
        self._show_flagged(now)
        self._show_kept_lends(kept, forms)
        self._show_requests()
        update_if_changed(self.query_one("#closing-line", Static),
                          literal(t("keys.overview_hint", closing=closing)))
        # A signed-off day is read-only: said before anyone tries to lend or return.
        day_line = self.query_one("#day-line", Static)
        closed = literal(t("day.signed_off", day=clock.today().isoformat()))
        update_if_changed(day_line, closed if signed_off else "")
        day_line.display = signed_off
        self.refresh_bindings()

    def _show_flagged(self, now) -> None:
        """Every key not back in time, each with its state (the status line gives the
        count when there is more than one)."""
        flagged = [f"{state.key.name} {keys.loan_label(state.out, now)}"
                   for state in self._states if state.out and state.out.is_flagged(now)]
        line = self.query_one("#overdue-line", Static)
        alert = literal(t("keys.status_alert", keys=t("keys.alert_separator").join(flagged)))
        update_if_changed(line, alert if flagged else "")
        line.display = bool(flagged)

    def _show_kept_lends(self, kept, forms: list[str]) -> None:
        """A lend begun and left is said on the board: l on its key (or Ctrl+R) goes on."""
        names = {str(state.key.id): state.key.name for state in self._states}
        begun = [names[form.removeprefix(LEND_DRAFTS)] for form in forms
                 if form.startswith(LEND_DRAFTS) and form.removeprefix(LEND_DRAFTS) in names]
        line = self.query_one("#drafts-line", Static)
        kept_line = literal(t("keys.lends_kept", keys=t("keys.list_separator").join(begun)))
        update_if_changed(line, kept_line if begun else "")
        line.display = bool(begun)
        key_id = kept[0].removeprefix(LEND_DRAFTS) if kept else ""
        self._kept_lend = int(key_id) if key_id in names else None

    def _show_requests(self) -> None:
        requests = self.query_one("#requests-table", DataTable)
        request_row = requests.cursor_row
        requests.clear()
        for pending in self._requests:
            requests.add_row(
                literal(pending.customer.name),
                literal(pending.consultant.name if pending.consultant else ""),
                Text(keys.format_since(pending.request.created_at)))
        if self._requests:
            requests.move_cursor(row=min(request_row, len(self._requests) - 1))
        requests.display = bool(self._requests)
        self.query_one("#requests-title", Static).update(literal(
            t("keys.requests", n=len(self._requests)) if self._requests
            else t("keys.no_requests")))

    def _highlighted_state(self) -> keys.KeyState | None:
        table = self.query_one("#keys-table", DataTable)
        if not self._states or table.cursor_row >= len(self._states):
            return None
        return self._states[table.cursor_row]

    def _refuse(self, problem: ReceptionError) -> None:
        """A refusal said at once, on the board (and as a notice), before any form."""
        error = self.query_one("#keys-error", Static)
        # A signed-off day is already said on its own line: not twice.
        said = self.query_one("#day-line").display and isinstance(problem, DayClosedError)
        error.update("" if said else literal(str(problem)))
        error.display = not said
        self.notify(str(problem), severity="error", markup=False)

    def _clear_refusal(self) -> None:
        self.query_one("#keys-error", Static).update("")
        self.query_one("#keys-error").display = False

    # --- the flows -------------------------------------------------------------------------

    def _open_lend(self, key_id: int, request: keys.PendingRequest | None = None) -> None:
        """Asked before the form opens: a key already out (who has it, since when), a key
        no longer in use, or a signed-off day is refused up front."""
        try:
            with self.db.read() as session:
                choices = read_choices(session, key_id)
        except ReceptionError as problem:
            self._refuse(problem)
            return
        self._clear_refusal()
        form = LendForm(choices, manager_signed_in=self.app.is_manager, request=request)
        self.app.push_screen(form, self._lent)

    def _lent(self, result) -> None:
        self.query_one("#keys-table", DataTable).focus()
        if result is not None:
            self.app.update_status_line()
        # A draft kept on the way out is written by the store's writer: shown once it is in.
        self.app.store.write(lambda session: None, done=lambda _none: self.reload())

    def seeded(self) -> None:
        """The seed's keys are in (or the store refused them): show them, then act on a key
        pressed before they were there (``l`` typed as the board opened)."""
        self.seeding = False
        self.reload()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            waiting()

    def waits_for_seed(self, action: Callable[[], None]) -> bool:
        if self.seeding:
            self._waiting = action
        return self.seeding

    def action_lend(self) -> None:
        if self.waits_for_seed(self.action_lend):
            return
        state = self._highlighted_state()
        if state is not None:
            self._open_lend(state.key.id)

    def action_continue_lend(self) -> None:
        if self._kept_lend is None:
            return
        table = self.query_one("#keys-table", DataTable)
        for index, state in enumerate(self._states):
            if state.key.id == self._kept_lend:
                table.move_cursor(row=index)
        self._open_lend(self._kept_lend)

    def action_fetch_case_file(self) -> None:
        table = self.query_one("#requests-table", DataTable)
        if not self._requests:
            self.notify(t("keys.no_requests"), severity="warning", markup=False)
            return
        pending = self._requests[min(table.cursor_row, len(self._requests) - 1)]
        with self.db.read() as session:
            archive = keys.archive_key(session)
        if archive is None:
            self.notify(t("keys.no_archive_key"), severity="error", markup=False)
            return
        self._open_lend(archive.id, request=pending)

    def action_return_key(self) -> None:
        if self.waits_for_seed(self.action_return_key):
            return
        state = self._highlighted_state()
        if state is None:
            return
        key_id, by = state.key.id, self.staff_id
        minutes = state.out.minutes_out() if state.out else 0
        holder = state.out.holder.name if state.out and state.out.holder else ""

        def returned(_event) -> None:
            self._clear_refusal()
            self.notify(t("keys.returned", room=state.key.name, name=holder, n=minutes),
                        markup=False)
            self.reload()
            self.app.update_status_line()

        self.app.store.write(lambda session: keys.return_key(session, key_id=key_id, by=by),
                             done=returned, failed=self._refuse)

    def action_history(self) -> None:
        self.app.push_screen(KeyHistoryScreen())

    def show_record(self, record_type: str, record_id: int) -> None:
        """The night check (F6) points at a loan: put the cursor on that key's row."""
        if record_type != "key_event" or not self.is_mounted:
            return
        self.reload()
        table = self.query_one("#keys-table", DataTable)
        for index, state in enumerate(self._states):
            if state.out is not None and state.out.loan.id == record_id:
                table.move_cursor(row=index)
                break
        table.focus()
