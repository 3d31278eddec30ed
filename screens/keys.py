"""F4: the key log (lend, return, case-file requests, history, corrections) and the
manager's key setup.

Every rule is in ``reception.keys``; these screens only collect the choice and show the
answer (or the refusal, word for word).
"""

from datetime import timedelta
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Checkbox,
    ContentSwitcher,
    DataTable,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from models import Role, RoomKey
from reception import customers, days, drafts, keys, phones, settings
from reception.clock import clock
from reception.errors import DayClosedError, ReceptionError, ValidationError
from reception.i18n import t
from screens.base import AreaScreen, DraftForm
from screens.widgets.ticks import TickBox, TickList

OVERVIEW, LEND, HISTORY = "overview", "lend", "history"


def _row(label_key: str, *widgets, row_id: str | None = None) -> Horizontal:
    return Horizontal(Label(t(label_key)), *widgets, classes="form-row", id=row_id)


def _local(when, fmt: str = "HH:mm") -> str:
    return clock.local(when).format(fmt)


def _roles_text(key) -> str:
    return keys.roles_text(key)


def ensure_keys(screen: AreaScreen) -> None:
    """The seed's two keys on first use; read first, so opening a screen takes no write lock."""
    with screen.db.read() as session:
        missing = not keys.list_keys(session, active_only=False)
    if missing:
        with screen.db.write() as session:
            keys.ensure_default_keys(session, by=screen.staff_id)

LEND_DRAFTS = "keys.lend"


class KeysScreen(DraftForm, AreaScreen):
    """The key log at the front desk (F4)."""

    CSS_PATH = "keys.tcss"
    TITLE_KEY = "screen.keys"
    # One draft per key ("keys.lend.<key id>"): a lend begun on one key is kept while
    # another key is lent.
    DRAFT_FORM = LEND_DRAFTS
    DRAFT_FIELDS = ("lend-staff", "lend-purpose", "lend-customer")
    BINDINGS = [
        Binding("l", "lend", "keys.action.lend", id="keys.lend"),
        Binding("r", "return_key", "keys.action.return", id="keys.return"),
        Binding("f", "fetch_case_file", "keys.action.fetch", id="keys.fetch"),
        Binding("h", "history", "keys.action.history", id="keys.history"),
        Binding("ctrl+s", "submit_lend", "keys.action.confirm_lend", id="keys.confirm"),
        Binding("left_square_bracket", "day(-1)", "keys.action.prev_day",
                id="keys.prev_day", key_display="["),
        Binding("right_square_bracket", "day(1)", "keys.action.next_day",
                id="keys.next_day", key_display="]"),
        Binding("a", "all_days", "keys.action.all_days", id="keys.all_days"),
        Binding("k", "filter_key", "keys.action.by_key", id="keys.by_key"),
        Binding("s", "filter_staff", "keys.action.by_staff", id="keys.by_staff"),
        Binding("c", "correct", "keys.action.correct", id="keys.correct"),
        Binding("ctrl+r", "restore_draft", "draft.restore", id="keys.restore_draft"),
        Binding("ctrl+d", "drop_draft", "draft.discard", id="keys.discard_draft"),
    ]
    ACTION_VIEWS = {
        "lend": OVERVIEW, "return_key": OVERVIEW, "fetch_case_file": OVERVIEW,
        "history": OVERVIEW, "submit_lend": LEND, "day": HISTORY, "all_days": HISTORY,
        "filter_key": HISTORY, "filter_staff": HISTORY, "correct": HISTORY,
    }

    def __init__(self) -> None:
        super().__init__()
        self._lend_key_id: int | None = None
        self._request_id: int | None = None
        self._staff_choices: list[tuple[Any, bool]] = []
        self._draft_waiting: dict[str, Any] | None = None
        self._draft_waiting_form = ""
        self._history_day = clock.today()
        self._history_all_days = False
        self._history_key_id: int | None = None
        self._history_staff_id: int | None = None
        # The names of the chosen key and person, kept apart from the lines shown (a
        # filter that finds no line on another day still says whom it is for).
        self._history_key_name = ""
        self._history_staff_name = ""
        self._history_lines: list[keys.LogLine] = []
        self._states: list[keys.KeyState] = []
        self._requests: list[keys.PendingRequest] = []

    # --- layout ------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial=OVERVIEW, id="keys-views"):
            with Vertical(id=OVERVIEW):
                yield DataTable(id="keys-table", cursor_type="row")
                yield Static(id="keys-error", classes="error")
                yield Static(id="requests-title", classes="section")
                yield DataTable(id="requests-table", cursor_type="row")
                yield Static(id="closing-line", classes="hint")
                yield Static(id="day-line", classes="error")
            with VerticalScroll(id=LEND):
                yield Static(id="lend-heading", classes="section")
                yield _row("keys.field.staff", Input(id="lend-staff", compact=True,
                                                     placeholder=t("keys.type_to_filter")))
                yield OptionList(id="lend-staff-list", compact=True)
                yield _row("keys.field.purpose", Input(id="lend-purpose", compact=True,
                                                       placeholder=t("keys.purpose_hint")))
                yield _row("keys.field.customer", Input(id="lend-customer", compact=True,
                                                        placeholder=t("keys.customer_hint")))
                yield OptionList(id="lend-customer-list", compact=True)
                yield _row("keys.field.approver",
                           Select([], id="lend-approver", compact=True,
                                  prompt=t("keys.choose_manager")),
                           Label(t("keys.field.pin"), id="pin-label"),
                           Input(id="lend-approver-pin", compact=True, password=True,
                                 restrict=r"\d*", max_length=12),
                           row_id="approval-row")
                yield Static(id="lend-error", classes="error")
                yield Static(Text(t("keys.lend_hint")), classes="hint")
            with Vertical(id=HISTORY):
                yield Static(id="history-filter", classes="section")
                yield DataTable(id="history-table", cursor_type="row")
                yield Static(id="history-detail")
                yield _row("keys.field.correction", Input(id="correction-note", compact=True),
                           row_id="correction-row")
                yield Static(id="history-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#keys-table", DataTable).add_columns(
            t("col.key"), t("keys.col.loan"), t("col.holder"), t("col.out_at"),
            t("keys.col.purpose"))
        self.query_one("#keys-error").display = False
        self.query_one("#requests-table", DataTable).add_columns(
            t("keys.col.customer"), t("keys.col.consultant"), t("keys.col.asked_at"))
        self.query_one("#history-table", DataTable).add_columns(
            "#", t("keys.col.time"), t("col.key"), t("keys.col.entry"), t("keys.col.staff"),
            t("keys.col.detail"))
        self.query_one("#correction-row").display = False
        ensure_keys(self)
        super().on_mount()
        self.query_one("#keys-table", DataTable).focus()
        with self.db.read() as session:
            waiting = drafts.latest(session, LEND_DRAFTS, owner_id=self.staff_id)
        self._draft_waiting_form, self._draft_waiting = waiting or ("", None)
        if self._draft_waiting:
            self.notify(t("draft.offer", when=self._draft_waiting.get("saved", "")),
                        timeout=8, markup=False)
        self.refresh_bindings()
        # Minutes out and the overdue flags move on with the clock.
        self.set_interval(30, self.refresh_data)

    @property
    def view(self) -> str:
        return self.query_one("#keys-views", ContentSwitcher).current or OVERVIEW

    def _show(self, view: str) -> None:
        self.query_one("#keys-views", ContentSwitcher).current = view
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("restore_draft", "drop_draft"):
            return self._draft_waiting is not None and self.view == OVERVIEW
        wanted = self.ACTION_VIEWS.get(action)
        if wanted is None or not self.is_mounted:
            return True
        return self.view == wanted

    # --- overview ----------------------------------------------------------------

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self._states = keys.key_states(session)
            self._requests = keys.pending_requests(session)
            closing = settings.get(session, "closing_time")
            signed_off = days.is_signed_off(session, clock.today())
        now = clock.now_utc()
        table = self.query_one("#keys-table", DataTable)
        row = table.cursor_row
        table.clear()
        for state in self._states:
            out = state.out
            if out is None:
                table.add_row(Text(state.key.name), Text(t("keys.state.free"), style="green"),
                              "", "", "")
                continue
            label = Text(keys.loan_label(out, now),
                         style="bold red" if out.is_flagged(now) else "")
            table.add_row(
                Text(state.key.name), label, Text(out.holder.name if out.holder else ""),
                Text(keys.format_since(out.loan.at)), Text(out.purpose))
        if self._states:
            table.move_cursor(row=min(row, len(self._states) - 1))
        requests = self.query_one("#requests-table", DataTable)
        request_row = requests.cursor_row
        requests.clear()
        for pending in self._requests:
            requests.add_row(
                Text(pending.customer.name),
                Text(pending.consultant.name if pending.consultant else ""),
                Text(keys.format_since(pending.request.created_at)))
        if self._requests:
            requests.move_cursor(row=min(request_row, len(self._requests) - 1))
        requests.display = bool(self._requests)
        self.query_one("#requests-title", Static).update(Text(
            t("keys.requests", n=len(self._requests)) if self._requests
            else t("keys.no_requests")))
        self.query_one("#closing-line", Static).update(
            Text(t("keys.overview_hint", closing=closing)))
        # A signed-off day is read-only: said before anyone tries to lend or return.
        day_line = self.query_one("#day-line", Static)
        day_line.update(Text(t("day.signed_off", day=clock.today().isoformat()))
                        if signed_off else "")
        day_line.display = signed_off
        if self.view == HISTORY:
            self._load_history()

    def _highlighted_state(self) -> keys.KeyState | None:
        table = self.query_one("#keys-table", DataTable)
        if not self._states or table.cursor_row >= len(self._states):
            return None
        return self._states[table.cursor_row]

    def _refuse(self, problem: ReceptionError) -> None:
        """A refusal said at once, on the overview (and as a notice), before any form."""
        error = self.query_one("#keys-error", Static)
        # A signed-off day is already said on its own line: not twice.
        said = self.query_one("#day-line").display and isinstance(problem, DayClosedError)
        error.update("" if said else Text(str(problem)))
        error.display = not said
        self.notify(str(problem), severity="error", markup=False)

    def _clear_refusal(self) -> None:
        self.query_one("#keys-error", Static).update("")
        self.query_one("#keys-error").display = False

    def _may_lend(self, key_id: int) -> bool:
        """Asked before the form opens: a key already out (who has it, since when), a
        key no longer in use, or a signed-off day is refused up front."""
        try:
            with self.db.read() as session:
                keys.check_lend(session, key_id)
        except ReceptionError as problem:
            self._refuse(problem)
            return False
        self._clear_refusal()
        return True

    def action_lend(self) -> None:
        state = self._highlighted_state()
        if state is None or not self._may_lend(state.key.id):
            return
        self._open_lend(state.key.id)

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
        if not self._may_lend(archive.id):
            return
        self._open_lend(archive.id, request=pending)

    def action_return_key(self) -> None:
        state = self._highlighted_state()
        if state is None:
            return
        try:
            with self.db.write() as session:
                keys.return_key(session, key_id=state.key.id, by=self.staff_id)
        except ReceptionError as problem:
            self._refuse(problem)
            return
        self._clear_refusal()
        minutes = state.out.minutes_out() if state.out else 0
        holder = state.out.holder.name if state.out and state.out.holder else ""
        self.notify(t("keys.returned", room=state.key.name, name=holder, n=minutes), markup=False)
        self._after_write()

    def _after_write(self) -> None:
        self.refresh_data()
        self.app.update_status_line()

    def show_record(self, record_type: str, record_id: int) -> None:
        """The night check (F6) points at a loan: put the cursor on that key's row."""
        if record_type != "key_event" or not self.is_mounted:
            return
        self.refresh_data()
        if self.view != OVERVIEW:
            return
        table = self.query_one("#keys-table", DataTable)
        for index, state in enumerate(self._states):
            if state.out is not None and state.out.loan.id == record_id:
                table.move_cursor(row=index)
                break
        table.focus()

    # --- lend form ---------------------------------------------------------------

    def _open_lend(self, key_id: int, *, request: keys.PendingRequest | None = None,
                   restoring: bool = False) -> None:
        with self.db.read() as session:
            key = session.get(RoomKey, key_id)
            self._staff_choices = keys.staff_for_key(session, key)
            managers = keys.active_managers(session)
        if key is None:
            return
        if not restoring and key_id != self._lend_key_id:
            # Another key: its own draft if one was begun, else an empty form (what was
            # typed for the last key stays in that key's draft).
            self.DRAFT_FORM = f"{LEND_DRAFTS}.{key_id}"
            kept = self.load_draft()
            self.apply_draft({field_id: (kept or {}).get(field_id, "")
                              for field_id in self.DRAFT_FIELDS})
            if kept:
                self.notify(t("draft.restored"), markup=False)
                self._forget_waiting_draft(self.DRAFT_FORM)
        self.DRAFT_FORM = f"{LEND_DRAFTS}.{key_id}"
        self._lend_key_id = key_id
        self._request_id = request.request.id if request else None
        heading = Text(t("keys.lend_heading", room=key.name, roles=_roles_text(key),
                         n=key.limit_minutes))
        if key.needs_manager_approval:
            heading.append("  " + t("keys.needs_approval_short"), style="bold")
        if request is not None:
            heading.append("\n" + t("keys.for_request", name=request.customer.name))
        self.query_one("#lend-heading", Static).update(heading)
        self.query_one("#lend-purpose", Input).placeholder = t(
            "keys.purpose_hint_archive" if key.is_archive else "keys.purpose_hint")
        approver = self.query_one("#lend-approver", Select)
        approver.set_options([(Text(m.name), m.id) for m in managers])
        if self.app.is_manager:
            approver.value = self.staff_id
        elif len(managers) == 1:
            approver.value = managers[0].id
        self.query_one("#approval-row").display = key.needs_manager_approval
        self.query_one("#lend-approver-pin", Input).value = ""
        self._sync_pin_row()
        self.query_one("#lend-error", Static).update("")
        if request is not None:
            self.query_one("#lend-staff", Input).value = (
                request.consultant.name if request.consultant else "")
            self.query_one("#lend-purpose", Input).value = t(
                "keys.case_file_of", name=request.customer.name)
            self.query_one("#lend-customer", Input).value = request.customer.name
        self._fill_staff(self.query_one("#lend-staff", Input).value)
        self._fill_customers(self.query_one("#lend-customer", Input).value,
                             only=request.customer if request else None)
        self._show(LEND)
        self.query_one("#lend-staff", Input).focus()

    def _sync_pin_row(self) -> None:
        approver = self.query_one("#lend-approver", Select)
        needs_pin = approver.is_blank() or approver.value != self.staff_id
        self.query_one("#lend-approver-pin", Input).display = needs_pin
        self.query_one("#pin-label", Label).display = needs_pin

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "lend-approver":
            self._sync_pin_row()

    def _fill_staff(self, typed: str) -> None:
        options = self.query_one("#lend-staff-list", OptionList)
        options.clear_options()
        needle = typed.strip().lower()
        by_initials = needle.isascii() and needle.isalpha()
        for member, allowed in self._staff_choices:
            # By name or pinyin initials ("zm" → 张敏), as at sign-in.
            if needle and needle not in member.name.lower() and not (
                    by_initials and customers.initials(member.name).startswith(needle)):
                continue
            label = Text(member.name)
            label.append(f"  {t('role.' + member.role)}", style="dim")
            if not member.active:
                label.append("  " + t("keys.inactive_mark"), style="bold red")
            elif not allowed:
                label.append("  " + t("keys.not_allowed_mark"), style="red")
            options.add_option(Option(label, id=str(member.id)))
        if options.option_count:
            options.highlighted = 0

    def _fill_customers(self, typed: str, *, only=None) -> None:
        options = self.query_one("#lend-customer-list", OptionList)
        options.clear_options()
        found = [only] if only is not None else []
        if not found and typed.strip():
            with self.db.read() as session:
                found = customers.search(session, typed, limit=5)
        for customer in found:
            label = Text(customer.name)
            label.append(f"  {phones.mask(customer.phone)}", style="dim")
            if customer.case_number:
                label.append(f"  {customer.case_number}", style="dim")
            options.add_option(Option(label, id=str(customer.id)))
        if options.option_count:
            options.highlighted = 0
        options.display = bool(found)

    def on_input_changed(self, event: Input.Changed) -> None:
        super().on_input_changed(event)
        if event.input.id == "lend-staff":
            self._fill_staff(event.value)
        elif event.input.id == "lend-customer":
            if self._request_id is None:
                self._fill_customers(event.value)

    def on_key(self, event: events.Key) -> None:
        """Up and down in a type-ahead field move through its list."""
        focused = self.focused
        lists = {"lend-staff": "#lend-staff-list", "lend-customer": "#lend-customer-list"}
        if event.key not in ("up", "down") or focused is None or focused.id not in lists:
            return
        options = self.query_one(lists[focused.id], OptionList)
        if options.option_count:
            if event.key == "down":
                options.action_cursor_down()
            else:
                options.action_cursor_up()
            event.stop()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        following = {"lend-staff": "#lend-purpose", "lend-purpose": "#lend-customer"}
        field_id = event.input.id
        if field_id in following:
            self.query_one(following[field_id], Input).focus()
        elif field_id == "lend-customer":
            if self.query_one("#approval-row").display and self.query_one(
                    "#lend-approver-pin", Input).display:
                self.query_one("#lend-approver-pin", Input).focus()
            else:
                self.action_submit_lend()
        elif field_id == "lend-approver-pin":
            self.action_submit_lend()
        elif field_id == "correction-note":
            self._submit_correction()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "lend-staff-list":
            self.query_one("#lend-purpose", Input).focus()
        elif event.option_list.id == "lend-customer-list":
            self.action_submit_lend()

    @staticmethod
    def _chosen(options: OptionList) -> int | None:
        if not options.option_count or options.highlighted is None:
            return None
        return int(options.get_option_at_index(options.highlighted).id)

    def action_submit_lend(self) -> None:
        if self._lend_key_id is None:
            return
        staff_id = self._chosen(self.query_one("#lend-staff-list", OptionList))
        customer_text = self.query_one("#lend-customer", Input).value.strip()
        customer_list = self.query_one("#lend-customer-list", OptionList)
        customer_id = self._chosen(customer_list) if customer_text else None
        purpose = self.query_one("#lend-purpose", Input).value
        if customer_id is None and customer_text:
            # A customer typed but not found in the list is kept in the purpose, not lost.
            purpose = (f"{purpose.strip()} · {customer_text}" if purpose.strip()
                       else customer_text)
        approver = self.query_one("#lend-approver", Select)
        needs_approval = self.query_one("#approval-row").display
        error = self.query_one("#lend-error", Static)
        try:
            with self.db.write() as session:
                loan = keys.lend(
                    session, key_id=self._lend_key_id, staff_id=staff_id, by=self.staff_id,
                    purpose=purpose, customer_id=customer_id,
                    approved_by_id=None if not needs_approval or approver.is_blank()
                    else approver.value,
                    approval_pin=self.query_one("#lend-approver-pin", Input).value or None,
                    request_id=self._request_id)
        except ValidationError as problem:
            error.update(Text(str(problem)))
            if problem.field == "purpose":
                self.query_one("#lend-purpose", Input).focus()
            return
        except ReceptionError as problem:
            error.update(Text(str(problem)))
            return
        # Emptied without "changed" events: they would schedule a draft save of the empty
        # form after the draft is discarded (and after the screen may be gone).
        with self.prevent(Input.Changed):
            for field_id in (*self.DRAFT_FIELDS, "lend-approver-pin"):
                self.query_one(f"#{field_id}", Input).value = ""
        self.discard_draft()
        self._forget_waiting_draft(self.DRAFT_FORM)
        holder = next((m.name for m, _ in self._staff_choices if m.id == loan.staff_id), "")
        self.notify(t("keys.lent", name=holder, since=_local(loan.at)), markup=False)
        self._lend_key_id = self._request_id = None
        self._show(OVERVIEW)
        self.query_one("#keys-table", DataTable).focus()
        self._after_write()

    # --- drafts ------------------------------------------------------------------

    def draft_values(self) -> dict[str, Any]:
        values = super().draft_values()
        if any(str(value).strip() for value in values.values()):
            values["key_id"] = self._lend_key_id
            values["saved"] = clock.now().format("MM-DD HH:mm")
        return values

    def action_restore_draft(self) -> None:
        draft, form = self._draft_waiting, self._draft_waiting_form
        self._forget_waiting_draft(form)
        if not draft:
            return
        key_id = draft.get("key_id") or (self._states[0].key.id if self._states else None)
        if key_id is None:
            return
        self.apply_draft({k: v for k, v in draft.items() if k in self.DRAFT_FIELDS})
        self._open_lend(key_id, restoring=True)
        if form != self.DRAFT_FORM:
            # Kept under the form name of an older version: move it to its key's.
            with self.db.write() as session:
                drafts.discard(session, form, owner_id=self.staff_id)
            self.save_draft_now()
        self.notify(t("draft.restored"), markup=False)

    def action_drop_draft(self) -> None:
        if self._draft_waiting_form:
            with self.db.write() as session:
                drafts.discard(session, self._draft_waiting_form, owner_id=self.staff_id)
        self._forget_waiting_draft(self._draft_waiting_form)

    def _forget_waiting_draft(self, form: str) -> None:
        """The offered draft was taken up (or dropped): stop offering it."""
        if form and form == self._draft_waiting_form:
            self._draft_waiting, self._draft_waiting_form = None, ""
            self.refresh_bindings()

    # --- history and corrections -------------------------------------------------

    def action_history(self) -> None:
        self._history_day = clock.today()
        self._history_all_days = False
        self._history_key_id = self._history_staff_id = None
        self._show(HISTORY)
        self._load_history()
        self.query_one("#history-table", DataTable).focus()

    def _load_history(self) -> None:
        with self.db.read() as session:
            self._history_lines = keys.history(
                session, day=None if self._history_all_days else self._history_day,
                key_id=self._history_key_id, staff_id=self._history_staff_id)
        parts = [t("keys.filter.all_days") if self._history_all_days
                 else t("keys.filter.day", day=self._history_day.isoformat())]
        if self._history_key_id is not None:
            parts.append(t("keys.filter.key", room=self._history_key_name))
        if self._history_staff_id is not None:
            parts.append(t("keys.filter.staff", name=self._history_staff_name))
        parts.append(t("keys.filter.count", n=len(self._history_lines)))
        self.query_one("#history-filter", Static).update(Text(" · ".join(parts)))
        table = self.query_one("#history-table", DataTable)
        row = table.cursor_row
        table.clear()
        for line in self._history_lines:
            table.add_row(str(line.event.id), _local(line.event.at, "MM-DD HH:mm"),
                          Text(line.key_name), self._entry_text(line),
                          Text(line.staff_name), self._detail_text(line))
        if self._history_lines:
            table.move_cursor(row=min(row, len(self._history_lines) - 1))
        self._show_history_detail()

    def _show_history_detail(self) -> None:
        """The highlighted entry in full: a long purpose is cut short in its row."""
        row = self.query_one("#history-table", DataTable).cursor_row
        detail = Text()
        if self._history_lines and 0 <= row < len(self._history_lines):
            line = self._history_lines[row]
            detail = Text(f"#{line.event.id} {_local(line.event.at, 'MM-DD HH:mm')} ")
            detail.append_text(Text(line.key_name))
            detail.append(" · ")
            detail.append_text(self._entry_text(line))
            detail.append(" · ")
            detail.append_text(Text(line.staff_name))
            detail.append(" · ")
            detail.append_text(self._detail_text(line))
        self.query_one("#history-detail", Static).update(detail)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "history-table":
            self._show_history_detail()

    @staticmethod
    def _entry_text(line: keys.LogLine) -> Text:
        kind = line.event.kind
        if kind == "correction":
            return Text(t("keys.kind.correction"), style="bold yellow")
        if kind == "out" and line.state and line.state.status == "voided":
            return Text(t("keys.kind.out") + " ✗", style="strike dim")
        return Text(t(f"keys.kind.{kind}"))

    @staticmethod
    def _detail_text(line: keys.LogLine) -> Text:
        event = line.event
        detail = Text()
        if event.kind == "out":
            detail.append(line.purpose)
            if line.customer_name and line.customer_name not in line.purpose:
                detail.append(" ")
                detail.append(t("keys.customer_tag", name=line.customer_name))
            if line.approver_name:
                detail.append(" " + t("keys.approved_by", name=line.approver_name), style="dim")
            state = line.state
            if state and state.status == "returned":
                detail.append(" · " + t("keys.back_at", time=_local(state.returned_at)),
                              style="dim")
            elif state and state.status == "voided":
                detail.append(" · " + t("keys.voided", entry=state.voided_by.id), style="dim")
        elif event.kind == "back":
            detail.append(t("keys.closes", entry=event.loan_id), style="dim")
            if event.note:
                detail.append(" " + event.note)
        else:
            detail.append(t("keys.corrects", entry=event.corrects_id), style="dim")
            detail.append(event.note)
        detail.append(" · " + t("keys.entered_by", name=line.by_name), style="dim")
        return detail

    def _highlighted_line(self) -> keys.LogLine | None:
        table = self.query_one("#history-table", DataTable)
        if not self._history_lines or table.cursor_row >= len(self._history_lines):
            return None
        return self._history_lines[table.cursor_row]

    def action_day(self, step: int) -> None:
        self._history_all_days = False
        self._history_day += timedelta(days=step)
        self._load_history()

    def action_all_days(self) -> None:
        self._history_all_days = not self._history_all_days
        self._load_history()

    def action_filter_key(self) -> None:
        line = self._highlighted_line()
        if self._history_key_id is not None:
            self._history_key_id = None
        elif line is not None:
            self._history_key_id = line.event.key_id
            self._history_key_name = line.key_name
        self._load_history()

    def action_filter_staff(self) -> None:
        line = self._highlighted_line()
        if self._history_staff_id is not None:
            self._history_staff_id = None
        elif line is not None and line.event.staff_id is not None:
            self._history_staff_id = line.event.staff_id
            self._history_staff_name = line.staff_name
        self._load_history()

    def action_correct(self) -> None:
        line = self._highlighted_line()
        if line is None:
            return
        error = self.query_one("#history-error", Static)
        try:
            with self.db.read() as session:
                keys.check_correction(session, line.event.id)
        except ReceptionError as problem:
            # Said before the reason is typed (a signed-off day, an entry already put right).
            error.update(Text(str(problem)))
            self.notify(str(problem), severity="error", markup=False)
            return
        error.update("")
        self._correcting = line.event.id
        row = self.query_one("#correction-row")
        row.query_one(Label).update(Text(t("keys.field.correction_of", entry=line.event.id)))
        row.display = True
        note = self.query_one("#correction-note", Input)
        note.value = ""
        note.focus()

    def _submit_correction(self) -> None:
        note = self.query_one("#correction-note", Input)
        error = self.query_one("#history-error", Static)
        try:
            with self.db.write() as session:
                fix = keys.correct(session, event_id=self._correcting, note=note.value,
                                   by=self.staff_id)
        except ReceptionError as problem:
            error.update(Text(str(problem)))
            return
        error.update("")
        self._close_correction()
        self.notify(t("keys.corrected", entry=fix.corrects_id), markup=False)
        self._after_write()

    def _close_correction(self) -> None:
        self.query_one("#correction-row").display = False
        self.query_one("#correction-note", Input).value = ""
        self.query_one("#history-table", DataTable).focus()

    # --- back ----------------------------------------------------------------------

    def action_back(self) -> None:
        view = self.view
        if view == LEND:
            self.save_draft_now()
            self._show(OVERVIEW)
            self.query_one("#keys-table", DataTable).focus()
        elif view == HISTORY and self.query_one("#correction-row").display:
            self.query_one("#history-error", Static).update("")
            self._close_correction()
        elif view == HISTORY:
            self._show(OVERVIEW)
            self.query_one("#keys-table", DataTable).focus()
        else:
            super().action_back()


class KeySetupScreen(DraftForm, AreaScreen):
    """The manager's list of keys: who may take each, its limit, approval; closing time."""

    CSS_PATH = "keys.tcss"
    TITLE_KEY = "screen.key_setup"
    DRAFT_FORM = "keys.setup"
    DRAFT_FIELDS = ("setup-name", "setup-limit")
    BINDINGS = [
        Binding("a", "add", "keys.action.add", id="keys.setup_add"),
        Binding("e", "edit", "keys.action.edit", id="keys.setup_edit"),
        Binding("t", "toggle_active", "keys.action.toggle_active", id="keys.setup_toggle"),
        Binding("o", "closing_time", "keys.action.closing_time", id="keys.setup_closing"),
        Binding("ctrl+s", "save", "form.save", id="keys.setup_save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._keys: list = []
        self._editing_id: int | None = None
        # What was typed when the form was left with Escape: kept until saved or discarded.
        self._parked: dict[str, Any] = {}

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="setup-list", id="setup-views"):
            with Vertical(id="setup-list"):
                yield DataTable(id="setup-table", cursor_type="row")
                yield _row("keys.field.closing_time",
                           Input(id="setup-closing", compact=True, max_length=5),
                           row_id="closing-row")
                yield Static(id="setup-list-error", classes="error")
            with VerticalScroll(id="setup-form"):
                yield Static(id="setup-heading", classes="section")
                yield _row("keys.field.name", Input(id="setup-name", compact=True,
                                                    max_length=100))
                yield Label(t("keys.field.roles"))
                yield TickList(*[(t(f"role.{role.value}"), role.value) for role in Role],
                               id="setup-roles", compact=True)
                yield _row("keys.field.limit", Input(id="setup-limit", compact=True,
                                                     restrict=r"\d*", max_length=4))
                yield TickBox(t("keys.field.approval"), id="setup-approval", compact=True)
                yield Static(id="setup-error", classes="error")
                yield Static(Text(t("keys.setup_hint")), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#setup-table", DataTable).add_columns(
            t("keys.field.name"), t("keys.col.roles"), t("keys.field.limit"),
            t("keys.col.approval"), t("keys.col.active"))
        ensure_keys(self)
        super().on_mount()
        self.query_one("#setup-table", DataTable).focus()
        draft = self.load_draft()
        if draft:
            # Restore directly: the manager sees the half-typed key at once.
            self._open_form(draft.get("editing_id"))
            self.apply_draft({k: v for k, v in draft.items() if k in self.DRAFT_FIELDS})
            self.notify(t("draft.restored"), markup=False)

    @property
    def in_form(self) -> bool:
        return self.query_one("#setup-views", ContentSwitcher).current == "setup-form"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        if action == "save":
            return self.in_form
        if action in ("add", "edit", "toggle_active", "closing_time"):
            return not self.in_form
        return True

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self._keys = keys.list_keys(session, active_only=False)
            closing = settings.get(session, "closing_time")
        table = self.query_one("#setup-table", DataTable)
        row = table.cursor_row
        table.clear()
        for key in self._keys:
            table.add_row(Text(key.name), Text(_roles_text(key)),
                          t("keys.limit_minutes", n=key.limit_minutes),
                          t("yes") if key.needs_manager_approval else t("no"),
                          t("yes") if key.active else t("no"))
        if self._keys:
            table.move_cursor(row=min(row, len(self._keys) - 1))
        closing_input = self.query_one("#setup-closing", Input)
        if not closing_input.has_focus:
            closing_input.value = closing or ""

    def _highlighted(self):
        table = self.query_one("#setup-table", DataTable)
        if not self._keys or table.cursor_row >= len(self._keys):
            return None
        return self._keys[table.cursor_row]

    def _open_form(self, key_id: int | None) -> None:
        key = next((k for k in self._keys if k.id == key_id), None)
        self._editing_id = key.id if key else None
        self.query_one("#setup-heading", Static).update(Text(
            t("keys.editing", room=key.name) if key else t("keys.adding")))
        self.query_one("#setup-name", Input).value = key.name if key else ""
        self.query_one("#setup-limit", Input).value = str(
            key.limit_minutes if key else keys.DEFAULT_LIMIT_MINUTES)
        roles = self.query_one("#setup-roles", SelectionList)
        roles.deselect_all()
        for role in keys.roles_of(key) if key else []:
            roles.select(role)
        self.query_one("#setup-approval", Checkbox).value = bool(
            key and key.needs_manager_approval)
        self.query_one("#setup-error", Static).update("")
        self.query_one("#setup-views", ContentSwitcher).current = "setup-form"
        self.refresh_bindings()
        self.query_one("#setup-name", Input).focus()

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        key = self._highlighted()
        if key is not None:
            self._open_form(key.id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "setup-table":
            self.action_edit()

    def action_toggle_active(self) -> None:
        key = self._highlighted()
        if key is None:
            return
        try:
            with self.db.write() as session:
                keys.update_key(session, key.id, active=not key.active, by=self.staff_id)
        except ReceptionError as problem:
            self.query_one("#setup-list-error", Static).update(Text(str(problem)))
            return
        self.refresh_data()

    def action_closing_time(self) -> None:
        self.query_one("#setup-closing", Input).focus()

    def draft_values(self) -> dict[str, Any]:
        if not self.in_form:
            return self._parked
        values = super().draft_values()
        if any(str(value).strip() for value in values.values()):
            values["editing_id"] = self._editing_id
        return values

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "setup-closing":
            self._save_closing(event.value)
        elif event.input.id in self.DRAFT_FIELDS:
            self.action_save()

    def _save_closing(self, value: str) -> None:
        error = self.query_one("#setup-list-error", Static)
        try:
            with self.db.write() as session:
                saved = keys.set_closing_time(session, value, by=self.staff_id)
        except ReceptionError as problem:
            error.update(Text(str(problem)))
            return
        error.update("")
        self.notify(t("keys.closing_saved", time=saved), markup=False)
        self.query_one("#setup-table", DataTable).focus()
        self.refresh_data()
        self.app.update_status_line()

    def action_save(self) -> None:
        if not self.in_form:
            return
        limit_text = self.query_one("#setup-limit", Input).value.strip()
        values = dict(
            name=self.query_one("#setup-name", Input).value,
            roles=list(self.query_one("#setup-roles", SelectionList).selected),
            limit_minutes=int(limit_text) if limit_text else 0,
            needs_manager_approval=self.query_one("#setup-approval", Checkbox).value,
        )
        try:
            with self.db.write() as session:
                if self._editing_id is None:
                    keys.add_key(session, by=self.staff_id, **values)
                else:
                    keys.update_key(session, self._editing_id, by=self.staff_id, **values)
        except ReceptionError as problem:
            self.query_one("#setup-error", Static).update(Text(str(problem)))
            return
        self.discard_draft()
        self._parked = {}
        self.notify(t("staff.saved"), markup=False)
        self._leave_form()
        self.refresh_data()

    def _leave_form(self) -> None:
        self.query_one("#setup-views", ContentSwitcher).current = "setup-list"
        self.refresh_bindings()
        self.query_one("#setup-table", DataTable).focus()

    def action_back(self) -> None:
        if self.in_form:
            self.save_draft_now()
            self._parked = self.draft_values()
            self._leave_form()
        else:
            super().action_back()
