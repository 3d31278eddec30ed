"""Manager screens: staff (add, activate/deactivate, set PIN) and the rota by day."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from reception import auth
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import ReceptionError
from reception.i18n import t
from screens.base import AreaScreen
from screens.widgets.text import literal


class StaffScreen(AreaScreen):
    CSS_PATH = "staff.tcss"
    TITLE_KEY = "screen.staff"
    BINDINGS = [
        Binding("a", "add", "staff.add", id="staff_add"),
        Binding("t", "toggle_active", "staff.toggle_active", id="staff_toggle"),
        Binding("p", "set_pin", "staff.set_pin", id="staff_pin"),
    ]

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="staff-form", classes="form-row"):
            yield Input(placeholder=t("col.name"), id="staff-name")
            yield Select([(t(f"role.{role}"), role) for role in staff_service.ROLES],
                         prompt=t("col.role"), id="staff-role", compact=True)
            yield Input(placeholder=t("signin.pin"), id="staff-pin", password=True,
                        restrict=r"\d*", max_length=12)
        yield Static(id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#staff-table", DataTable).add_columns(
            t("col.name"), t("col.role"), t("col.active"))
        self.query_one("#staff-form").display = False
        super().on_mount()

    def refresh_data(self) -> None:
        table = self.query_one("#staff-table", DataTable)
        row = table.cursor_row
        table.clear()
        with self.db.read() as session:
            members = staff_service.list_staff(session, active_only=False)
        for member in members:
            table.add_row(literal(member.name), Text(t(f"role.{member.role}")),
                          Text(t("yes") if member.active else t("no")), key=str(member.id))
        if members:
            table.move_cursor(row=min(row, len(members) - 1))

    def _selected_id(self) -> int | None:
        table = self.query_one("#staff-table", DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _save(self, action) -> bool:
        error = self.query_one("#error", Static)
        try:
            with self.db.write() as session:
                action(session)
        except ReceptionError as problem:
            error.update(Text(str(problem)))
            return False
        error.update("")
        self.notify(t("staff.saved"), markup=False)
        self.refresh_data()
        return True

    def action_add(self) -> None:
        self._mode = "add"
        self.query_one("#error", Static).update("")
        form = self.query_one("#staff-form")
        form.display = True
        self.query_one("#staff-name").display = True
        self.query_one("#staff-role").display = True
        self.query_one("#staff-name", Input).focus()

    def action_set_pin(self) -> None:
        if self._selected_id() is None:
            return
        self._mode = "pin"
        self.query_one("#error", Static).update("")
        self.query_one("#staff-pin", Input).value = ""
        self.query_one("#staff-form").display = True
        self.query_one("#staff-name").display = False
        self.query_one("#staff-role").display = False
        self.query_one("#staff-pin", Input).focus()

    def action_toggle_active(self) -> None:
        staff_id = self._selected_id()
        if staff_id is None:
            return
        with self.db.read() as session:
            member = session.get(staff_service.Staff, staff_id)
        self._save(lambda session: staff_service.update_staff(
            session, staff_id, by=self.staff_id, active=not member.active))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = self.query_one("#staff-name", Input)
        role = self.query_one("#staff-role", Select)
        pin = self.query_one("#staff-pin", Input)
        if self._mode == "add" and event.input is name:
            role.focus()
            return
        if self._mode == "add":
            chosen = "" if role.is_blank() else role.value
            saved = self._save(lambda session: staff_service.add_staff(
                session, name=name.value, role=chosen, pin=pin.value, by=self.staff_id))
        else:
            staff_id = self._selected_id()

            def set_pin(session) -> None:
                # An empty PIN is refused, not "saved" with nothing changed.
                auth.check_pin_rule(pin.value)
                staff_service.update_staff(session, staff_id, by=self.staff_id, pin=pin.value)

            saved = self._save(set_pin)
        if saved:
            name.value = pin.value = ""
            self.query_one("#staff-form").display = False
            self.query_one("#staff-table").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self._mode == "add" and not event.select.is_blank():
            self.query_one("#staff-pin", Input).focus()

    def action_back(self) -> None:
        form = self.query_one("#staff-form")
        if form.display:
            form.display = False
            self.query_one("#error", Static).update("")
            self.query_one("#staff-table").focus()
            return
        super().action_back()

    _mode = "add"


class RotaScreen(AreaScreen):
    """The rota of one day: who is on duty, in the order the rotation takes them."""

    CSS_PATH = "staff.tcss"
    TITLE_KEY = "screen.rota"
    BINDINGS = [
        Binding("space", "toggle", "rota.toggle", id="rota_toggle"),
        Binding("u", "move(-1)", "rota.move_up", id="rota_up"),
        Binding("d", "move(1)", "rota.move_down", id="rota_down"),
        Binding("left,comma", "shift_day(-1)", "rota.prev_day", id="rota_prev"),
        Binding("right,full_stop", "shift_day(1)", "rota.next_day", id="rota_next"),
        Binding("c", "copy_previous", "rota.copy_previous", id="rota_copy"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day = clock.today()
        self.on_duty_ids: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield Label(id="rota-day")
        yield DataTable(id="rota-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#rota-table", DataTable).add_columns(
            t("rota.on_duty"), t("col.name"), t("col.role"))
        super().on_mount()

    def refresh_data(self) -> None:
        with self.db.read() as session:
            everyone = staff_service.list_staff(session)
            self.on_duty_ids = [s.id for s in staff_service.on_duty(session, self.day)]
        order = {staff_id: index for index, staff_id in enumerate(self.on_duty_ids)}
        everyone.sort(key=lambda s: (order.get(s.id, len(order)), s.role, s.name))
        table = self.query_one("#rota-table", DataTable)
        row = table.cursor_row
        table.clear()
        for member in everyone:
            position = order.get(member.id)
            table.add_row(Text("✓ " + str(position + 1) if position is not None else ""),
                          literal(member.name), Text(t(f"role.{member.role}")),
                          key=str(member.id))
        if everyone:
            table.move_cursor(row=min(row, len(everyone) - 1))
        self.query_one("#rota-day", Label).update(
            Text(f"{t('rota.day')}: {self.day:%Y-%m-%d}  ({len(self.on_duty_ids)})"))

    def _selected_id(self) -> int | None:
        table = self.query_one("#rota-table", DataTable)
        if not table.row_count:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _store(self, staff_ids: list[int], day=None) -> None:
        try:
            with self.db.write() as session:
                staff_service.set_rota(session, day or self.day, staff_ids, by=self.staff_id)
        except ReceptionError as problem:
            self.notify(str(problem), severity="error", markup=False)
        self.refresh_data()

    def action_toggle(self) -> None:
        staff_id = self._selected_id()
        if staff_id is None:
            return
        if staff_id in self.on_duty_ids:
            self._store([i for i in self.on_duty_ids if i != staff_id])
        else:
            self._store([*self.on_duty_ids, staff_id])

    def action_move(self, step: int) -> None:
        staff_id = self._selected_id()
        if staff_id not in self.on_duty_ids:
            return
        ids = list(self.on_duty_ids)
        index = ids.index(staff_id)
        target = max(0, min(len(ids) - 1, index + step))
        ids.insert(target, ids.pop(index))
        self._store(ids)
        self.query_one("#rota-table", DataTable).move_cursor(row=target)

    def action_shift_day(self, step: int) -> None:
        self.day = self.day.fromordinal(self.day.toordinal() + step)
        self.refresh_data()

    def action_copy_previous(self) -> None:
        previous = self.day.fromordinal(self.day.toordinal() - 1)
        with self.db.read() as session:
            ids = [s.id for s in staff_service.on_duty(session, previous)]
        if not ids:
            # Copying an empty day would wipe this day's rota without a word.
            self.notify(t("rota.previous_empty", day=f"{previous:%Y-%m-%d}"),
                        severity="warning", markup=False)
            return
        self._store(ids)
