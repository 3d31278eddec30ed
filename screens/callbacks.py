"""F5: the daily callback list (seed 002 §20; seed 003 §4.3, §4.8).

The list shows who to call now, oldest first, phones in full. One key per outcome;
"reached" opens the seed's four questions, "later" asks for a time. Inner steps (survey,
later, summary, rules, low scores) go back to the list with Escape.
"""

from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import ContentSwitcher, DataTable, Input, Label, Select, Static

from reception import callbacks
from reception.callbacks import QUESTIONS, Answer, CallOutcome, Entry
from reception.clock import clock
from reception.errors import DayClosedError, ReceptionError, ValidationError
from reception.i18n import t
from screens.base import AreaScreen, DraftForm
from screens.widgets.text import literal

LIST, SURVEY, LATER, SUMMARY, RULES, FLAGGED = (
    "list-step", "survey-step", "later-step", "summary-step", "rules-step", "flagged-step")
#: Which step each screen action belongs to (F1 and the footer show only those).
ACTION_STEPS = {
    "outcome": LIST, "summary": LIST, "rules": LIST, "flagged": LIST,
    "save": (SURVEY, SUMMARY, RULES), "toggle_rule": RULES, "clear_flag": FLAGGED,
}
MANAGER_ACTIONS = {"rules", "flagged", "toggle_rule", "clear_flag"}
SURVEY_FIELDS = tuple(f"{prefix}-{part}" for prefix, _ in QUESTIONS for part in ("score", "text"))
#: The rules form: domain field name → (input id, label key) for error messages.
RULE_FIELDS = {
    "name": ("rule-name", "callbacks.rules.name"),
    "event": ("rule-event", "callbacks.rules.event"),
    "days_after": ("rule-days", "callbacks.rules.days"),
}
NAME_WIDTH = 12
WHY_WIDTH = 12


def _hhmm(when) -> str:
    local = clock.local(when)
    return local.format("HH:mm") if local.date() == clock.today() else local.format(
        "MM-DD HH:mm")


def _outcome(outcome: str) -> str:
    return t(f"callbacks.outcome.{outcome}") if outcome else ""


class CallbacksScreen(DraftForm, AreaScreen):
    CSS_PATH = "callbacks.tcss"
    TITLE_KEY = "screen.callbacks"
    DRAFT_FORM = "callback_survey"
    DRAFT_FIELDS = SURVEY_FIELDS
    BINDINGS = [
        Binding("1", "outcome('reached')", "callbacks.key.reached", id="callback_reached"),
        Binding("2", "outcome('no_answer')", "callbacks.key.no_answer",
                id="callback_no_answer"),
        Binding("3", "outcome('busy')", "callbacks.key.busy", id="callback_busy"),
        Binding("4", "outcome('wrong_number')", "callbacks.key.wrong_number",
                id="callback_wrong_number"),
        Binding("5", "outcome('later')", "callbacks.key.later", id="callback_later"),
        Binding("6", "outcome('declined')", "callbacks.key.declined",
                id="callback_declined"),
        Binding("s", "summary", "callbacks.key.summary", id="callback_summary"),
        Binding("m", "rules", "callbacks.key.rules", id="callback_rules"),
        Binding("f", "flagged", "callbacks.key.flagged", id="callback_flagged"),
        # Ctrl+S: save the survey, export the summary, add a rule (by step).
        Binding("ctrl+s", "save", "callbacks.key.save", id="callback_save"),
        Binding("t", "toggle_rule", "callbacks.key.toggle_rule", id="callback_toggle_rule"),
        Binding("c", "clear_flag", "callbacks.key.clear_flag", id="callback_clear_flag"),
    ]

    @property
    def exports(self) -> Path:
        """Where exports go: beside the database, as the register book's."""
        return self.db.path.parent / "exports"

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.working: Entry | None = None  # the callback of the survey / later step
        self._unscored_confirmed = False  # remarks without scores: asked once
        self.generated_for: date | None = None
        self._default_path = ""  # the export path offered for the summary's range

    # --- layout ----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with ContentSwitcher(initial=LIST, id="steps"):
            with Vertical(id=LIST):
                yield Static(id="header")
                yield DataTable(id="callback-table", cursor_type="row", zebra_stripes=True)
                yield Static(id="detail")
                yield Static(classes="hint", id="list-hint")
            with Vertical(id=SURVEY):
                yield Static(id="survey-title")
                for prefix, key in QUESTIONS:
                    with Horizontal(classes="form-row survey-row"):
                        yield Label(t(key))
                        yield Input(id=f"{prefix}-score", restrict=r"[1-5]?", max_length=1,
                                    placeholder=t("callbacks.survey.score"),
                                    classes="score")
                        yield Input(id=f"{prefix}-text", placeholder=t("callbacks.survey.text"))
                yield Static(id="survey-error", classes="error")
                yield Static(Text(t("callbacks.survey.hint")), classes="hint")
            with Vertical(id=LATER):
                yield Static(id="later-title")
                yield Static(Text(t("callbacks.later.prompt")), classes="hint")
                yield Input(id="later-time")
                yield Static(id="later-error", classes="error")
            with Vertical(id=SUMMARY):
                yield Static(Text(t("callbacks.summary.title"), style="bold"))
                with Horizontal(classes="form-row"):
                    yield Label(t("callbacks.summary.from"))
                    yield Input(id="summary-from", max_length=10, classes="date replace-on-focus")
                    yield Label(t("callbacks.summary.to"), classes="to")
                    yield Input(id="summary-to", max_length=10, classes="date replace-on-focus")
                with Horizontal(classes="form-row"):
                    yield Label(t("callbacks.summary.path"))
                    yield Input(id="summary-path", classes="replace-on-focus")
                yield Static(id="summary-line")
                yield DataTable(id="summary-table", cursor_type="row")
                yield Static(Text(t("callbacks.summary.hint")), classes="hint")
            with Vertical(id=RULES):
                yield Static(Text(t("callbacks.rules.title"), style="bold"))
                yield DataTable(id="rules-table", cursor_type="row")
                with Horizontal(classes="form-row", id="rule-form"):
                    yield Input(id="rule-name", placeholder=t("callbacks.rules.name"),
                                max_length=100)
                    yield Select([(t(f"callbacks.event.{event.value}"), event.value)
                                  for event in callbacks.Event], allow_blank=False,
                                 id="rule-event")
                    yield Input(id="rule-days", placeholder=t("callbacks.rules.days"),
                                restrict=r"\d{0,3}", classes="days")
                yield Static(id="rule-error", classes="error")
                yield Static(Text(t("callbacks.rules.hint")), classes="hint")
            with Vertical(id=FLAGGED):
                yield Static(Text(t("callbacks.flagged.title"), style="bold"))
                yield DataTable(id="flagged-table", cursor_type="row")
                yield Static(Text(t("callbacks.flagged.hint")), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one("#callback-table", DataTable)
        table.add_column(t("callbacks.col.due"), key="due")
        table.add_column(t("callbacks.col.name"), width=NAME_WIDTH, key="name")
        table.add_column(t("callbacks.col.phone"), key="phone")
        table.add_column(t("callbacks.col.why"), width=WHY_WIDTH, key="why")
        table.add_column(t("callbacks.col.tries"), key="tries")
        table.add_column(t("callbacks.col.last"), key="last")
        summary = self.query_one("#summary-table", DataTable)
        summary.add_column(t("callbacks.col.consultant"), width=NAME_WIDTH)
        summary.add_columns(t("callbacks.col.count"), t("callbacks.col.reached"),
                            t("callbacks.col.rate"),
                            *[t(f"callbacks.short.{prefix}") for prefix, _ in QUESTIONS])
        self.query_one("#rules-table", DataTable).add_columns(
            t("callbacks.rules.name"), t("callbacks.col.event"), t("callbacks.col.days"),
            t("callbacks.col.active"))
        flagged = self.query_one("#flagged-table", DataTable)
        flagged.add_column(t("callbacks.col.name"), width=NAME_WIDTH)
        flagged.add_columns(t("callbacks.col.phone"), t("callbacks.col.consultant"),
                            t("callbacks.col.due"), t("callbacks.col.scores"))
        more = "callbacks.hint.manager" if self.app.is_manager else "callbacks.hint.more"
        self.query_one("#list-hint", Static).update(
            Text(t("callbacks.hint") + "\n" + t(more)))
        self.generate()
        super().on_mount()
        table.focus()
        self.set_interval(30, self.tick)
        self.offer_drafts()

    # --- the list --------------------------------------------------------------------

    @property
    def step(self) -> str:
        return self.query_one("#steps", ContentSwitcher).current or LIST

    def generate(self) -> None:
        """Make today's callbacks (idempotent: safe from any number of counters)."""
        today = clock.today()
        try:
            with self.db.write() as session:
                callbacks.generate(session, today, by=self.staff_id)
        except DayClosedError:
            self.notify(t("callbacks.read_only"), severity="warning", markup=False)
        except ReceptionError as problem:
            self.notify(str(problem), severity="error", markup=False)
        self.generated_for = today

    def tick(self) -> None:
        """Callbacks asked for "later" come back when their time comes; a new day begins."""
        if self.generated_for != clock.today():
            self.generate()
        if self.step == LIST:
            self.refresh_data()

    def on_screen_resume(self) -> None:
        if self.generated_for != clock.today():
            self.generate()
        super().on_screen_resume()

    def refresh_data(self) -> None:
        if not self.is_mounted:
            return
        with self.db.read() as session:
            listing = callbacks.day_list(session)
        self.entries = listing.ready
        due = listing.counts or callbacks.Counts(len(listing.ready), len(listing.waiting))
        header = Text(t("callbacks.header", day=listing.day.isoformat(), total=due.total,
                        ready=due.ready, waiting=due.waiting), style="bold")
        if listing.waiting:
            header.append(t("callbacks.header.next",
                            time=_hhmm(listing.waiting[0].next_try_at)))
        self.query_one("#header", Static).update(header)
        table = self.query_one("#callback-table", DataTable)
        row = table.cursor_row
        table.clear()
        for entry in self.entries:
            due = Text(entry.due_day.strftime("%m-%d"),
                       style="bold" if entry.due_day < listing.day else "")
            table.add_row(due, Text(entry.customer_name), Text(entry.phone),
                          Text(entry.rule_name), Text(str(entry.attempts)),
                          Text(_outcome(entry.last_outcome)), key=str(entry.callback_id))
        if self.entries:
            table.move_cursor(row=min(max(row, 0), len(self.entries) - 1))
        self.show_detail()
        if self.step == FLAGGED:
            self.fill_flagged()
        elif self.step == RULES:
            self.fill_rules()

    def show_record(self, record_type: str, record_id: int) -> None:
        """The night check (F6) points at a callback: put the cursor on it in the list."""
        if record_type != "callback" or not self.is_mounted or self.step != LIST:
            return
        self.refresh_data()
        table = self.query_one("#callback-table", DataTable)
        if str(record_id) in {key.value for key in table.rows}:
            table.move_cursor(row=table.get_row_index(str(record_id)))
            self.show_detail()
        table.focus()

    def selected(self) -> Entry | None:
        table = self.query_one("#callback-table", DataTable)
        if not self.entries or not 0 <= table.cursor_row < len(self.entries):
            return None
        return self.entries[table.cursor_row]

    def show_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        entry = self.selected()
        if entry is None:
            detail.update(Text(t("callbacks.empty"), style="italic"))
            return
        line = Text()
        line.append(literal(entry.customer_name, style="bold"))
        line.append(f"  {entry.phone}\n")
        line.append(f"{entry.rule_name} · {t('callbacks.event.' + entry.event)} "
                    f"{entry.event_day.isoformat()}")
        if entry.consultant_name:
            line.append(" · " + t("callbacks.labelled", label=t("callbacks.col.consultant"),
                                  value=entry.consultant_name))
        if entry.attempts:
            line.append(" · " + t("callbacks.detail.tries", n=entry.attempts,
                                  outcome=_outcome(entry.last_outcome)))
        detail.update(line)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "callback-table":
            self.show_detail()

    def offer_drafts(self) -> None:
        with self.db.read() as session:
            waiting = callbacks.survey_drafts(session, self.staff_id)
            names = [callbacks.get_entry(session, callback_id).customer_name
                     for callback_id in waiting]
        for name in names:
            self.notify(t("callbacks.draft_waiting", name=name), timeout=8, markup=False)

    # --- keys ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        steps = ACTION_STEPS.get(action)
        if steps is None:
            return True
        if action in MANAGER_ACTIONS and not self.app.is_manager:
            return False
        return self.step in (steps if isinstance(steps, tuple) else (steps,))

    def show_step(self, step: str) -> None:
        self.query_one("#steps", ContentSwitcher).current = step
        self.refresh_bindings()

    def action_save(self) -> None:
        step = self.step
        if step == SURVEY:
            self.save_survey()
        elif step == SUMMARY:
            self.action_export()
        elif step == RULES:
            self.add_rule()

    def action_back(self) -> None:
        step = self.step
        if step == LIST:
            super().action_back()
            return
        if step == SURVEY:
            self.leave_survey(keep_draft=True)
        self.working = None
        self.show_step(LIST)
        self.refresh_data()
        self.query_one("#callback-table", DataTable).focus()

    def action_outcome(self, outcome: str) -> None:
        entry = self.selected()
        if entry is None:
            self.notify(t("callbacks.none_selected"), severity="warning", markup=False)
            return
        if outcome == CallOutcome.REACHED:
            self.open_survey(entry)
        elif outcome == CallOutcome.LATER:
            self.open_later(entry)
        else:
            self.record(entry, outcome)

    def record(self, entry: Entry, outcome: str, **extra) -> bool:
        try:
            with self.db.write() as session:
                callback = callbacks.record_attempt(session, entry.callback_id, outcome,
                                                    by=self.staff_id, **extra)
        except ValidationError:
            raise
        except ReceptionError as problem:
            self.notify(str(problem), severity="error", markup=False)
            self.refresh_data()
            return False
        message = t("callbacks.saved", name=entry.customer_name, outcome=_outcome(outcome))
        if callback.status == callbacks.Status.UNREACHED:
            message += " · " + t("callbacks.closed_unreached")
        elif callback.next_try_at is not None:
            message += " · " + t("callbacks.retry_at", time=_hhmm(callback.next_try_at))
        self.notify(message, markup=False)
        self.refresh_data()
        return True

    # --- later -----------------------------------------------------------------------

    def open_later(self, entry: Entry) -> None:
        self.working = entry
        title = Text()
        title.append(t("callbacks.labelled", label=t("callbacks.outcome.later"),
                       value=entry.customer_name), style="bold")
        title.append(f"  {entry.phone}")
        self.query_one("#later-title", Static).update(title)
        self.query_one("#later-error", Static).update("")
        field = self.query_one("#later-time", Input)
        field.value = ""
        self.show_step(LATER)
        field.focus()

    def save_later(self) -> None:
        entry = self.working
        error = self.query_one("#later-error", Static)
        if entry is None:
            return
        try:
            when = callbacks.parse_later(self.query_one("#later-time", Input).value)
            saved = self.record(entry, CallOutcome.LATER, call_back_at=when)
        except ValidationError as problem:
            error.update(Text(str(problem)))
            return
        if saved:
            self.working = None
            self.show_step(LIST)
            self.query_one("#callback-table", DataTable).focus()

    # --- survey ----------------------------------------------------------------------

    def open_survey(self, entry: Entry) -> None:
        self.working = entry
        self.DRAFT_FORM = callbacks.survey_draft_form(entry.callback_id)
        title = Text()
        title.append(entry.customer_name, style="bold")
        title.append(f"  {entry.phone}")
        if entry.consultant_name:
            title.append("  · " + t("callbacks.labelled", label=t("callbacks.col.consultant"),
                                    value=entry.consultant_name))
        self.query_one("#survey-title", Static).update(title)
        self.query_one("#survey-error", Static).update("")
        self._unscored_confirmed = False
        for field_id in SURVEY_FIELDS:
            self.query_one(f"#{field_id}", Input).value = ""
        draft = self.load_draft()
        if draft:
            self.apply_draft(draft)
            self.notify(t("draft.restored"), markup=False)
        self.show_step(SURVEY)
        self.query_one(f"#{SURVEY_FIELDS[0]}", Input).focus()

    def leave_survey(self, *, keep_draft: bool) -> None:
        if keep_draft:
            self.save_draft_now()
        elif self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        self.DRAFT_FORM = type(self).DRAFT_FORM
        with self.prevent(Input.Changed):
            for field_id in SURVEY_FIELDS:
                self.query_one(f"#{field_id}", Input).value = ""

    def schedule_draft_save(self) -> None:
        # Clearing the fields after leaving the survey must not overwrite its draft.
        if self.step == SURVEY:
            super().schedule_draft_save()

    def save_survey(self) -> None:
        entry = self.working
        if entry is None:
            return
        answers = {}
        for prefix, _key in QUESTIONS:
            score = self.query_one(f"#{prefix}-score", Input).value.strip()
            answers[prefix] = Answer(int(score) if score.isdigit() else None,
                                     self.query_one(f"#{prefix}-text", Input).value)
        error = self.query_one("#survey-error", Static)
        unscored = all(answer.score is None for answer in answers.values())
        if unscored and any(answer.text.strip() for answer in answers.values()) \
                and not self._unscored_confirmed:
            # Remarks without a single score: a score typed into a remarks box, most likely.
            self._unscored_confirmed = True
            error.update(Text(t("callbacks.survey.no_scores")))
            self.query_one(f"#{SURVEY_FIELDS[0]}", Input).focus()
            return
        try:
            with self.db.write() as session:
                callbacks.record_survey(session, entry.callback_id, answers, by=self.staff_id)
                flagged = session.get(callbacks.Callback, entry.callback_id).flagged
        except ValidationError as problem:
            error.update(Text(str(problem)))
            self.query_one(f"#{problem.field}-score", Input).focus()
            return
        except ReceptionError as problem:
            error.update(Text(str(problem)))
            return
        self.discard_draft()
        self.leave_survey(keep_draft=False)
        message = t("callbacks.saved", name=entry.customer_name,
                    outcome=_outcome(CallOutcome.REACHED))
        if flagged:
            message += " · " + t("callbacks.survey.flagged")
        self.notify(message, markup=False)
        self.working = None
        self.show_step(LIST)
        self.refresh_data()
        self.query_one("#callback-table", DataTable).focus()

    # --- Enter in a field ------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        field_id = event.input.id or ""
        if field_id in SURVEY_FIELDS:
            position = SURVEY_FIELDS.index(field_id)
            if field_id.endswith("-score") and not event.value.strip():
                # A question the customer did not score: go on to its remarks, and say so
                # (a score typed there would be a remark; saving without any score asks).
                self.query_one("#survey-error", Static).update(
                    Text(t("callbacks.survey.score_or_tab")))
            if position + 1 < len(SURVEY_FIELDS):
                self.query_one(f"#{SURVEY_FIELDS[position + 1]}", Input).focus()
            else:
                self.save_survey()
        elif field_id == "later-time":
            self.save_later()
        elif field_id in ("summary-from", "summary-to"):
            self.fill_summary()
        elif field_id == "summary-path":
            self.action_export()
        elif field_id == "rule-name" and event.value.strip() \
                and not self.query_one("#rule-days", Input).value.strip():
            # A name alone is not a rule yet: on to the days (the event has a default).
            self.query_one("#rule-days", Input).focus()
        elif field_id in ("rule-name", "rule-days"):
            self.add_rule()

    # --- summary and export ----------------------------------------------------------

    def action_summary(self) -> None:
        today = clock.today()
        first = today.replace(day=1)
        self.query_one("#summary-from", Input).value = first.isoformat()
        self.query_one("#summary-to", Input).value = today.isoformat()
        self._default_path = str(callbacks.default_export_path(first, today, self.exports))
        self.query_one("#summary-path", Input).value = self._default_path
        self.show_step(SUMMARY)
        self.fill_summary()
        self.query_one("#summary-from", Input).focus()

    def summary_range(self) -> tuple[date, date] | None:
        try:
            first = date.fromisoformat(self.query_one("#summary-from", Input).value.strip())
            last = date.fromisoformat(self.query_one("#summary-to", Input).value.strip())
        except ValueError:
            self.query_one("#summary-line", Static).update(
                Text(t("callbacks.summary.bad_date"), style="bold"))
            return None
        return first, last

    def fill_summary(self) -> None:
        span = self.summary_range()
        line = self.query_one("#summary-line", Static)
        table = self.query_one("#summary-table", DataTable)
        table.clear()
        if span is None:
            return
        path = self.query_one("#summary-path", Input)
        if path.value == self._default_path:
            # The file name names the range: follow a new range unless a path was typed.
            self._default_path = path.value = str(
                callbacks.default_export_path(*span, self.exports))
        try:
            with self.db.read() as session:
                result = callbacks.summary(session, *span)
        except ReceptionError as problem:
            line.update(Text(str(problem), style="bold"))
            return
        total = result.total
        rate = f"{total.reached_rate:.0%}" if total.reached_rate is not None else "–"
        line.update(Text(t("callbacks.summary.line", callbacks=total.callbacks,
                           reached=total.reached, rate=rate,
                           unreached=total.closed_unreached, open=total.still_open,
                           flagged=total.flagged)))
        rows = [(t("callbacks.csv.all"), total)] + [
            (row.consultant_name or t("callbacks.csv.no_consultant"), row)
            for row in result.by_consultant]
        for label, row in rows:
            table.add_row(
                Text(label), Text(str(row.callbacks)), Text(str(row.reached)),
                Text(f"{row.reached_rate:.0%}" if row.reached_rate is not None else "–"),
                *[Text(f"{row.averages[prefix]:.1f}" if row.averages.get(prefix) is not None
                       else "–") for prefix, _ in QUESTIONS])

    def action_export(self) -> None:
        span = self.summary_range()
        if span is None:
            return
        path = self.query_one("#summary-path", Input).value
        try:
            with self.db.read() as session:
                written = callbacks.export_summary(session, *span, path)
        except ReceptionError as problem:
            self.notify(str(problem), severity="error", markup=False)
            return
        self.notify(t("callbacks.exported", path=str(written)), markup=False)

    # --- rules (manager) -------------------------------------------------------------

    def action_rules(self) -> None:
        # A stale error of an earlier attempt would read as an answer to the next one.
        self.query_one("#rule-error", Static).update("")
        self.show_step(RULES)
        self.fill_rules()
        # Typing starts a new rule's name; Shift+Tab reaches the rules (t turns on/off).
        self.query_one("#rule-name", Input).focus()

    def fill_rules(self) -> None:
        with self.db.read() as session:
            self.rules = callbacks.list_rules(session)
        table = self.query_one("#rules-table", DataTable)
        row = table.cursor_row
        table.clear()
        for rule in self.rules:
            table.add_row(Text(callbacks.rule_label(rule)),
                          Text(t(f"callbacks.event.{rule.event}")), Text(str(rule.days_after)),
                          Text(t("yes") if rule.active else t("no")))
        if self.rules:
            table.move_cursor(row=min(max(row, 0), len(self.rules) - 1))

    def add_rule(self) -> None:
        days_text = self.query_one("#rule-days", Input).value.strip()
        error = self.query_one("#rule-error", Static)
        try:
            with self.db.write() as session:
                callbacks.add_rule(
                    session, name=self.query_one("#rule-name", Input).value,
                    event=self.query_one("#rule-event", Select).value,
                    days_after=int(days_text) if days_text.isdigit() else -1,
                    by=self.staff_id)
        except ValidationError as problem:
            # Say which field, and put the cursor in it.
            field_id, label_key = RULE_FIELDS.get(problem.field, ("rule-name", ""))
            error.update(Text(t("callbacks.field_error", field=t(label_key), message=str(problem))
                              if label_key else str(problem)))
            self.query_one(f"#{field_id}").focus()
            return
        except ReceptionError as problem:
            error.update(Text(str(problem)))
            return
        error.update("")
        self.query_one("#rule-name", Input).value = ""
        self.query_one("#rule-days", Input).value = ""
        self.notify(t("callbacks.rules.added"), markup=False)
        self.fill_rules()
        self.generate()

    def action_toggle_rule(self) -> None:
        table = self.query_one("#rules-table", DataTable)
        rules = getattr(self, "rules", [])
        if not rules or not 0 <= table.cursor_row < len(rules):
            return
        rule = rules[table.cursor_row]
        try:
            with self.db.write() as session:
                callbacks.set_rule_active(session, rule.id, not rule.active, by=self.staff_id)
        except ReceptionError as problem:
            self.notify(str(problem), severity="error", markup=False)
            return
        self.fill_rules()

    # --- low scores (manager) --------------------------------------------------------

    def action_flagged(self) -> None:
        self.show_step(FLAGGED)
        self.fill_flagged()
        self.query_one("#flagged-table", DataTable).focus()

    def fill_flagged(self) -> None:
        with self.db.read() as session:
            self.flagged_entries = callbacks.flagged(session)
            surveys = {entry.callback_id: callbacks.survey_of(session, entry.callback_id)
                       for entry in self.flagged_entries}
        table = self.query_one("#flagged-table", DataTable)
        table.clear()
        for entry in self.flagged_entries:
            survey = surveys.get(entry.callback_id)
            scores = Text()
            for number, (prefix, _) in enumerate(QUESTIONS):
                score = getattr(survey, f"{prefix}_score", None) if survey else None
                if number:
                    scores.append("/")
                low = score is not None and score <= callbacks.LOW_SCORE
                scores.append("–" if score is None else str(score),
                              style="bold red" if low else "")
            table.add_row(Text(entry.customer_name), Text(entry.phone),
                          Text(entry.consultant_name), Text(entry.due_day.isoformat()), scores)

    def action_clear_flag(self) -> None:
        table = self.query_one("#flagged-table", DataTable)
        entries = getattr(self, "flagged_entries", [])
        if not entries or not 0 <= table.cursor_row < len(entries):
            return
        try:
            with self.db.write() as session:
                callbacks.clear_flag(session, entries[table.cursor_row].callback_id,
                                     by=self.staff_id)
        except ReceptionError as problem:
            self.notify(str(problem), severity="error", markup=False)
            return
        self.notify(t("callbacks.flagged.cleared"), markup=False)
        self.fill_flagged()
