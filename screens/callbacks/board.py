"""F5: the daily callback list (seed 002 §20; seed 003 §4.3, §4.8).

The list shows who to call now, oldest first, phones in full, and below them the callbacks
waiting for a later try, each marked with its time. One key per outcome: 2 no answer,
3 busy, 4 wrong number and 6 declined are recorded at once; 1 (reached) opens the seed's
four questions and 5 asks for a time (forms over the list, ``forms.py``). s opens the
summary and its export; m and f the manager's rules and low scores.

Keystrokes from the dashboard (checked by tests/ui/callbacks/test_budgets.py):
no answer ≤ 2 (F5 2); call back later at 15:30 ≤ 8 (F5 5 15:30 ⏎);
reached with four scores and no remarks ≤ 13 (F5 1, score ⏎ ⏎ three times, score Ctrl+S).
"""

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reception import callbacks
from reception.callbacks import CallOutcome, Entry
from reception.clock import clock
from reception.errors import DayClosedError, ReceptionError
from reception.i18n import t
from screens.base import AreaScreen
from screens.callbacks.forms import LaterForm, SurveyForm
from screens.callbacks.manager import FlaggedScreen, RulesScreen, manager_may
from screens.callbacks.shared import Attempted, attempted, hhmm, notice, outcome_label
from screens.callbacks.summary import SummaryForm
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal, update_if_changed

MANAGER_ACTIONS = {"rules", "flagged"}
NAME_WIDTH = 12
WHY_WIDTH = 12


class CallbacksScreen(AreaScreen):
    #: The manager's keys: not offered to others here, in F1 or in Ctrl+P.
    MANAGER_ACTIONS = MANAGER_ACTIONS
    TITLE_KEY = "screen.callbacks"
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
    ]

    @property
    def exports(self) -> Path:
        """Where exports go: beside the database, as the register book's."""
        return self.db.exports_folder

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Entry] = []
        self.ready = 0  # the first ``ready`` entries are to call now, the rest wait
        self.generated_for = None
        self.writing: set[int] = set()  # callbacks whose outcome is being saved
        self.rules_screen: RulesScreen | None = None

    # --- layout ----------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static(id="header")
        yield RoutedDataTable(id="callback-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="detail")
        yield Static(classes="hint", id="list-hint")

    def on_mount(self) -> None:
        table = self.query_one("#callback-table", RoutedDataTable)
        table.add_column(t("callbacks.col.due"), key="due")
        table.add_column(t("callbacks.col.name"), width=NAME_WIDTH, key="name")
        table.add_column(t("callbacks.col.phone"), key="phone")
        table.add_column(t("callbacks.col.why"), width=WHY_WIDTH, key="why")
        table.add_column(t("callbacks.col.tries"), key="tries")
        table.add_column(t("callbacks.col.last"), key="last")
        more = "callbacks.hint.manager" if self.app.is_manager else "callbacks.hint.more"
        self.query_one("#list-hint", Static).update(
            Text(t("callbacks.hint") + "\n" + t(more)))

    def after_mount(self) -> None:
        self.generate()
        self.query_one("#callback-table").focus()
        self.set_interval(30, self.tick)
        self.offer_drafts()

    # --- the list --------------------------------------------------------------------

    def generate(self) -> None:
        """Make today's callbacks (idempotent: safe from any number of counters)."""
        today, by = clock.today(), self.staff_id
        self.generated_for = today

        def refused(problem: ReceptionError) -> None:
            if isinstance(problem, DayClosedError):
                self.notify(t("callbacks.read_only"), severity="warning", markup=False)
            else:
                self.notify(str(problem), severity="error", markup=False)

        self.app.store.write(lambda session: callbacks.generate(session, today, by=by),
                             done=lambda made: self.reload(), failed=refused)

    def tick(self) -> None:
        """Callbacks asked for "later" come back when their time comes; a new day begins."""
        if self.generated_for != clock.today():
            self.generate()
        if self.app.screen is self:
            self.reload()

    def on_screen_resume(self) -> None:
        rules, self.rules_screen = self.rules_screen, None
        if self.generated_for != clock.today() or (rules is not None and rules.changed):
            self.generate()

    def refresh_data(self) -> None:
        if not self.is_mounted:
            return
        with self.db.read() as session:
            listing = callbacks.day_list(session)
        self.entries = listing.ready + listing.waiting
        self.ready = len(listing.ready)
        due = listing.counts or callbacks.Counts(len(listing.ready), len(listing.waiting))
        header = Text(t("callbacks.header", day=listing.day.isoformat(), total=due.total,
                        ready=due.ready, waiting=due.waiting), style="bold")
        if listing.waiting:
            header.append(t("callbacks.header.next",
                            time=hhmm(listing.waiting[0].next_try_at)))
        self.query_one("#header", Static).update(header)
        table = self.query_one("#callback-table", RoutedDataTable)
        row = table.cursor_row
        table.clear()
        for number, entry in enumerate(self.entries):
            table.add_row(*self.cells(entry, waiting=number >= self.ready, day=listing.day),
                          key=str(entry.callback_id))
        if self.entries:
            table.move_cursor(row=min(max(row, 0), len(self.entries) - 1))
        self.show_detail()

    @staticmethod
    def cells(entry: Entry, *, waiting: bool, day) -> list[Text]:
        if waiting:
            # Waiting for a later try: marked with its time, in the due column.
            due = Text(t("callbacks.row.at", time=_short(entry.next_try_at)), style="italic")
        else:
            due = Text(entry.due_day.strftime("%m-%d"),
                       style="bold" if entry.due_day < day else "")
        style = "dim" if waiting else ""
        return [due, literal(entry.customer_name, style=style),
                literal(entry.phone, style=style), literal(entry.rule_name, style=style),
                Text(str(entry.attempts), style=style),
                Text(outcome_label(entry.last_outcome), style=style)]

    def show_record(self, record_type: str, record_id: int) -> None:
        """The night check (F6) points at a callback: put the cursor on it in the list."""
        if record_type != "callback" or not self.is_mounted or self.app.screen is not self:
            return
        self.reload()
        table = self.query_one("#callback-table", RoutedDataTable)
        if str(record_id) in {key.value for key in table.rows}:
            table.move_cursor(row=table.get_row_index(str(record_id)))
            self.show_detail()
        table.focus()

    def selected(self) -> Entry | None:
        row = self.query_one("#callback-table", RoutedDataTable).cursor_row
        if not self.entries or not 0 <= row < len(self.entries):
            return None
        return self.entries[row]

    def show_detail(self) -> None:
        """Three lines that fit 80 columns: who; the consultant and the tries; why."""
        detail = self.query_one("#detail", Static)
        entry = self.selected()
        if entry is None:
            detail.update(Text(t("callbacks.empty"), style="italic"))
            return
        # The name gives way to the phone: the phone is what is dialled.
        name = literal(entry.customer_name, style="bold")
        room = (detail.content_region.width or 78) - cell_len(entry.phone) - 2
        if name.cell_len > room:
            name.truncate(max(room, 8), overflow="ellipsis")
        line = Text()
        line.append(name)
        line.append("  ")
        line.append(literal(entry.phone))
        facts = []
        if entry.consultant_name:
            facts.append(t("callbacks.labelled", label=t("callbacks.col.consultant"),
                           value=entry.consultant_name))
        if entry.attempts:
            facts.append(t("callbacks.detail.tries", n=entry.attempts,
                           outcome=outcome_label(entry.last_outcome)))
        if entry.next_try_at is not None:
            facts.append(t("callbacks.retry_at", time=hhmm(entry.next_try_at)))
        if facts:
            line.append("\n")
            line.append(literal(" · ".join(facts)))
        line.append("\n")
        line.append(literal(f"{entry.rule_name} · {t('callbacks.event.' + entry.event)} "
                            f"{entry.event_day.isoformat()}"))
        update_if_changed(detail, line)

    def on_data_table_row_highlighted(self, event: RoutedDataTable.RowHighlighted) -> None:
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
        # The manager's keys are not offered to others (F1, the footer); opening them
        # asks the domain again (an active manager).
        if action in MANAGER_ACTIONS and not self.app.is_manager:
            return False
        return True

    def action_outcome(self, outcome: str) -> None:
        entry = self.selected()
        if entry is None:
            self.notify(t("callbacks.none_selected"), severity="warning", markup=False)
            return
        if entry.callback_id in self.writing:
            return  # already being saved: a second key on the same row does nothing
        if outcome == CallOutcome.REACHED:
            self.app.push_screen(SurveyForm(entry), self.attempt_saved)
        elif outcome == CallOutcome.LATER:
            self.app.push_screen(LaterForm(entry), self.attempt_saved)
        else:
            self.record(entry, outcome)

    def record(self, entry: Entry, outcome: str) -> None:
        callback_id, by = entry.callback_id, self.staff_id
        self.writing.add(callback_id)

        def work(session) -> Attempted:
            callbacks.record_attempt(session, callback_id, outcome, by=by)
            return attempted(callbacks.get_entry(session, callback_id), outcome)

        def failed(problem: ReceptionError) -> None:
            self.writing.discard(callback_id)
            self.notify(str(problem), severity="error", markup=False)
            self.reload()

        def done(result: Attempted) -> None:
            self.writing.discard(callback_id)
            self.attempt_saved(result)

        self.app.store.write(work, done=done, failed=failed)

    def attempt_saved(self, result: Attempted | None) -> None:
        if result is not None:
            self.notify(notice(result), markup=False)
        self.reload()

    def action_summary(self) -> None:
        self.app.push_screen(SummaryForm(self.exports))

    def action_rules(self) -> None:
        if manager_may(self):
            self.rules_screen = RulesScreen()
            self.app.push_screen(self.rules_screen)

    def action_flagged(self) -> None:
        if manager_may(self):
            self.app.push_screen(FlaggedScreen())


def _short(when) -> str:
    """A waiting row's time: HH:MM today, MM-DD on another day (the detail has both)."""
    local = clock.local(when)
    return local.format("HH:mm") if local.date() == clock.today() else local.format("MM-DD")
