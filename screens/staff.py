"""Manager screens: staff (add, edit, activate/deactivate, set PIN) and the rota by day.

The lists are area screens whose single keys start the work; adding, editing and a new
PIN are forms (``screens/form.py``) pushed over the list; every write goes through the
store's writer.
"""

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Label, Static

from reception import lockout
from reception import staff as staff_service
from reception.clock import clock
from reception.i18n import t
from screens.base import AreaScreen
from screens.form import Field, FormScreen
from screens.reconcile_forms import DayForm
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal


def role_options() -> list[tuple[str, str]]:
    return [(t(f"role.{role}"), role) for role in staff_service.ROLES]


class StaffForm(FormScreen[int]):
    """Add a staff member (``record_id`` None) or edit one: name, role, PIN (kept when
    left empty on an edit)."""

    FORM = "staff.form"
    TITLE_KEY = "staff.add_title"
    HINT_KEY = "staff.pin_hint"
    FIELDS = (
        Field("name", "staff.field.name", max_length=100),
        Field("role", "staff.field.role", kind="select", options=role_options),
        Field("pin", "staff.field.pin", kind="pin", max_length=12),
    )

    def __init__(self, member: dict[str, Any] | None = None) -> None:
        self.member = member
        values = {"name": member["name"], "role": member["role"]} if member else None
        super().__init__(record_id=member["id"] if member else None, values=values)

    def title_text(self) -> str:
        if self.member:
            return t("staff.edit_title", name=self.member["name"])
        return t("staff.add_title")

    def on_mount(self) -> None:
        self.field("pin").restrict = r"\d*"

    def focus_first(self) -> None:
        """At the name, also when editing (the PIN left empty keeps it)."""
        self.field("name").focus()

    def submit(self, session, values: dict[str, Any]) -> int:
        role = values["role"] or ""
        if self.record_id is None:
            return staff_service.add_staff(session, name=values["name"], role=role,
                                           pin=values["pin"], by=self.staff_id).id
        return staff_service.update_staff(session, self.record_id, by=self.staff_id,
                                          name=values["name"], role=role,
                                          pin=values["pin"] or None).id

    def saved(self, result: int) -> None:
        self.notify(t("staff.saved"))
        self.dismiss(result)


class PinForm(FormScreen[int]):
    FORM = "staff.pin"
    TITLE_KEY = "staff.set_pin"
    HINT_KEY = "auth.pin_rule"
    FIELDS = (Field("pin", "staff.field.pin", kind="pin", max_length=12),)

    def __init__(self, member: dict[str, Any]) -> None:
        super().__init__(record_id=member["id"])
        self.member = member

    def title_text(self) -> str:
        return t("staff.pin_title", name=self.member["name"])

    def on_mount(self) -> None:
        self.field("pin").restrict = r"\d*"

    def submit(self, session, values: dict[str, Any]) -> int:
        return staff_service.set_pin(session, self.record_id, values["pin"],
                                     by=self.staff_id).id

    def saved(self, result: int) -> None:
        self.notify(t("staff.saved"))
        self.dismiss(result)


class StaffScreen(AreaScreen):
    TITLE_KEY = "screen.staff"
    BINDINGS = [
        *AreaScreen.BINDINGS,
        Binding("a", "add", "staff.add", id="staff_add"),
        Binding("e", "edit", "staff.edit", id="staff_edit"),
        Binding("t", "toggle_active", "staff.toggle_active", id="staff_toggle"),
        Binding("p", "set_pin", "staff.set_pin", id="staff_pin"),
        Binding("u", "unlock", "staff.unlock", id="staff_unlock"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.members: list[dict[str, Any]] = []

    def compose_body(self) -> ComposeResult:
        yield RoutedDataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#staff-table", DataTable).add_columns(
            t("col.name"), t("col.role"), t("col.active"), t("col.locked"))

    def refresh_data(self) -> None:
        table = self.query_one("#staff-table", DataTable)
        row = table.cursor_row
        table.clear()
        with self.db.read() as session:
            self.members = [{"id": member.id, "name": member.name, "role": str(member.role),
                             "active": member.active,
                             "locked_until": lockout.locked_until(session, member.id)}
                            for member in staff_service.list_staff(session, active_only=False)]
        for member in self.members:
            until = member["locked_until"]
            table.add_row(literal(member["name"]), Text(t(f"role.{member['role']}")),
                          Text(t("yes") if member["active"] else t("no")),
                          Text(lockout.until_text(until) if until else "", style="bold"),
                          key=str(member["id"]))
        if self.members:
            table.move_cursor(row=min(row, len(self.members) - 1))

    def selected(self) -> dict[str, Any] | None:
        table = self.query_one("#staff-table", DataTable)
        if not self.members or not 0 <= table.cursor_row < len(self.members):
            return None
        return self.members[table.cursor_row]

    def action_add(self) -> None:
        self.app.push_screen(StaffForm())

    def action_edit(self) -> None:
        member = self.selected()
        if member is not None:
            self.app.push_screen(StaffForm(member))

    def action_set_pin(self) -> None:
        member = self.selected()
        if member is not None:
            self.app.push_screen(PinForm(member))

    def action_unlock(self) -> None:
        """Lift a lock after too many wrong PINs (audited; the domain asks for a manager)."""
        member = self.selected()
        if member is None:
            return
        staff_id, name, by = member["id"], member["name"], self.staff_id

        def unlocked(lifted: bool) -> None:
            self.notify(t("staff.unlocked" if lifted else "staff.not_locked", name=name))
            self.reload()

        self.app.store.write(lambda session: lockout.unlock(session, staff_id, by=by),
                             done=unlocked)

    def action_toggle_active(self) -> None:
        member = self.selected()
        if member is None:
            return
        staff_id, active, by = member["id"], not member["active"], self.staff_id
        error = self.query_one("#error", Static)
        error.update("")

        def refused(problem) -> None:
            error.update(literal(str(problem)))

        def toggled(_result) -> None:
            self.notify(t("staff.saved"))
            self.reload()

        self.app.store.write(lambda session: staff_service.update_staff(
            session, staff_id, by=by, active=active).id, done=toggled, failed=refused)


class RotaScreen(AreaScreen):
    """The rota of one day: who is on duty, in the order the rotation takes them."""

    TITLE_KEY = "screen.rota"
    BINDINGS = [
        *AreaScreen.BINDINGS,
        Binding("space", "toggle", "rota.toggle", id="rota_toggle"),
        Binding("u", "move(-1)", "rota.move_up", id="rota_up"),
        Binding("d", "move(1)", "rota.move_down", id="rota_down"),
        Binding("left,comma", "shift_day(-1)", "rota.prev_day", id="rota_prev"),
        Binding("right,full_stop", "shift_day(1)", "rota.next_day", id="rota_next"),
        Binding("c", "copy_previous", "rota.copy_previous", id="rota_copy"),
        Binding("g", "choose_day", "rota.choose_day", id="rota_day"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.day = clock.today()
        self.on_duty_ids: list[int] = []
        self.everyone: list[int] = []

    def compose_body(self) -> ComposeResult:
        yield Label(id="rota-day")
        yield RoutedDataTable(id="rota-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#rota-table", DataTable).add_columns(
            t("rota.on_duty"), t("col.name"), t("col.role"))

    def refresh_data(self) -> None:
        with self.db.read() as session:
            everyone = staff_service.list_staff(session)
            self.on_duty_ids = [s.id for s in staff_service.on_duty(session, self.day)]
        order = {staff_id: index for index, staff_id in enumerate(self.on_duty_ids)}
        everyone.sort(key=lambda s: (order.get(s.id, len(order)), s.role, s.name))
        self.everyone = [member.id for member in everyone]
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
        row = self.query_one("#rota-table", DataTable).cursor_row
        return self.everyone[row] if 0 <= row < len(self.everyone) else None

    def _store(self, staff_ids: list[int], *, cursor: int | None = None) -> None:
        day, by = self.day, self.staff_id

        def stored(_result) -> None:
            self.reload()
            if cursor is not None:
                self.query_one("#rota-table", DataTable).move_cursor(row=cursor)

        self.app.store.write(lambda session: staff_service.set_rota(
            session, day, staff_ids, by=by), done=stored)

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
        self._store(ids, cursor=target)

    def action_shift_day(self, step: int) -> None:
        self.day = self.day.fromordinal(self.day.toordinal() + step)
        self.reload()

    def action_choose_day(self) -> None:
        self.app.push_screen(RotaDayForm(self.day), self._day_chosen)

    def _day_chosen(self, day) -> None:
        if day is not None:
            self.day = day
            self.reload()

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


class RotaDayForm(DayForm):
    """Which day's rota to show (any day the app knows; nothing is written)."""

    FORM = "rota.day"
