"""The F2 board: everyone in the building, and the single keys that start each path.

``a`` first visit (the register form), ``b`` booked (find the appointment → the form,
filled in), ``c`` returning (find the customer), ``v`` visitor (what kind → the form);
each path ends on the consultant step, and its screens return, one into the other, to
here with the visit selected. ``n``/``p`` move a visit on or back, ``o`` ends it (the
outcome form), ``e`` fixes it, ``y``/``x`` a visitor is received / turned away, ``r``
the register book. A form left half-filled is said to be waiting: Ctrl+R opens it,
Ctrl+D drops it.
"""

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from reception import days, drafts, keys, phones, triage, triage_forms
from reception.clock import clock
from reception.errors import ReceptionError
from reception.i18n import t
from screens.base import AreaScreen
from screens.form import FormScreen
from screens.triage.common import NAME_CELLS, shown
from screens.triage.consultant import ConsultantScreen, Jump, Triaged, WalkIn
from screens.triage.search import SearchScreen
from screens.triage.visit_forms import OutcomeForm, fix_form, open_visit
from screens.triage.visitor import VisitorForm, kind_chooser
from screens.triage.walkin import CustomerForm
from screens.widgets.fields import RoutedDataTable

#: Draft keys of this area's forms (``.record`` appended for a booked walk-in and a visit).
DRAFT_FORMS = ("customer", "visitor", "outcome", "fix")


class TriageScreen(AreaScreen):
    TITLE_KEY = "screen.triage"
    BINDINGS = [
        Binding("a", "start('A')", "triage.key.first", id="triage.first"),
        Binding("b", "start('B')", "triage.key.booked", id="triage.booked"),
        Binding("c", "start('C')", "triage.key.returning", id="triage.returning"),
        Binding("v", "start('visitor')", "triage.key.visitor", id="triage.visitor"),
        Binding("n,space", "move_on", "triage.key.next", id="triage.next"),
        Binding("p", "move_back", "triage.key.back_status", id="triage.back_status",
                show=False),
        Binding("o", "outcome", "triage.key.outcome", id="triage.outcome"),
        Binding("e", "fix", "triage.key.fix", id="triage.fix", show=False),
        Binding("r", "register", "triage.key.register", id="triage.register"),
        Binding("y", "decide('received')", "triage.key.received", id="triage.received",
                show=False),
        Binding("x", "decide('declined')", "triage.key.declined", id="triage.declined",
                show=False),
        Binding("ctrl+r", "restore_draft", "draft.restore", id="triage.restore_draft",
                show=False),
        Binding("ctrl+d", "discard_draft", "draft.discard", id="triage.discard_draft",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, triage.BoardRow] = {}
        self.pending_draft: str | None = None
        self.offered_draft: str | None = None
        self.pending_record: tuple[str, int] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(Text(t("triage.questions")), id="questions", classes="hint")
        yield Static(Text(t("triage.path_keys"), style="bold"), id="path-keys")
        yield RoutedDataTable(id="board", cursor_type="row", zebra_stripes=True)
        yield Static(Text(t("triage.board_keys")), id="board-keys", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#board", DataTable).add_columns(
            t("triage.col.name"), t("triage.col.phone"), t("triage.col.path"),
            t("triage.col.status"), t("triage.col.with"), t("triage.col.for"))
        self.set_interval(30, self.reload)
        self.call_after_refresh(self.open_pending_or_offer_drafts)

    def open_pending_or_offer_drafts(self) -> None:
        if self.pending_record is not None:
            record_type, record_id = self.pending_record
            self.pending_record = None
            self.show_record(record_type, record_id)
        else:
            self.offer_drafts()

    def on_screen_resume(self) -> None:  # (AreaScreen's, run after this one, reloads)
        self.query_one("#board", DataTable).focus()
        self.offer_drafts()

    # --- the board ------------------------------------------------------------------------

    def refresh_data(self) -> None:
        with self.db.read() as session:
            rows = triage.board(session)
        table = self.query_one("#board", DataTable)
        selected = self.selected_key()
        row_before = table.cursor_row
        table.clear()
        self.rows = {}
        for row in rows:
            style = "bold red" if row.alert else ""
            if row.record_type == "visit":
                path = t(f"triage.short.{row.path}")
                status = t(f"status.{row.status}")
            else:
                path = t("triage.short.visitor")
                status = t(f"triage.visitor_status.{row.status.split(':')[1]}")
            minutes = keys.format_duration(row.minutes(clock.now_utc()))  # as the dashboard
            if row.alert:
                minutes = f"!{minutes} {t('triage.alert_mark')}"
            key = f"{row.record_type}:{row.record_id}"
            self.rows[key] = row
            table.add_row(
                shown(row.name, NAME_CELLS, style), Text(phones.mask(row.phone), style=style),
                Text(path, style=style), Text(status, style=style),
                shown(row.with_whom, 8, style), Text(minutes, style=style), key=key)
        if selected is not None and not self.select_row(selected) and table.row_count:
            # The row left the board (the visit ended): the one that took its place, not
            # the top of the list, so the next key acts near where the eye is.
            table.move_cursor(row=min(row_before, table.row_count - 1))

    def selected_key(self) -> str | None:
        table = self.query_one("#board", DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # noqa: BLE001 — the cursor may sit past the rows just cleared
            return None

    def select_row(self, key: str) -> bool:
        table = self.query_one("#board", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(key))
        except Exception:  # noqa: BLE001 — the row is no longer on the board
            return False
        return True

    def selected(self) -> tuple[str, int] | None:
        key = self.selected_key()
        if key is None:
            return None
        record_type, record_id = key.split(":")
        return record_type, int(record_id)

    def selected_visit(self) -> int | None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "visit":
            self.notify(t("triage.select_visit"), severity="warning")
            return None
        return chosen[1]

    def back_to_board(self, select: str | None = None) -> None:
        self.reload()
        if select:
            self.select_row(select)
        self.query_one("#board", DataTable).focus()

    # --- the paths ----------------------------------------------------------------------------

    def action_start(self, path: str) -> None:
        try:
            with self.db.read() as session:
                # A signed-off day takes no walk-ins: said now, not after the form.
                days.ensure_open(session, clock.today())
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        if path == "A":
            self.app.push_screen(CustomerForm("A"), self.walk_in_done)
        elif path == "B":
            self.app.push_screen(SearchScreen("B", lambda found: CustomerForm(
                appointment=found)), self.walk_in_done)
        elif path == "C":
            self.app.push_screen(SearchScreen("C", lambda found: ConsultantScreen(
                WalkIn("C", customer_id=found.id))), self.walk_in_done)
        elif FormScreen.kept_draft(self.app, VisitorForm.FORM):
            self.app.push_screen(VisitorForm(), self.visitor_done)  # its draft, its kind
        else:
            self.app.push_screen(kind_chooser(VisitorForm), self.visitor_done)

    def walk_in_done(self, result: Any) -> None:
        if isinstance(result, Triaged):
            self.notify(result.message)
            self.back_to_board(f"visit:{result.visit_id}")
        elif isinstance(result, Jump):
            self.notify(t("triage.already_here_jumped", name=result.name), severity="warning")
            self.back_to_board(f"visit:{result.visit_id}")
        else:
            self.back_to_board()

    def visitor_done(self, visitor_id: int | None) -> None:
        self.back_to_board(f"visitor:{visitor_id}" if visitor_id else None)

    # --- moving a visit on ----------------------------------------------------------------------

    def action_move_on(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.notify(t("triage.select_visit"), severity="warning")
            return
        record_type, record_id = chosen
        row = self.rows.get(f"{record_type}:{record_id}")
        if record_type == "visit" and row is not None and row.status == "in_treatment":
            self.action_outcome()  # the next status is "left": that needs the outcome
            return
        by = self.staff_id

        def work(session) -> str:
            if record_type == "visitor":
                return t("triage.visitor_gone",
                         name=triage.visitor_left(session, record_id, by=by).name)
            moved = triage.move_status(session, record_id, by=by)
            return t("triage.moved", name=triage.visit_detail(session, record_id).customer.name,
                     status=t(f"status.{moved.status}"))

        self.write(work, f"{record_type}:{record_id}")

    def action_move_back(self) -> None:
        visit_id = self.selected_visit()
        if visit_id is None:
            return
        by = self.staff_id

        def work(session) -> None:
            triage.move_status(session, visit_id, back=True, by=by)

        self.write(work, f"visit:{visit_id}")

    def action_decide(self, decision: str) -> None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "visitor":
            self.notify(t("triage.select_visit"), severity="warning")
            return
        by = self.staff_id

        def work(session) -> str:
            visitor = triage.decide_visitor(session, chosen[1], decision, by=by)
            if decision == "declined":
                return t("triage.visitor_declined_script")
            return t("triage.visitor_received", host=visitor.host, name=visitor.name) \
                if visitor.host else t("triage.visitor_received_no_host", name=visitor.name)

        # The words to say to the visitor stay a while.
        self.write(work, f"visitor:{chosen[1]}", timeout=10 if decision == "declined" else 5)

    def write(self, work, select: str, timeout: float = 5) -> None:
        """Run ``work`` on the store; its message said and the row selected when done."""
        def done(message: str | None) -> None:
            if message:
                self.notify(message, timeout=timeout)
            self.back_to_board(select)

        self.app.store.write(work, done=done)

    # --- outcome, fix, the night check's jump -------------------------------------------------

    def action_outcome(self) -> None:
        visit_id = self.selected_visit()
        if visit_id is not None:
            self.open_outcome(visit_id)

    def open_outcome(self, visit_id: int) -> None:
        detail = open_visit(self.app, visit_id)
        if detail is not None:
            self.app.push_screen(OutcomeForm(detail), lambda result: self.back_to_board())

    def action_fix(self) -> None:
        visit_id = self.selected_visit()
        if visit_id is not None:
            self.open_fix(visit_id)

    def open_fix(self, visit_id: int) -> None:
        form = fix_form(self.app, visit_id)
        if form is not None:
            self.app.push_screen(form, lambda result: self.fix_done(visit_id))

    def fix_done(self, visit_id: int) -> None:
        self.back_to_board(f"visit:{visit_id}")
        self.return_to_caller()  # opened from the night check: back to its list

    def show_record(self, record_type: str, record_id: int) -> None:
        """Open a record to fix it (the night check F6 jumps here with a finding)."""
        if not self.is_mounted:
            self.pending_record = (record_type, record_id)
            return
        if record_type == "visit":
            self.open_fix(record_id)
        elif record_type in ("customer", "case_number"):
            with self.db.read() as session:
                latest = triage.latest_visit_of(session, record_id)
            if latest is None:
                self.notify(t("triage.visit_not_found"), severity="warning")
            else:
                self.open_fix(latest.id)
        elif record_type == "visitor":
            self.select_row(f"visitor:{record_id}")
        elif record_type == "appointment":
            self.open_appointment(record_id)
        else:
            self.notify(t("triage.visit_not_found"), severity="warning")

    def open_appointment(self, appointment_id: int) -> None:
        with self.db.read() as session:
            appointment = triage_forms.appointment_today(session, appointment_id)
        if appointment is None:
            self.notify(t("appointment.not_found"), severity="warning")
            return
        self.app.push_screen(CustomerForm(appointment=appointment), self.walk_in_done)

    def action_register(self) -> None:
        from screens.triage.register import RegisterScreen

        self.app.push_screen(RegisterScreen())

    # --- a form left half-filled ----------------------------------------------------------------

    def waiting_draft(self) -> str | None:
        """This area's most recently kept draft (its key), if any."""
        try:
            with self.db.read() as session:
                found = drafts.latest(session, "triage.", owner_id=self.staff_id)
        except ReceptionError:
            return None
        if found is None or found[0].split(".")[1] not in DRAFT_FORMS:
            return None
        return found[0]

    def offer_drafts(self) -> None:
        self.pending_draft = self.waiting_draft()
        # Said once per kept draft, not on every return to the board.
        if self.pending_draft and self.pending_draft != self.offered_draft:
            self.offered_draft = self.pending_draft
            form = self.pending_draft.split(".")[1]
            self.notify(t("triage.draft_offer", form=t(f"triage.draft.{form}")), timeout=10)

    def action_restore_draft(self) -> None:
        key = self.pending_draft = self.waiting_draft()
        if key is None:
            self.notify(t("triage.no_draft"))
            return
        _area, form, *record = key.split(".")
        record_id = int(record[0]) if record and record[0].isdigit() else None
        if form == "customer" and record_id is None:
            self.app.push_screen(CustomerForm("A"), self.walk_in_done)
        elif form == "customer":
            self.open_appointment(record_id)
        elif form == "visitor":
            self.app.push_screen(VisitorForm(), self.visitor_done)
        elif form == "outcome" and record_id is not None:
            self.open_outcome(record_id)
        elif form == "fix" and record_id is not None:
            self.open_fix(record_id)

    def action_discard_draft(self) -> None:
        key = self.pending_draft = self.waiting_draft()
        if key is None:
            self.notify(t("triage.no_draft"))
            return
        self.app.store.forget_draft(key, owner_id=self.staff_id)
        self.pending_draft = None
        self.notify(t("triage.draft_discarded"))
