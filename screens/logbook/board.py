"""F8: the counter's logbooks, checklists, room bookings, visitors and handover.

One board, several views: the digits 1–9 show a logbook (1 deliveries, 2 parking tickets,
3 supplies, 4 drinks, then the manager's own), ``c`` the day's checklists, ``b`` room
bookings, ``v`` visitors, ``o`` the handover. ``a`` adds to the view shown (an entry, a
booking, a visitor's form, a handover); the other keys act on the highlighted row.
Every rule is in the domain (``reception.logbook``, ``checklists``, ``rooms``,
``visitor_register``, ``handover``); the board shows what it reads and opens the forms.
"""

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from reception import (
    checklists,
    days,
    desk_setup,
    handover,
    logbook,
    logbook_rules,
    rooms,
    settings,
    triage_forms,
    visitor_register,
)
from reception.clock import clock
from reception.errors import ReceptionError
from reception.i18n import t
from screens.base import AreaScreen
from screens.choose import Choose
from screens.logbook import views
from screens.logbook.desk_forms import BookingForm, RegistrationForm
from screens.logbook.forms import CorrectionForm, EntryForm, KindForm, StrikeForm
from screens.logbook.shift_forms import AcknowledgeForm, DueTimesForm, HandoverForm, ItemForm
from screens.triage.visitor import kind_chooser
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal

#: The keys of each view besides ``a`` (the board shows only the current view's).
VIEW_ACTIONS = {
    "kind": {"add", "correct", "strike", "kinds"},
    "checklist": {"tick", "new_item", "edit", "remove_item", "due_times"},
    "rooms": {"add", "prepared", "cancel_booking"},
    "visitors": {"add", "edit", "badge_back", "left", "to_hr"},
    "handover": {"add", "acknowledge"},
}
MANAGER_ACTIONS = {"new_item", "remove_item", "due_times", "kinds"}
COLUMN_MAX = 30


class LogbookScreen(AreaScreen):
    TITLE_KEY = "screen.logbook"
    BINDINGS = [
        *[Binding(str(digit), f"show_kind({digit})", show=False, id=f"logbook.kind{digit}")
          for digit in range(1, 10)],
        Binding("c", "show('checklist')", "logbook.view.checklist", id="logbook.checklist",
                show=False),
        Binding("b", "show('rooms')", "logbook.view.rooms", id="logbook.rooms",
                show=False),
        Binding("v", "show('visitors')", "logbook.view.visitors", id="logbook.visitors",
                show=False),
        Binding("o", "show('handover')", "logbook.view.handover", id="logbook.handover",
                show=False),
        Binding("a", "add", "logbook.action.add", id="logbook.add"),
        Binding("t", "tick", "checklist.action.tick", id="logbook.tick"),
        Binding("x", "correct", "logbook.action.correct", id="logbook.correct"),
        Binding("d", "strike", "logbook.action.strike", id="logbook.strike"),
        Binding("e", "edit", "logbook.action.edit", id="logbook.edit"),
        Binding("m", "kinds", "logbook.action.kinds", id="logbook.kinds"),
        Binding("n", "new_item", "checklist.action.new", id="logbook.new_item"),
        Binding("delete", "remove_item", "checklist.action.remove", id="logbook.remove_item"),
        Binding("g", "due_times", "checklist.action.due_times", id="logbook.due_times"),
        Binding("p", "prepared", "rooms.action.prepared", id="logbook.prepared"),
        Binding("z", "cancel_booking", "rooms.action.cancel", id="logbook.cancel_booking"),
        Binding("r", "badge_back", "visitors.action.badge_back", id="logbook.badge_back"),
        Binding("l", "left", "visitors.action.left", id="logbook.left"),
        Binding("j", "to_hr", "visitors.action.to_hr", id="logbook.to_hr"),
        Binding("k", "acknowledge", "handover.action.acknowledge", id="logbook.acknowledge"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: "checklist", "rooms", "visitors", "handover" or a kind's id.
        self.view_name: str | int = "checklist"
        self.kinds: list[logbook.Kind] = []
        self.view: views.View | None = None

    def compose_body(self) -> ComposeResult:
        with Vertical(id="logbook"):
            yield Static(id="views-line", classes="hint")
            yield Static(id="view-title", classes="section")
            yield RoutedDataTable(id="logbook-table", cursor_type="row", zebra_stripes=True)
            yield Static(id="logbook-detail", classes="hint")
            yield Static(id="logbook-error", classes="error")

    def on_mount(self) -> None:
        with self.db.read() as session:
            missing = desk_setup.missing(session)
        if missing:
            self.app.store.write(desk_setup.ensure, done=lambda _none: self._ready_to_use())

    def after_mount(self) -> None:
        self.query_one("#logbook-table", DataTable).focus()
        # Overdue items and the rooms to prepare move on with the clock.
        self.set_interval(30, self.reload)

    def _ready_to_use(self) -> None:
        self.reload()
        self.app.update_status_line()

    # --- what the board shows ------------------------------------------------------------

    @property
    def view_kind(self) -> str:
        return "kind" if isinstance(self.view_name, int) else self.view_name

    def current_kind(self) -> logbook.Kind | None:
        return next((kind for kind in self.kinds if kind.id == self.view_name), None)

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self.kinds = logbook.kinds(session)
            kind = self.current_kind()
            if self.view_kind == "kind" and kind is None:
                self.view_name = "checklist"
            view = (views.kind_view(session, kind) if kind is not None
                    else views.BUILDERS[self.view_name](session))
            signed_off = days.is_signed_off(session, clock.today())
        self.view = view
        names = "  ".join(
            f"{number} {kind.name}" for number, kind in enumerate(self.kinds[:9], 1))
        self.query_one("#views-line", Static).update(Text("\n").join(
            literal(line) for line in t("logbook.views", kinds=names).split("\n")))
        self.query_one("#view-title", Static).update(literal(view.title))
        table = self.query_one("#logbook-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        for index, header in enumerate(view.columns):
            # Each column as wide as its widest cell (up to a limit), in any language.
            widest = max([cell_len(header), *[cell_len(cells[index].plain)
                                              for cells in view.rows]])
            table.add_column(Text(header), width=min(widest, COLUMN_MAX))
        for cells in view.rows:
            table.add_row(*cells)
        if view.rows:
            table.move_cursor(row=min(row, len(view.rows) - 1))
        detail = view.empty if not view.rows else ""
        if signed_off:
            detail = t("day.signed_off", day=clock.today().isoformat())
        self.query_one("#logbook-detail", Static).update(literal(detail))
        self.show_detail()
        self.refresh_bindings()

    def show_detail(self) -> None:
        """Under the handover list: what the highlighted handover holds."""
        record = self.highlighted()
        if isinstance(record, handover.Note):
            lines = handover.summary_lines(record.contents)
            if record.handover.note:
                lines.append(t("handover.note_line", note=record.handover.note))
            self.query_one("#logbook-detail", Static).update(literal("\n".join(lines)))

    def on_data_table_row_highlighted(self, _event) -> None:
        if self.view_kind == "handover":
            self.show_detail()

    def highlighted(self):
        table = self.query_one("#logbook-table", DataTable)
        if self.view is None or not self.view.records:
            return None
        if table.cursor_row >= len(self.view.records):
            return None
        return self.view.records[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        owned = {name for names in VIEW_ACTIONS.values() for name in names}
        if action not in owned:
            return True
        if (action in MANAGER_ACTIONS or action == "edit" and self.view_kind == "checklist") \
                and not self.app.is_manager:
            return False
        return action in VIEW_ACTIONS[self.view_kind]

    def show_record(self, record_type: str, record_id: int) -> None:
        """The night check's Enter: the checklist, or a visitor's row."""
        self.action_show("visitors" if record_type == "visitor" else "checklist")
        if self.view is None:
            return
        for row, record in enumerate(self.view.records):
            if getattr(record, "id", getattr(record, "item_id", None)) == record_id:
                self.query_one("#logbook-table", DataTable).move_cursor(row=row)
                break

    # --- switching views -------------------------------------------------------------------

    def action_show(self, name: str) -> None:
        self.view_name = name
        self._clear_refusal()
        self.reload()

    def action_show_kind(self, number: int) -> None:
        if number <= len(self.kinds):
            self.action_show(self.kinds[number - 1].id)

    # --- refusals --------------------------------------------------------------------------

    def _refuse(self, problem: ReceptionError) -> None:
        line = self.query_one("#logbook-error", Static)
        line.update(literal(str(problem)))
        line.display = True
        self.notify(str(problem), severity="error")

    def _clear_refusal(self) -> None:
        self.query_one("#logbook-error", Static).display = False

    def _write(self, work, notice: str = "") -> None:
        """A one-key action through the store: the refusal said on the board."""
        def done(_result) -> None:
            self._clear_refusal()
            if notice:
                self.notify(notice)
            self.reload()
            self.app.update_status_line()

        self.app.store.write(work, done=done, failed=self._refuse)

    def _opened(self, _result) -> None:
        self.reload()
        self.app.update_status_line()

    # --- the keys --------------------------------------------------------------------------

    def action_add(self) -> None:
        self._clear_refusal()
        kind = self.current_kind()
        if kind is not None:
            with self.db.read() as session:
                suggestions = logbook_rules.suggestions(session, kind)
            self.app.push_screen(EntryForm(kind, suggestions), self._opened)
        elif self.view_name == "rooms":
            with self.db.read() as session:
                names = [room.name for room in rooms.rooms(session)]
            self.app.push_screen(BookingForm(names), self._opened)
        elif self.view_name == "visitors":
            self.app.push_screen(kind_chooser(self._registration_form), self._opened)
        elif self.view_name == "handover":
            with self.db.read() as session:
                contents = handover.contents(session)
            self.app.push_screen(HandoverForm(contents), self._opened)

    def _registration_form(self, kind: str) -> RegistrationForm:
        with self.db.read() as session:
            names = triage_forms.staff_names(session)
        return RegistrationForm(kind=kind, staff_names=names)

    def action_correct(self) -> None:
        line, kind = self.highlighted(), self.current_kind()
        if isinstance(line, logbook.Line) and kind is not None:
            with self.db.read() as session:
                suggestions = logbook_rules.suggestions(session, kind)
            self.app.push_screen(CorrectionForm(kind, line, suggestions), self._opened)

    def action_strike(self) -> None:
        line, kind = self.highlighted(), self.current_kind()
        if isinstance(line, logbook.Line) and kind is not None:
            self.app.push_screen(StrikeForm(kind, line), self._opened)

    def action_kinds(self) -> None:
        """The manager's logbooks: every kind (those put away too), or a new one."""
        with self.db.read() as session:
            every = logbook.kinds(session, active_only=False)
        options = [(t("logbook.kind_new"), "new")] + [
            (kind.name if kind.active else t("logbook.kind_away", name=kind.name), kind)
            for kind in every]
        self.app.push_screen(Choose(t("logbook.action.kinds"), options, then=lambda kind: KindForm(
            None if kind == "new" else kind)), self._opened)

    def action_tick(self) -> None:
        slot = self.highlighted()
        if isinstance(slot, checklists.Slot):
            by = self.staff_id
            self._write(lambda session: checklists.tick(
                session, slot.item_id, round_number=slot.round or None, by=by),
                t("checklist.ticked", item=slot.text))

    def action_edit(self) -> None:
        record = self.highlighted()
        if isinstance(record, checklists.Slot) and self.app.is_manager:
            self.app.push_screen(ItemForm(item_id=record.item_id, text=record.text),
                                 self._opened)
        elif self.view_name == "visitors" and record is not None:
            with self.db.read() as session:
                names = triage_forms.staff_names(session)
            self.app.push_screen(RegistrationForm(
                kind=record.kind, visitor_id=record.id,
                values=visitor_register.form_values(record), staff_names=names), self._opened)

    def action_new_item(self) -> None:
        slot = self.highlighted()
        checklist = slot.checklist if isinstance(slot, checklists.Slot) else "opening"
        self.app.push_screen(ItemForm(checklist=checklist), self._opened)

    def action_remove_item(self) -> None:
        slot = self.highlighted()
        if isinstance(slot, checklists.Slot):
            by = self.staff_id
            self._write(lambda session: checklists.remove_item(session, slot.item_id, by=by),
                        t("checklist.removed", item=slot.text))

    def action_due_times(self) -> None:
        with self.db.read() as session:
            current = {key: settings.format(key, settings.get(session, key))
                       for key in ("dusk_times", "patrol_minutes")}
        self.app.push_screen(DueTimesForm(current), self._opened)

    def _booking_action(self, act, notice_key: str) -> None:
        found = self.highlighted()
        if isinstance(found, rooms.Booking):
            by, booking_id = self.staff_id, found.booking.id
            self._write(lambda session: act(session, booking_id, by=by),
                        t(notice_key, room=found.room, times=found.times()))

    def action_prepared(self) -> None:
        self._booking_action(rooms.mark_prepared, "rooms.prepared_notice")

    def action_cancel_booking(self) -> None:
        self._booking_action(rooms.cancel, "rooms.cancelled_notice")

    def _visitor_action(self, act, notice_key: str) -> None:
        visitor = self.highlighted()
        if visitor is not None and self.view_name == "visitors":
            by, visitor_id = self.staff_id, visitor.id
            self._write(lambda session: act(session, visitor_id, by=by),
                        t(notice_key, name=visitor.name))

    def action_badge_back(self) -> None:
        self._visitor_action(visitor_register.badge_returned, "visitors.badge_back_notice")

    def action_left(self) -> None:
        self._visitor_action(visitor_register.left, "visitors.left_notice")

    def action_to_hr(self) -> None:
        self._visitor_action(visitor_register.hand_to_hr, "visitors.to_hr_notice")

    def action_acknowledge(self) -> None:
        note = self.highlighted()
        if isinstance(note, handover.Note):
            self.app.push_screen(AcknowledgeForm(note), self._opened)
