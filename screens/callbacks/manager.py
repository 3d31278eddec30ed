"""The manager's part of F5: the callback rules (add, edit, on/off) and the low scores.

Both open over the list only for an active manager (``staff.require_manager``, the one
check); every change is checked again by the domain when it is written.
"""

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reception import callbacks
from reception.callbacks import QUESTIONS
from reception.errors import ReceptionError
from reception.i18n import t
from reception.staff import require_manager
from screens.base import AreaScreen
from screens.form import Field, FormScreen
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal

NAME_WIDTH = 12


def manager_may(screen) -> bool:
    """True for an active manager; otherwise said in one line (the domain's own words)."""
    try:
        with screen.app.db.read() as session:
            require_manager(session, screen.staff_id)
    except ReceptionError as refused:
        screen.notify(str(refused), severity="warning", markup=False)
        return False
    return True


def _event_options() -> list[tuple[str, str]]:
    return [(t(f"callbacks.event.{event.value}"), event.value) for event in callbacks.Event]


class RuleForm(FormScreen[str]):
    """A callback rule: which event, its name, how many days after it."""

    FORM = "callbacks.rule"
    TITLE_KEY = "callbacks.rules.add_title"
    HINT_KEY = "callbacks.rules.form_hint"
    # The event first: it has a default, so the cursor starts in the name (the first
    # field still empty) and Enter goes name → days → save.
    FIELDS = (
        Field("event", "callbacks.rules.event", kind="select", options=_event_options),
        Field("name", "callbacks.rules.name", max_length=100),
        Field("days", "callbacks.rules.days", max_length=3, restrict=r"[0-9０-９]{0,3}"),
    )
    ERROR_FIELDS = {"days_after": "days"}

    def __init__(self, rule=None) -> None:
        values: dict[str, Any] = {"event": callbacks.Event.FIRST_VISIT.value}
        if rule is not None:
            values = {"event": rule.event, "name": callbacks.rule_label(rule),
                      "days": str(rule.days_after)}
        super().__init__(record_id=rule.id if rule is not None else None, values=values)

    def title_text(self) -> str:
        return t("callbacks.rules.edit_title" if self.record_id else self.TITLE_KEY)

    def submit(self, session, values: dict[str, Any]) -> str:
        days = values["days"].translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        days_after = int(days) if days.isdigit() else -1
        event = values["event"] or ""
        if self.record_id is None:
            callbacks.add_rule(session, name=values["name"], event=event,
                               days_after=days_after, by=self.staff_id)
            return t("callbacks.rules.added")
        callbacks.update_rule(session, self.record_id, name=values["name"], event=event,
                              days_after=days_after, by=self.staff_id)
        return t("callbacks.rules.changed")


class RulesScreen(AreaScreen):
    TITLE_KEY = "callbacks.rules.title"
    BINDINGS = [
        Binding("a", "add", "callbacks.key.add_rule", id="callback_rule_add"),
        Binding("e", "edit", "callbacks.key.edit_rule", id="callback_rule_edit"),
        Binding("t", "toggle", "callbacks.key.toggle_rule", id="callback_toggle_rule"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rules: list = []
        self.changed = False  # a rule added or changed: the list makes today's callbacks again

    def compose_body(self) -> ComposeResult:
        yield RoutedDataTable(id="rules-table", cursor_type="row")
        yield Static(literal(t("callbacks.rules.hint")), classes="hint")

    def on_mount(self) -> None:
        self.query_one("#rules-table", RoutedDataTable).add_columns(
            t("callbacks.rules.name"), t("callbacks.col.event"), t("callbacks.col.days"),
            t("callbacks.col.active"))

    def after_mount(self) -> None:
        self.query_one("#rules-table").focus()

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self.rules = callbacks.list_rules(session)
        table = self.query_one("#rules-table", RoutedDataTable)
        row = table.cursor_row
        table.clear()
        for rule in self.rules:
            table.add_row(literal(callbacks.rule_label(rule)),
                          Text(t(f"callbacks.event.{rule.event}")), Text(str(rule.days_after)),
                          Text(t("yes") if rule.active else t("no")))
        if self.rules:
            table.move_cursor(row=min(max(row, 0), len(self.rules) - 1))

    def selected(self):
        row = self.query_one("#rules-table", RoutedDataTable).cursor_row
        return self.rules[row] if self.rules and 0 <= row < len(self.rules) else None

    def action_add(self) -> None:
        self.app.push_screen(RuleForm(), self.rule_saved)

    def action_edit(self) -> None:
        rule = self.selected()
        if rule is not None:
            self.app.push_screen(RuleForm(rule), self.rule_saved)

    def rule_saved(self, message: str | None) -> None:
        if message:
            self.changed = True
            self.notify(message, markup=False)
        self.reload()

    def action_toggle(self) -> None:
        rule = self.selected()
        if rule is None:
            return
        rule_id, active, by = rule.id, not rule.active, self.staff_id

        def work(session) -> None:
            callbacks.set_rule_active(session, rule_id, active, by=by)

        def done(_result) -> None:
            self.changed = True
            self.reload()

        self.app.store.write(work, done=done)


class FlaggedScreen(AreaScreen):
    """Callbacks with a low score (2 or less) the manager has not dealt with yet."""

    TITLE_KEY = "callbacks.flagged.title"
    BINDINGS = [
        Binding("c", "clear_flag", "callbacks.key.clear_flag", id="callback_clear_flag"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[callbacks.Entry] = []

    def compose_body(self) -> ComposeResult:
        yield RoutedDataTable(id="flagged-table", cursor_type="row")
        yield Static(literal(t("callbacks.flagged.hint")), classes="hint")

    def on_mount(self) -> None:
        table = self.query_one("#flagged-table", RoutedDataTable)
        table.add_column(t("callbacks.col.name"), width=NAME_WIDTH)
        table.add_columns(t("callbacks.col.phone"), t("callbacks.col.consultant"),
                          t("callbacks.col.due"), t("callbacks.col.scores"))

    def after_mount(self) -> None:
        self.query_one("#flagged-table").focus()

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self.entries = callbacks.flagged(session)
            surveys = {entry.callback_id: callbacks.survey_of(session, entry.callback_id)
                       for entry in self.entries}
        table = self.query_one("#flagged-table", RoutedDataTable)
        table.clear()
        for entry in self.entries:
            survey = surveys.get(entry.callback_id)
            scores = Text()
            for number, (prefix, _) in enumerate(QUESTIONS):
                score = getattr(survey, f"{prefix}_score", None) if survey else None
                if number:
                    scores.append("/")
                low = score is not None and score <= callbacks.LOW_SCORE
                scores.append("–" if score is None else str(score),
                              style="bold red" if low else "")
            table.add_row(literal(entry.customer_name), literal(entry.phone),
                          literal(entry.consultant_name), Text(entry.due_day.isoformat()),
                          scores)

    def action_clear_flag(self) -> None:
        row = self.query_one("#flagged-table", RoutedDataTable).cursor_row
        if not self.entries or not 0 <= row < len(self.entries):
            return
        callback_id, by = self.entries[row].callback_id, self.staff_id

        def work(session) -> None:
            callbacks.clear_flag(session, callback_id, by=by)

        def done(_result) -> None:
            self.notify(t("callbacks.flagged.cleared"), markup=False)
            self.reload()

        self.app.store.write(work, done=done)
