"""F2 walk-in triage: the screen the receptionist lives in (seed 002, D1–D3).

The board (everyone in the building) is home. From it single keys start the four paths —
``a`` first visit, ``b`` booked, ``c`` returning, ``v`` visitor — and move a visit on
(``n``), end it (``o``) or fix it (``e``). Each path is a short run of steps in one
``ContentSwitcher``: search → form → choose the consultant → back to the board. Escape
steps back and keeps what was typed as a draft (``DraftForm``).

Keystrokes, F2 counted: returning customer by the last four phone digits and sent to their
consultant: ``F2 c 5 6 7 8 Enter Enter`` (8). Booked appointment marked arrived and triaged:
``F2 b 1 Enter Enter Enter`` (6).
"""

from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Input,
    Label,
    OptionList,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from models import Customer, Visit, VisitPath, VisitStatus
from reception import appointments, customers, days, drafts, keys, phones, triage
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from reception.text import printable
from screens.base import AreaScreen, DraftForm
from screens.widgets.results import ResultList

NAME_CELLS = 16
SEARCH_DEBOUNCE = 0.15
# As many as the list shows at 80×24: building rows no one can see costs a frame.
RESULTS_SHOWN = 16
# Name columns, in terminal cells (a Chinese character takes two).
RESULT_NAME_CELLS = 16
CONSULTANT_CELLS = 10


def shown(value: str | None, width: int | None = None, style: str = "", *,
          pad: bool = False) -> Text:
    """Customer text as plain text: never markup, control characters made visible.

    ``width`` cuts it to that many cells; ``pad`` fills it out to them, so that columns
    after it line up whatever the mix of double-width (CJK) and single-width characters.
    """
    text = Text(printable(value), style=style, no_wrap=width is not None)
    if width is not None:
        text.truncate(width, overflow="ellipsis", pad=pad)
    return text


def minutes_since(since) -> int:
    return max(int((clock.now_utc() - since).total_seconds() // 60), 0)


@dataclass
class FormSpec:
    """A form of this screen: its draft name, its fields, and domain field → input id."""

    draft: str
    pane: str
    fields: tuple[str, ...]
    errors: dict[str, str] = field(default_factory=dict)


FORMS = {
    "customer": FormSpec("triage.customer", "customer-pane",
                         ("cust_name", "cust_phone", "cust_gender", "cust_interest",
                          "cust_source"),
                         {"name": "cust_name", "phone": "cust_phone"}),
    "visitor": FormSpec("triage.visitor", "visitor-pane",
                        ("vis_name", "vis_phone", "vis_host", "vis_appt", "vis_reason"),
                        {"visitor_name": "vis_name", "phone": "vis_phone",
                         "visitor_host": "vis_host", "appt": "vis_appt"}),
    "outcome": FormSpec("triage.outcome", "outcome-pane",
                        ("out_choice", "out_items", "out_amount", "out_departed"),
                        {"outcome": "out_choice", "items": "out_items",
                         "amount": "out_amount", "departed": "out_departed"}),
    "fix": FormSpec("triage.fix", "fix-pane",
                    ("fix_name", "fix_phone", "fix_consultant", "fix_outcome", "fix_items",
                     "fix_amount", "fix_departed"),
                    {"name": "fix_name", "phone": "fix_phone", "consultant": "fix_consultant",
                     "outcome": "fix_outcome", "items": "fix_items", "amount": "fix_amount",
                     "departed": "fix_departed"}),
}
FORM_OF_DRAFT = {spec.draft: name for name, spec in FORMS.items()}
#: Steps where no Input has focus, so single plain keys choose.
KEY_STEPS = {"board", "confirm", "visitor-kind"}
VISITOR_KIND_KEYS = dict(enumerate(triage.VISITOR_KINDS, start=1))


class TriageScreen(DraftForm, AreaScreen):
    CSS_PATH = "triage.tcss"
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
        Binding("1", "choose(1)", "triage.key.c1", id="triage.choose1", show=False),
        Binding("2", "choose(2)", "triage.key.c2", id="triage.choose2", show=False),
        Binding("3", "choose(3)", "3", id="triage.choose3", show=False),
        Binding("4", "choose(4)", "4", id="triage.choose4", show=False),
        Binding("down", "result_step(1)", show=False),
        Binding("up", "result_step(-1)", show=False),
        Binding("ctrl+r", "restore_draft", "draft.restore", id="triage.restore_draft",
                show=False),
        Binding("ctrl+s", "save_form", "triage.key.save", id="triage.save", show=False),
        # Before the Inputs' own Ctrl+D (delete right): in a form it clears the form.
        Binding("ctrl+d", "discard_pending_draft", "draft.discard",
                id="triage.discard_draft", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.step = "board"
        self.form: str | None = None
        self.DRAFT_FORM = ""
        self.DRAFT_FIELDS = ()
        self.search_mode = "C"  # "B" appointments, "C" customers
        self.results: list[Any] = []
        # The visit being made: path, customer/appointment found, form values.
        self.pending: dict[str, Any] = {}
        self.visitor_kind = "boss"
        self.visit_id: int | None = None  # outcome / fix
        self.fix_consultant_ids: list[int] = []
        self.pending_draft: str | None = None
        self._offered_draft: str | None = None
        self._opened_with: dict[str, Any] = {}
        self.pending_record: tuple[str, int] | None = None
        self._search_timer = None

    # --- layout ------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial="board-pane", id="steps"):
            with Vertical(id="board-pane"):
                yield Static(Text(t("triage.questions")), id="questions", classes="hint")
                yield Static(Text(t("triage.path_keys"), style="bold"), id="path-keys")
                yield DataTable(id="board", cursor_type="row", zebra_stripes=True)
                yield Static(Text(t("triage.board_keys")), id="board-keys", classes="hint")
            with Vertical(id="search-pane"):
                yield Static(id="search-title")
                yield Input(id="search")
                yield Static(Text(t("triage.search_hint")), classes="hint")
                yield ResultList(id="results")
            with VerticalScroll(id="customer-pane"):
                yield Static(Text(t("triage.form_title"), style="bold"), id="customer-title")
                yield Static(id="appointment-line")
                yield from self._row("cust_name", "triage.field.name")
                yield from self._row("cust_phone", "triage.field.phone")
                yield Static(id="cust_phone-note", classes="note")
                with Horizontal(classes="form-row"):
                    yield Label(t("triage.field.gender"))
                    yield Select([(t(f"triage.gender.{code}"), code) for code in "fmx"],
                                 id="cust_gender", compact=True,
                                 prompt=t("triage.gender_prompt"))
                yield from self._row("cust_interest", "triage.field.interest")
                yield from self._row(
                    "cust_source", "triage.field.source",
                    suggester=SuggestFromList(
                        [t(f"triage.source.{key}") for key in
                         ("friend", "online", "ad", "passing", "returning")],
                        case_sensitive=False))
                yield Static(Text(t("triage.form_hint")), classes="hint")
            with Vertical(id="confirm-pane"):
                yield Static(Text(t("triage.confirm_title"), style="bold"))
                yield Static(id="confirm-summary")
                yield Static(id="confirm-hint", classes="hint")
                yield OptionList(id="consultants")
            with Vertical(id="visitor-kind-pane"):
                yield Static(Text(t("triage.path.visitor"), style="bold"))
                yield Static(Text(t("triage.visitor_script")), classes="hint")
                yield Static(Text(t("triage.visitor_kinds"), style="bold"), id="visitor-kinds")
            with VerticalScroll(id="visitor-pane"):
                yield Static(id="visitor-title")
                yield Static(Text(t("triage.visitor_script")), classes="hint")
                yield from self._row("vis_name", "triage.field.visitor_name")
                yield from self._row("vis_phone", "triage.field.visitor_phone")
                yield from self._row("vis_host", "triage.field.visitor_host")
                yield from self._row("vis_appt", "triage.field.visitor_appt")
                yield from self._row("vis_reason", "triage.field.visitor_reason")
                yield Static(Text(t("triage.visitor_hint")), classes="hint")
            with VerticalScroll(id="outcome-pane"):
                yield Static(Text(t("triage.outcome_title"), style="bold"))
                yield Static(id="outcome-summary")
                yield from self._row("out_choice", "triage.field.outcome")
                yield from self._row("out_items", "triage.field.items")
                yield from self._row("out_amount", "triage.field.amount")
                yield from self._row("out_departed", "triage.field.departed")
                yield Static(Text(t("triage.outcome_hint")), classes="hint")
            with VerticalScroll(id="fix-pane"):
                yield Static(id="fix-title")
                yield Static(id="fix-summary")
                yield from self._row("fix_name", "triage.field.name")
                yield from self._row("fix_phone", "triage.field.phone")
                yield Static(id="fix-consultants", classes="hint")
                yield from self._row("fix_consultant", "triage.field.consultant")
                yield from self._row("fix_outcome", "triage.fix_outcome_field")
                yield from self._row("fix_items", "triage.field.items")
                yield from self._row("fix_amount", "triage.field.amount")
                yield from self._row("fix_departed", "triage.field.departed")
                yield Static(Text(t("triage.fix_hint")), classes="hint")

    @staticmethod
    def _row(input_id: str, label_key: str, **input_args) -> ComposeResult:
        with Horizontal(classes="form-row"):
            yield Label(t(label_key))
            yield Input(id=input_id, compact=True, **input_args)
        error = Static(id=f"{input_id}-error", classes="error")
        error.display = False
        yield error

    def on_mount(self) -> None:
        self.query_one("#board", DataTable).add_columns(
            t("triage.col.name"), t("triage.col.phone"), t("triage.col.path"),
            t("triage.col.status"), t("triage.col.with"), t("triage.col.for"))
        self.set_interval(30, self.refresh_board)
        self.call_after_refresh(self._after_mount)

    def _after_mount(self) -> None:
        if self.pending_record is not None:
            record_type, record_id = self.pending_record
            self.pending_record = None
            self.show_record(record_type, record_id)
        else:
            self.offer_drafts()

    def on_screen_resume(self) -> None:
        if self.step == "board":
            self.query_one("#board", DataTable).focus()
            self.offer_drafts()

    # --- live data ----------------------------------------------------------------------

    def refresh_data(self) -> None:
        self.refresh_board()

    def refresh_board(self) -> None:
        with self.db.read() as session:
            rows = triage.board(session)
        table = self.query_one("#board", DataTable)
        selected = self.selected_key()
        row_before = table.cursor_row
        table.clear()
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
            table.add_row(
                shown(row.name, NAME_CELLS, style), Text(phones.mask(row.phone), style=style),
                Text(path, style=style), Text(status, style=style),
                shown(row.with_whom, 8, style), Text(minutes, style=style),
                key=f"{row.record_type}:{row.record_id}")
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

    # --- steps --------------------------------------------------------------------------

    def go(self, step: str, focus: str | None = None) -> None:
        self.step = step
        pane = FORMS[step].pane if step in FORMS else f"{step}-pane"
        self.query_one("#steps", ContentSwitcher).current = pane
        if step in FORMS:
            self.form = step
            self.DRAFT_FORM = FORMS[step].draft
            self.DRAFT_FIELDS = FORMS[step].fields
        elif step != "confirm":
            self.form = None
            self.DRAFT_FORM, self.DRAFT_FIELDS = "", ()
        if focus:
            self.query_one(f"#{focus}").focus()
        self.refresh_bindings()

    def to_board(self, select: str | None = None) -> None:
        self.form = None
        self.DRAFT_FORM, self.DRAFT_FIELDS = "", ()
        self.pending = {}
        self.go("board", "board")
        self.refresh_board()
        if select:
            self.select_row(select)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "discard_pending_draft":
            return self.step == "board" or self.form is not None
        if action == "save_form":
            return self.form is not None and self.step == self.form
        if action in ("start", "move_on", "move_back", "outcome", "fix", "register", "decide",
                      "restore_draft"):
            return self.step == "board"
        if action == "choose":
            if self.step == "confirm":
                return self.pending.get("path") == "C" and parameters[0] in (1, 2)
            return self.step == "visitor-kind"
        if action == "result_step":
            return self.step == "search"
        return True

    def action_back(self) -> None:
        if self.step == "board":
            super().action_back()
            return
        if self.form is not None and self.step in FORMS:
            self.save_draft_now()
            if self.draft_values():
                self.notify(t("draft.kept"))
        if self.step == "confirm" and self.pending.get("path") == "C":
            self.go("search", "search")
        elif self.step == "confirm":
            self.go("customer", "cust_name")
        else:
            leaving_fix = self.step == "fix"
            self.to_board()
            if leaving_fix:
                self.return_to_caller()  # opened from the night check: back to it

    # --- drafts -------------------------------------------------------------------------

    def save_draft_now(self) -> None:
        # Only a form on screen has a draft; the board has nothing to keep.
        if self.form is None:
            if self._draft_timer is not None:
                self._draft_timer.stop()
                self._draft_timer = None
            return
        super().save_draft_now()

    def draft_values(self) -> dict[str, Any]:
        values = super().draft_values()
        if values == self._opened_with:
            return {}  # nothing typed since the form opened: nothing to keep
        if any(str(value).strip() for value in values.values() if value is not None):
            values["_context"] = self.draft_context()
        return values


    def apply_draft(self, values: dict[str, Any]) -> None:
        # Filling a form is not typing: it neither saves a draft (which would overwrite a
        # kept one with what the form opened with) nor clears an error.
        with self.prevent(Input.Changed, Select.Changed):
            super().apply_draft(values)

    def draft_context(self) -> dict[str, Any]:
        if self.form == "customer":
            return {"path": self.pending.get("path", "A"),
                    "appointment_id": self.pending.get("appointment_id")}
        if self.form == "visitor":
            return {"kind": self.visitor_kind}
        return {"visit_id": self.visit_id}

    def waiting_draft(self) -> str | None:
        """This screen's most recently kept draft (its draft name), if any."""
        with self.db.read() as session:
            found = drafts.latest(session, "triage.", owner_id=self.staff_id)
        return found[0] if found and found[0] in FORM_OF_DRAFT else None

    def offer_drafts(self) -> None:
        self.pending_draft = self.waiting_draft()
        # Said once per kept draft, not on every return to the board.
        if self.pending_draft and self.pending_draft != self._offered_draft:
            self._offered_draft = self.pending_draft
            self.notify(t("triage.draft_offer",
                          form=t(f"triage.draft.{FORM_OF_DRAFT[self.pending_draft]}")),
                        timeout=10)

    def action_restore_draft(self) -> None:
        self.pending_draft = self.waiting_draft()
        if self.pending_draft is not None:
            self.restore(FORM_OF_DRAFT[self.pending_draft])

    def action_discard_pending_draft(self) -> None:
        if self.form is not None:
            # In a form: back to what it opened with (the restored or typed text dropped).
            self.discard_draft()
            self.apply_draft(self._opened_with)
            for field_id in self.DRAFT_FIELDS:
                self.show_error(field_id, None)
            self.notify(t("triage.form_cleared"))
            return
        self.pending_draft = self.waiting_draft()
        if self.pending_draft is None:
            self.notify(t("triage.no_draft"))
            return
        with self.db.write() as session:
            drafts.discard(session, self.pending_draft, owner_id=self.staff_id)
        self.pending_draft = None
        self.notify(t("triage.draft_discarded"))

    def draft_of(self, form: str) -> dict[str, Any] | None:
        with self.db.read() as session:
            return drafts.load(session, FORMS[form].draft, owner_id=self.staff_id)

    def restore(self, form: str) -> bool:
        """Open ``form`` with its draft; False when there is none (or it no longer fits)."""
        values = self.draft_of(form)
        if not values:
            return False
        context = values.pop("_context", {}) or {}
        if form == "customer":
            self.pending = {"path": context.get("path", "A"),
                            "appointment_id": context.get("appointment_id")}
            self.open_customer_form(values=values)
        elif form == "visitor":
            self.open_visitor_form(context.get("kind", "other"), values=values)
        elif form in ("outcome", "fix") and context.get("visit_id"):
            opener = self.open_outcome_form if form == "outcome" else self.open_fix_form
            if not opener(int(context["visit_id"]), values=values):
                return False
        else:
            return False
        self.pending_draft = None
        self.notify(t("triage.draft_restored"))
        return True

    # --- starting a path ------------------------------------------------------------------

    def action_start(self, path: str) -> None:
        with self.db.read() as session:
            try:
                # A signed-off day takes no walk-ins: said now, not after the form.
                days.ensure_open(session, clock.today())
            except ReceptionError as error:
                self.notify(str(error), severity="error")
                return
        if path == "A":
            self.pending = {"path": "A"}
            if not self.restore("customer"):
                self.open_customer_form()
        elif path in ("B", "C"):
            self.pending = {"path": path}
            self.search_mode = path
            title = "triage.search_appointment" if path == "B" else "triage.search_customer"
            self.query_one("#search-title", Static).update(Text(t(title), style="bold"))
            search = self.query_one("#search", Input)
            search.value = ""
            self.results = []
            self.query_one("#results", ResultList).clear()
            self.go("search", "search")
        elif path == "visitor":
            if not self.restore("visitor"):
                self.go("visitor-kind")
                self.query_one("#visitor-kinds").focus()

    def action_choose(self, number: int) -> None:
        if self.step == "visitor-kind":
            if number in VISITOR_KIND_KEYS:
                self.open_visitor_form(VISITOR_KIND_KEYS[number])
        elif self.step == "confirm":
            self.confirm(VisitPath.DOCTOR_FIRST if number == 1 else VisitPath.TREATMENT)

    # --- search (B: appointments, C: customers) -------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            if self._search_timer is not None:
                self._search_timer.stop()
            self._search_timer = self.set_timer(SEARCH_DEBOUNCE, self.run_search)
        elif event.input.id == "cust_phone":
            self.check_phone_on_file(event.value)
        if self.form is not None and event.input.id in FORMS[self.form].fields:
            self.show_error(event.input.id, None)

    def run_search(self) -> None:
        self._search_timer = None
        query = self.query_one("#search", Input).value
        with self.db.read() as session:
            if self.search_mode == "B":
                self.results = appointments.find_for_day(session, clock.today(), query)
            else:
                self.results = customers.search(session, query, limit=RESULTS_SHOWN)
                booked = appointments.find_by_number(session, query) if "-" in query else None
                if booked is not None and booked.customer_id is not None:
                    # An appointment number also finds the returning customer who booked.
                    found = session.get(Customer, booked.customer_id)
                    self.results = [found] + [c for c in self.results if c.id != found.id]
        if self.search_mode == "B":
            rows = [self.appointment_label(found) for found in self.results]
            empty = "triage.no_appointment_match"
        else:
            rows = [self.customer_label(found) for found in self.results]
            empty = "triage.no_match"
        self.query_one("#results", ResultList).show(
            rows, note=t(empty) if query.strip() else None)

    @staticmethod
    def customer_label(customer: Customer) -> Text:
        label = shown(customer.name, RESULT_NAME_CELLS, pad=True)
        label.append(f"  {phones.mask(customer.phone)}")
        if customer.case_number:
            label.append(f"  {customer.case_number}")
        return label

    @staticmethod
    def appointment_label(appointment) -> Text:
        label = Text(f"{appointment.number}  "
                     f"{clock.local(appointment.scheduled_at).format('HH:mm')}  ")
        label.append_text(shown(appointment.name, RESULT_NAME_CELLS, pad=True))
        label.append(f"  {phones.mask(appointment.phone)}  ")
        label.append_text(shown(appointment.purpose, 20))
        return label

    def action_result_step(self, delta: int) -> None:
        results = self.query_one("#results", ResultList)
        if results.highlighted is not None:
            results.highlighted += delta

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "search":
            if self._search_timer is not None:
                self._search_timer.stop()
                self.run_search()
            self.pick_result(self.query_one("#results", ResultList).highlighted)
        elif self.form == "customer":
            self.submit_customer()
        elif self.form in ("visitor", "outcome", "fix"):
            # Enter goes on to the next field and saves from the last (Ctrl+S from any).
            fields = [field_id for field_id in FORMS[self.form].fields
                      if self.query_one(f"#{field_id}").display]
            position = fields.index(event.input.id) if event.input.id in fields else -1
            no_deal = event.input.id == "out_choice" and event.value.strip() == "2"
            if 0 <= position < len(fields) - 1 and not no_deal:  # no deal: nothing more
                self.query_one(f"#{fields[position + 1]}", Input).focus()
            else:
                self.action_save_form()

    def action_save_form(self) -> None:
        submit = {"customer": self.submit_customer, "visitor": self.submit_visitor,
                  "outcome": self.submit_outcome, "fix": self.submit_fix}.get(self.form or "")
        if submit is not None:
            submit()

    def on_result_list_picked(self, event: ResultList.Picked) -> None:
        event.stop()
        self.pick_result(event.index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "consultants":
            self.confirm(VisitPath.DOCTOR_FIRST if self.pending.get("path") == "C" else None)

    def pick_result(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.results):
            self.app.bell()
            return
        found = self.results[index]
        if self.search_mode == "B":
            self.pending = {"path": "B", "appointment_id": found.id}
            self.open_customer_form(values={
                "cust_name": found.name, "cust_phone": found.phone,
                "cust_interest": found.purpose})
        else:
            self.pending = {"path": "C", "customer_id": found.id}
            self.open_confirm()

    # --- the customer form (A, B) -----------------------------------------------------------

    def open_customer_form(self, values: dict[str, Any] | None = None) -> None:
        for field_id in FORMS["customer"].fields:
            self.show_error(field_id, None)
        blank = {field_id: "" for field_id in FORMS["customer"].fields}
        blank["cust_gender"] = None
        self.query_one("#cust_gender", Select).clear()
        self._opened_with = blank
        self.apply_draft({**blank, **(values or {})})
        line = self.query_one("#appointment-line", Static)
        path = self.pending.get("path", "A")
        title = Text(f"{t('triage.form_title')} · {t(f'triage.path.{path}')}", style="bold")
        self.query_one("#customer-title", Static).update(title)
        line.update("")
        appointment_id = self.pending.get("appointment_id")
        if appointment_id:
            with self.db.read() as session:
                from models import Appointment

                appointment = session.get(Appointment, appointment_id)
            if appointment is not None:
                line.update(Text(t(
                    "triage.appointment_for", number=appointment.number,
                    time=clock.local(appointment.scheduled_at).format("HH:mm"),
                    purpose=appointment.purpose)))
        self.go("customer", "cust_name")
        self.check_phone_on_file(self.query_one("#cust_phone", Input).value)

    def check_phone_on_file(self, raw: str) -> None:
        note = self.query_one("#cust_phone-note", Static)
        note.update("")
        try:
            normalised = phones.normalise(raw)
        except ValidationError:
            return
        with self.db.read() as session:
            existing = customers.find_by_phone(session, normalised)
        if existing is not None:
            note.update(shown(t("triage.phone_on_file", name=existing.name)))

    def show_error(self, input_id: str, error: ReceptionError | str | None) -> None:
        matches = self.query(f"#{input_id}-error")
        if not matches:
            return
        widget = matches.first()
        widget.update(Text(str(error)) if error else "")
        widget.display = bool(error)

    def show_errors(self, form: str, errors: dict[str, ReceptionError]) -> None:
        spec = FORMS[form]
        first = None
        for domain_field, error in errors.items():
            input_id = spec.errors.get(domain_field)
            if input_id is None:
                self.notify(str(error), severity="error")
                continue
            self.show_error(input_id, error)
            first = first or input_id
        if first:
            self.query_one(f"#{first}").focus()

    def customer_values(self) -> dict[str, str]:
        gender = self.query_one("#cust_gender", Select)
        return {
            "name": self.query_one("#cust_name", Input).value,
            "phone": self.query_one("#cust_phone", Input).value,
            "gender": "" if gender.is_blank() else str(gender.value),
            "interest": self.query_one("#cust_interest", Input).value,
            "source": self.query_one("#cust_source", Input).value,
        }

    def submit_customer(self) -> None:
        values = self.customer_values()
        errors = triage.validate_customer_fields(name=values["name"], phone=values["phone"])
        for input_id in ("cust_name", "cust_phone"):
            self.show_error(input_id, None)
        if errors:
            self.show_errors("customer", errors)
            return
        self.pending["form"] = values
        self.open_confirm()

    # --- choosing the consultant ----------------------------------------------------------

    def open_confirm(self) -> None:
        with self.db.read() as session:
            day = clock.today()
            customer = appointment = None
            if self.pending.get("customer_id"):
                customer = session.get(Customer, self.pending["customer_id"])
            elif self.pending.get("form"):
                try:
                    normalised = phones.normalise(self.pending["form"]["phone"])
                except ValidationError:
                    normalised = ""
                customer = customers.find_by_phone(session, normalised) if normalised else None
            if self.pending.get("appointment_id"):
                from models import Appointment

                appointment = session.get(Appointment, self.pending["appointment_id"])
            proposed, reason = triage.proposed_consultant(session, day, customer=customer,
                                                          appointment=appointment)
            slots = triage.rotation(session, day)
            here = triage.open_visit_today(session, customer.id) if customer else None
            here_detail = triage.visit_detail(session, here.id) if here else None
        if here_detail is not None:
            self.show_already_here(here_detail)
            return
        self.pending.pop("existing_visit", None)
        summary = Text()
        path = self.pending.get("path", "A")
        if path == "C" and customer is not None:
            summary.append_text(shown(t("triage.customer_line", name=customer.name,
                                        phone=phones.mask(customer.phone),
                                        case=customer.case_number or t("triage.no_case"))))
        else:
            form = self.pending.get("form", {})
            summary.append(t(f"triage.path.{path}") + " · ", style="bold")
            summary.append_text(shown(form.get("name", ""), 40))
            summary.append(f" · {phones.mask(phones_or_raw(form.get('phone', '')))}")
        if not slots:
            summary.append("\n" + t("triage.no_consultant"), style="bold")
        self.query_one("#confirm-summary", Static).update(summary)
        self.query_one("#confirm-hint", Static).update(
            Text(t("triage.confirm_hint_c" if path == "C" else "triage.confirm_hint")))
        options: list[Option] = []
        self.pending["choices"] = []
        ordered = sorted(slots, key=lambda slot: slot.consultant.id != (proposed.id if proposed
                                                                         else None))
        status_cells = max(cell_len(t("triage.slot.busy")), cell_len(t("triage.slot.free")))
        for slot in ordered:
            label = shown(slot.consultant.name, CONSULTANT_CELLS, "bold", pad=True)
            label.append("  ")
            label.append_text(shown(t("triage.slot.busy" if slot.busy else "triage.slot.free"),
                                    status_cells, "red" if slot.busy else "green", pad=True))
            label.append("  " + t("triage.slot.counts", new=slot.new_today,
                                  total=slot.visits_today))
            if proposed is not None and slot.consultant.id == proposed.id:
                label.append(f"  ← {t('triage.slot.proposed')}: {t(f'triage.reason.{reason}')}",
                             style="italic")
            options.append(Option(label))
            self.pending["choices"].append(slot.consultant.id)
        options.append(Option(Text(t("triage.no_consultant_option"), style="dim")))
        self.pending["choices"].append(None)
        consultants_list = self.query_one("#consultants", OptionList)
        consultants_list.clear_options()
        consultants_list.add_options(options)
        consultants_list.highlighted = 0
        self.step = "confirm"
        self.query_one("#steps", ContentSwitcher).current = "confirm-pane"
        consultants_list.focus()
        self.refresh_bindings()

    def show_already_here(self, detail: triage.VisitDetail) -> None:
        """The customer is on the board already: say so, and offer the jump to that visit."""
        visit, customer = detail.visit, detail.customer
        self.pending["existing_visit"] = visit.id
        summary = shown(t("triage.customer_line", name=customer.name,
                          phone=phones.mask(customer.phone),
                          case=customer.case_number or t("triage.no_case")))
        summary.append("\n")
        summary.append_text(shown(t(
            "triage.already_here_detail", name=customer.name,
            status=t(f"status.{visit.status}"),
            consultant=detail.consultant.name if detail.consultant else t("triage.nobody"),
            time=clock.local(visit.arrived_at).format("HH:mm")), style="bold red"))
        self.query_one("#confirm-summary", Static).update(summary)
        self.query_one("#confirm-hint", Static).update(Text(t("triage.already_here_hint")))
        consultants_list = self.query_one("#consultants", OptionList)
        consultants_list.clear_options()
        consultants_list.add_options([Option(Text(t("triage.already_here_jump"),
                                                  style="bold"))])
        consultants_list.highlighted = 0
        self.pending["choices"] = [None]
        self.step = "confirm"
        self.query_one("#steps", ContentSwitcher).current = "confirm-pane"
        consultants_list.focus()
        self.refresh_bindings()

    def jump_to_visit(self, visit_id: int, name: str) -> None:
        """Back to the board with the customer's open visit selected (no second visit)."""
        if self.pending.get("path") != "C" and self.pending.get("form"):
            # Paths A/B: what was typed is not needed any more — the customer is here.
            self.form = "customer"
            self.DRAFT_FORM = FORMS["customer"].draft
            self.discard_draft()
        self.notify(t("triage.already_here_jumped", name=name), severity="warning")
        self.to_board(select=f"visit:{visit_id}")

    def chosen_consultant(self) -> int | None:
        index = self.query_one("#consultants", OptionList).highlighted or 0
        choices = self.pending.get("choices", [None])
        return choices[index] if index < len(choices) else None

    def confirm(self, c_path: VisitPath | None) -> None:
        if self.pending.get("existing_visit"):
            with self.db.read() as session:
                detail = triage.visit_detail(session, self.pending["existing_visit"])
            self.jump_to_visit(detail.visit.id, detail.customer.name)
            return
        consultant_id = self.chosen_consultant()
        try:
            with self.db.write() as session:
                if self.pending.get("path") == "C":
                    visit = triage.start_visit(
                        session, customer_id=self.pending["customer_id"], path=c_path,
                        consultant_id=consultant_id, use_rotation=False, by=self.staff_id)
                    customer = session.get(Customer, visit.customer_id)
                else:
                    form = self.pending["form"]
                    visit, customer, _created = triage.triage_new_customer(
                        session, name=form["name"], phone=form["phone"],
                        gender=form["gender"], interest=form["interest"],
                        source=form["source"], consultant_id=consultant_id,
                        use_rotation=consultant_id is not None,
                        appointment_id=self.pending.get("appointment_id"),
                        by=self.staff_id)
                consultant = triage.visit_detail(session, visit.id).consultant
        except triage.AlreadyHereError as error:
            # Triaged at another counter since this step opened: show that visit instead.
            self.jump_to_visit(error.visit_id, str(error.params.get("name", "")))
            return
        except ValidationError as error:
            # Validated before, so only a change by another counter gets here.
            self.notify(str(error), severity="error")
            if self.pending.get("path") != "C":
                self.go("customer")
                self.show_errors("customer", {error.field: error})
            return
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        if self.pending.get("path") != "C":
            self.form = "customer"
            self.DRAFT_FORM = FORMS["customer"].draft
            self.discard_draft()
        consultant_name = consultant.name if consultant else t("triage.nobody")
        if visit.path == VisitPath.TREATMENT and customer.case_number:
            message = t("triage.sent_c2", name=customer.name, consultant=consultant_name)
        elif visit.path == VisitPath.TREATMENT:
            message = t("triage.sent_c2_no_file", name=customer.name)
        else:
            message = t("triage.sent", name=customer.name, consultant=consultant_name,
                        status=t(f"status.{visit.status}"))
        self.notify(message)
        self.to_board(select=f"visit:{visit.id}")

    # --- visitors ---------------------------------------------------------------------------

    def open_visitor_form(self, kind: str, values: dict[str, Any] | None = None) -> None:
        self.visitor_kind = kind if kind in triage.VISITOR_KINDS else "other"
        for field_id in FORMS["visitor"].fields:
            self.show_error(field_id, None)
        self._opened_with = {field_id: "" for field_id in FORMS["visitor"].fields}
        self.apply_draft({**{field_id: "" for field_id in FORMS["visitor"].fields},
                          **(values or {})})
        self.query_one("#visitor-title", Static).update(Text(
            f"{t('triage.path.visitor')} · {t(f'triage.visitor.{self.visitor_kind}')}",
            style="bold"))
        with self.db.read() as session:
            from reception import staff as staff_service

            names = [member.name for member in staff_service.list_staff(session)]
        self.query_one("#vis_host", Input).suggester = SuggestFromList(names)
        self.go("visitor", "vis_name")

    def submit_visitor(self) -> None:
        value = {field_id: self.query_one(f"#{field_id}", Input).value
                 for field_id in FORMS["visitor"].fields}
        for field_id in FORMS["visitor"].fields:
            self.show_error(field_id, None)
        appt = value["vis_appt"].strip().lower()
        if appt not in ("", "y", "n", "是", "否", "有", "无", "yes", "no"):
            self.show_errors("visitor", {"appt": ValidationError("appt",
                                                                 "triage.yes_no_invalid")})
            return
        try:
            with self.db.write() as session:
                from reception import staff as staff_service

                host_id = next((member.id for member in staff_service.list_staff(session)
                                if member.name == value["vis_host"].strip()), None)
                visitor = triage.log_visitor(
                    session, kind=self.visitor_kind, name=value["vis_name"],
                    phone=value["vis_phone"], host=value["vis_host"], host_id=host_id,
                    has_appointment=appt in ("y", "是", "有", "yes"),
                    reason=value["vis_reason"], by=self.staff_id)
        except ValidationError as error:
            self.show_errors("visitor", {error.field: error})
            return
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        self.discard_draft()
        self.notify(t("triage.visitor_logged", name=visitor.name, host=visitor.host)
                    if visitor.host else t("triage.visitor_logged_no_host", name=visitor.name))
        self.to_board(select=f"visitor:{visitor.id}")

    def action_decide(self, decision: str) -> None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "visitor":
            self.notify(t("triage.select_visit"), severity="warning")
            return
        try:
            with self.db.write() as session:
                visitor = triage.decide_visitor(session, chosen[1], decision, by=self.staff_id)
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        if decision == "declined":
            self.notify(t("triage.visitor_declined_script"), timeout=10)
        else:
            self.notify(t("triage.visitor_received", host=visitor.host, name=visitor.name)
                        if visitor.host else t("triage.visitor_received_no_host",
                                               name=visitor.name))
        self.refresh_board()

    # --- moving a visit on ------------------------------------------------------------------

    def action_move_on(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.notify(t("triage.select_visit"), severity="warning")
            return
        record_type, record_id = chosen
        if record_type == "visit":
            with self.db.read() as session:
                visit = session.get(Visit, record_id)
            if visit is not None and visit.status == VisitStatus.IN_TREATMENT:
                # The next status is "left": that needs the outcome.
                self.action_outcome()
                return
        try:
            with self.db.write() as session:
                if record_type == "visitor":
                    visitor = triage.visitor_left(session, record_id, by=self.staff_id)
                    self.notify(t("triage.visitor_gone", name=visitor.name))
                else:
                    moved = triage.move_status(session, record_id, by=self.staff_id)
                    customer = session.get(Customer, moved.customer_id)
                    self.notify(t("triage.moved", name=customer.name,
                                  status=t(f"status.{moved.status}")))
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        self.refresh_board()
        self.select_row(f"{record_type}:{record_id}")

    def action_move_back(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "visit":
            self.notify(t("triage.select_visit"), severity="warning")
            return
        try:
            with self.db.write() as session:
                triage.move_status(session, chosen[1], back=True, by=self.staff_id)
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        self.refresh_board()
        self.select_row(f"visit:{chosen[1]}")

    # --- outcome and departure --------------------------------------------------------------

    def action_outcome(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "visit":
            self.notify(t("triage.select_visit"), severity="warning")
            return
        self.open_visit_form("outcome", chosen[1])

    def kept_for_visit(self, form: str, visit_id: int) -> dict[str, Any] | None:
        """The draft of ``form`` if it was begun for this visit."""
        values = self.draft_of(form)
        if values and (values.pop("_context", None) or {}).get("visit_id") == visit_id:
            return values
        return None

    def open_visit_form(self, form: str, visit_id: int) -> None:
        """The outcome or fix form of a visit, with the draft begun for that visit."""
        kept = self.kept_for_visit(form, visit_id)
        opener = self.open_outcome_form if form == "outcome" else self.open_fix_form
        if opener(visit_id, values=kept) and kept:
            self.notify(t("triage.draft_restored"))

    def open_outcome_form(self, visit_id: int, values: dict[str, Any] | None = None) -> bool:
        with self.db.read() as session:
            try:
                detail = triage.visit_detail(session, visit_id)
                days.ensure_open(session, detail.visit.day)
            except ReceptionError as error:
                self.notify(str(error), severity="error")
                return False
        self.visit_id = visit_id
        for field_id in FORMS["outcome"].fields:
            self.show_error(field_id, None)
        self._opened_with = {field_id: "" for field_id in FORMS["outcome"].fields}
        self.apply_draft({**{field_id: "" for field_id in FORMS["outcome"].fields},
                          **(values or {})})
        summary = shown(detail.customer.name, 40)
        summary.append(f" · {t(f'triage.path.{detail.visit.path}')} · ")
        summary.append_text(shown(detail.consultant.name if detail.consultant
                                  else t("triage.nobody")))
        summary.append(" · " + clock.local(detail.visit.arrived_at).format("HH:mm"))
        self.query_one("#outcome-summary", Static).update(summary)
        self.go("outcome", "out_choice")
        return True

    def submit_outcome(self) -> None:
        raw = {field_id: self.query_one(f"#{field_id}", Input).value
               for field_id in FORMS["outcome"].fields}
        for field_id in FORMS["outcome"].fields:
            self.show_error(field_id, None)
        outcome = {"1": "deal", "2": "no_deal"}.get(raw["out_choice"].strip())
        errors: dict[str, ReceptionError] = {}
        if outcome is None:
            errors["outcome"] = ValidationError("outcome", "triage.outcome_invalid")
        if outcome == "deal" and not raw["out_items"].strip():
            errors["items"] = ValidationError("items", "field.required")
        try:
            amount = triage.parse_amount(raw["out_amount"])
        except ValidationError as error:
            errors["amount"] = error
        with self.db.read() as session:
            visit = session.get(Visit, self.visit_id)
        if visit is None:
            self.notify(t("triage.visit_not_found"), severity="error")
            self.to_board()
            return
        try:
            departed = triage.parse_departure(raw["out_departed"], visit)
        except ValidationError as error:
            errors["departed"] = error
        if errors:
            self.show_errors("outcome", errors)
            return
        try:
            with self.db.write() as session:
                before = session.get(Customer, visit.customer_id).case_number
                done = triage.record_outcome(session, self.visit_id, outcome=outcome,
                                             items=raw["out_items"], amount_cents=amount,
                                             departed_at=departed, by=self.staff_id)
                customer = session.get(Customer, done.customer_id)
                # Said only when this deal gave the case number (a first deal).
                had_case = customer.case_number if customer.case_number != before else None
        except ValidationError as error:
            self.show_errors("outcome", {error.field: error})
            return
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        self.discard_draft()
        self.notify(t("triage.outcome_saved", name=customer.name,
                      outcome=t(f"triage.outcome.{outcome}")) + " · " + t("triage.goodbye"))
        if outcome == "deal" and had_case:
            self.notify(t("triage.case_number_given", name=customer.name, case=had_case),
                        timeout=15)
        self.visit_id = None
        self.to_board()

    # --- fixing a record (and the night check's jump) -------------------------------------

    def action_fix(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[0] != "visit":
            self.notify(t("triage.select_visit"), severity="warning")
            return
        self.open_visit_form("fix", chosen[1])

    def show_record(self, record_type: str, record_id: int) -> None:
        """Open a record to fix it (the night check F6 jumps here with a finding)."""
        if not self.is_mounted:
            self.pending_record = (record_type, record_id)
            return
        if record_type == "visit":
            self.open_visit_form("fix", record_id)
        elif record_type in ("customer", "case_number"):
            with self.db.read() as session:
                latest = triage.latest_visit_of(session, record_id)
            if latest is None:
                self.notify(t("triage.visit_not_found"), severity="warning")
            else:
                self.open_visit_form("fix", latest.id)
        elif record_type == "visitor":
            self.to_board()
            self.select_row(f"visitor:{record_id}")
        elif record_type == "appointment":
            self.open_appointment(record_id)
        else:
            self.notify(t("triage.visit_not_found"), severity="warning")

    def open_appointment(self, appointment_id: int) -> None:
        from models import Appointment

        with self.db.read() as session:
            appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.day != clock.today():
            self.notify(t("appointment.not_found"), severity="warning")
            return
        self.pending = {"path": "B", "appointment_id": appointment.id}
        self.open_customer_form(values={"cust_name": appointment.name,
                                        "cust_phone": appointment.phone,
                                        "cust_interest": appointment.purpose})

    def open_fix_form(self, visit_id: int, values: dict[str, Any] | None = None) -> bool:
        with self.db.read() as session:
            try:
                detail = triage.visit_detail(session, visit_id)
                # Said before the form, not after it is filled in.
                days.ensure_open(session, detail.visit.day)
            except ReceptionError as error:
                self.notify(str(error), severity="error")
                return False
            consultants_list = triage.consultants(session)
        visit, customer = detail.visit, detail.customer
        self.visit_id = visit_id
        self.fix_consultant_ids = [member.id for member in consultants_list]
        listing = Text(t("triage.fix_consultants", list=""))
        for number, member in enumerate(consultants_list, start=1):
            listing.append(f"{number} ")
            listing.append_text(shown(member.name))
            listing.append("  ")
        self.query_one("#fix-consultants", Static).update(listing)
        self.query_one("#fix-title", Static).update(Text(
            t("triage.fix_title", id=visit.id, day=visit.day.isoformat()), style="bold"))
        summary = Text(f"{t(f'triage.path.{visit.path}')} · "
                       f"{clock.local(visit.arrived_at).format('HH:mm')} · "
                       f"{t(f'status.{visit.status}')}")
        if customer.case_number:
            summary.append(f" · {customer.case_number}")
        self.query_one("#fix-summary", Static).update(summary)
        current = {
            "fix_name": customer.name,
            "fix_phone": customer.phone,
            "fix_consultant": str(self.fix_consultant_ids.index(visit.consultant_id) + 1)
            if visit.consultant_id in self.fix_consultant_ids else "",
            "fix_outcome": {"deal": "1", "no_deal": "2"}.get(visit.outcome or "", ""),
            "fix_items": visit.items,
            "fix_amount": f"{visit.amount_cents / 100:.2f}"
            if visit.amount_cents is not None else "",
            "fix_departed": clock.local(visit.departed_at).format("HH:mm")
            if visit.departed_at else "",
        }
        for field_id in FORMS["fix"].fields:
            self.show_error(field_id, None)
        self._opened_with = current
        self.apply_draft({**current, **(values or {})})
        # Straight to what the night check finds missing (first empty of these), if any.
        missing = next((field_id for field_id in ("fix_name", "fix_phone", "fix_consultant",
                                                  "fix_outcome", "fix_departed")
                        if not self.query_one(f"#{field_id}", Input).value.strip()), "fix_name")
        self.go("fix", missing)
        return True

    def submit_fix(self) -> None:
        raw = {field_id: self.query_one(f"#{field_id}", Input).value
               for field_id in FORMS["fix"].fields}
        for field_id in FORMS["fix"].fields:
            self.show_error(field_id, None)
        errors: dict[str, ReceptionError] = {}
        consultant_id = None
        if raw["fix_consultant"].strip():
            try:
                consultant_id = self.fix_consultant_ids[int(raw["fix_consultant"]) - 1]
                if int(raw["fix_consultant"]) < 1:
                    raise IndexError
            except (ValueError, IndexError):
                errors["consultant"] = ValidationError("consultant", "triage.consultant_invalid")
        outcome_raw = raw["fix_outcome"].strip()
        outcome = {"1": "deal", "2": "no_deal", "": None}.get(outcome_raw, "bad")
        if outcome == "bad":
            errors["outcome"] = ValidationError("outcome", "triage.outcome_invalid")
            outcome = None
        try:
            amount = triage.parse_amount(raw["fix_amount"])
        except ValidationError as error:
            errors["amount"] = error
            amount = None
        with self.db.read() as session:
            visit = session.get(Visit, self.visit_id)
        if visit is None:
            self.notify(t("triage.visit_not_found"), severity="error")
            self.to_board()
            return
        departed = None
        if raw["fix_departed"].strip():
            try:
                departed = triage.parse_departure(raw["fix_departed"], visit)
            except ValidationError as error:
                errors["departed"] = error
        errors.update(triage.validate_customer_fields(name=raw["fix_name"],
                                                      phone=raw["fix_phone"]))
        if errors:
            self.show_errors("fix", errors)
            return
        try:
            with self.db.write() as session:
                triage.correct_visit(
                    session, self.visit_id, name=raw["fix_name"], phone=raw["fix_phone"],
                    consultant_id=consultant_id, outcome=outcome, items=raw["fix_items"],
                    amount_cents=amount, departed_at=departed, by=self.staff_id)
        except ValidationError as error:
            self.show_errors("fix", {error.field: error})
            return
        except ReceptionError as error:
            self.notify(str(error), severity="error")
            return
        self.discard_draft()
        self.notify(t("triage.fixed"))
        visit_id, self.visit_id = self.visit_id, None
        self.to_board(select=f"visit:{visit_id}")
        self.return_to_caller()  # opened from the night check: back to its list

    # --- the register book ----------------------------------------------------------------

    def action_register(self) -> None:
        from screens.triage_register import RegisterScreen

        self.app.push_screen(RegisterScreen())


def phones_or_raw(raw: str) -> str:
    try:
        return phones.normalise(raw)
    except ValidationError:
        return raw
