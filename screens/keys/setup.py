"""The manager's key setup (dashboard ``k``): every key with the roles that may take it,
its time limit, whether a manager approves each loan, and whether it is in use; the
clinic's closing time. ``a`` adds a key, ``e`` (or Enter) edits one, ``t`` takes it out
of use or back, ``o`` sets the closing time — each through a form
(``key_setup.key[.<key id>]``, ``key_setup.closing``)."""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, SelectionList, Static

from models import Role, RoomKey
from reception import keys, settings
from reception.errors import ValidationError
from reception.i18n import t
from screens.base import AreaScreen
from screens.form import Field, FormScreen
from screens.keyroute import Routed
from screens.keys.board import ensure_keys
from screens.widgets.fields import RoutedDataTable
from screens.widgets.text import literal
from screens.widgets.ticks import TickBox, TickList


class RoutedTickList(Routed, TickList):
    pass


class RoutedTickBox(Routed, TickBox):
    pass


class KeyForm(FormScreen[str]):
    """A key added or changed: its name, who may take it, its limit, approval."""

    FORM = "key_setup.key"
    TITLE_KEY = "keys.adding"
    HINT_KEY = "keys.setup_hint"
    FIELDS = (
        Field("name", "keys.field.name", max_length=100),
        Field("roles", "keys.col.roles", kind="ticks"),
        Field("limit", "keys.field.limit", max_length=4, replace_on_focus=True),
        Field("approval", "keys.col.approval", kind="tick"),
    )
    DEFAULT_CSS = """
    KeyForm .form-row > TickList { width: 1fr; height: auto; max-height: 6; }
    KeyForm .form-row > Checkbox { width: 1fr; }
    """

    def __init__(self, key: RoomKey | None = None) -> None:
        self.key = key
        values: dict[str, Any] = {"limit": str(key.limit_minutes if key
                                                else keys.DEFAULT_LIMIT_MINUTES)}
        if key is not None:
            values.update(name=key.name, roles=keys.roles_of(key),
                          approval=key.needs_manager_approval)
        super().__init__(record_id=key.id if key else None, values=values)

    def title_text(self) -> str:
        return t("keys.editing", room=self.key.name) if self.key else t("keys.adding")

    def make_widget(self, field: Field) -> Widget:
        if field.kind == "ticks":
            return RoutedTickList(*[(t(f"role.{role.value}"), role.value) for role in Role],
                                  id=field.id, compact=True)
        if field.kind == "tick":
            return RoutedTickBox(t("keys.field.approval"), id=field.id, compact=True)
        return super().make_widget(field)

    def values(self) -> dict[str, Any]:
        values = {}
        for field in self.FIELDS:
            widget = self.field(field.id)
            if isinstance(widget, SelectionList):
                chosen = set(widget.selected)
                values[field.id] = [role.value for role in Role if role.value in chosen]
            else:
                values[field.id] = widget.value
        return values

    def fill(self, values: dict[str, Any]) -> None:
        plain = {key: value for key, value in values.items() if key not in ("roles", "approval")}
        super().fill(plain)
        with self.prevent(SelectionList.SelectedChanged, Checkbox.Changed):
            if "roles" in values:
                roles = self.query_one("#roles", SelectionList)
                roles.deselect_all()
                for role in values["roles"] or []:
                    roles.select(role)
            if "approval" in values:
                self.query_one("#approval", Checkbox).value = bool(values["approval"])

    async def key_now(self, node, key: str) -> bool:
        # A tick is acted on at once, not when the key has bubbled up to the app (by then a
        # Tab typed after it may have moved the cursor on, and the tick would be lost).
        if key == "space" and isinstance(node, SelectionList):
            node.action_select()
            return True
        if key == "space" and isinstance(node, Checkbox):
            node.toggle()
            return True
        return await super().key_now(node, key)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self._changed(event.selection_list)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._changed(event.checkbox)

    def action_save(self) -> None:
        self.by = self.staff_id
        super().action_save()

    def submit(self, session, values: dict[str, Any]) -> str:
        limit = values["limit"].strip()
        if not limit.isdigit():
            raise ValidationError("limit", "keys.limit_invalid")
        fields = dict(name=values["name"], roles=values["roles"], limit_minutes=int(limit),
                      needs_manager_approval=bool(values["approval"]))
        if self.key is None:
            return keys.add_key(session, by=self.by, **fields).name
        return keys.update_key(session, self.key.id, by=self.by, **fields).name

    def saved(self, result: str) -> None:
        self.notify(t("staff.saved"), markup=False)
        self.dismiss(result)


class ClosingForm(FormScreen[str]):
    """The clinic's closing time: a key still out after it is 'not back after closing'."""

    FORM = "key_setup.closing"
    TITLE_KEY = "keys.action.closing_time"
    FIELDS = (Field("closing_time", "keys.field.closing_time", max_length=5,
                    replace_on_focus=True),)

    def __init__(self, closing: str) -> None:
        super().__init__(values={"closing_time": closing})

    def after_mount(self) -> None:
        # The time shown is replaced by what is typed (the screen focused the field before
        # the time was put in it, so it was not selected then).
        self.field("closing_time").select_all()

    def action_save(self) -> None:
        self.by = self.staff_id
        super().action_save()

    def submit(self, session, values: dict[str, Any]) -> str:
        return keys.set_closing_time(session, values["closing_time"], by=self.by)

    def saved(self, result: str) -> None:
        self.notify(t("keys.closing_saved", time=result), markup=False)
        self.dismiss(result)


class KeySetupScreen(AreaScreen):
    """The manager's list of keys: who may take each, its limit, approval; closing time."""

    TITLE_KEY = "screen.key_setup"
    BINDINGS = [
        Binding("a", "add", "keys.action.add", id="keys.setup_add"),
        Binding("e", "edit", "keys.action.edit", id="keys.setup_edit"),
        Binding("t", "toggle_active", "keys.action.toggle_active", id="keys.setup_toggle"),
        Binding("o", "closing_time", "keys.action.closing_time", id="keys.setup_closing"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[RoomKey] = []
        self.closing = ""

    def compose_body(self) -> ComposeResult:
        with Vertical(id="setup-list"):
            yield RoutedDataTable(id="setup-table", cursor_type="row")
            yield Static(id="closing-line", classes="hint")
            yield Static(id="setup-list-error", classes="error")

    def on_mount(self) -> None:
        self.query_one("#setup-table", DataTable).add_columns(
            t("keys.field.name"), t("keys.col.roles"), t("keys.field.limit"),
            t("keys.col.approval"), t("keys.col.active"))
        ensure_keys(self, self.reload)

    def after_mount(self) -> None:
        self.query_one("#setup-table", DataTable).focus()
        # A key begun and left is put back at once: the manager sees it half-typed.
        for form, key_id in (("key_setup.key", None),
                             *((f"key_setup.key.{key.id}", key.id) for key in self._keys)):
            if FormScreen.kept_draft(self.app, form):
                self._open_form(key_id)
                break

    def refresh_data(self) -> None:
        with self.db.read() as session:
            self._keys = keys.list_keys(session, active_only=False)
            self.closing = settings.get(session, "closing_time") or ""
        table = self.query_one("#setup-table", DataTable)
        row = table.cursor_row
        table.clear()
        for key in self._keys:
            table.add_row(literal(key.name), literal(keys.roles_text(key)),
                          t("keys.limit_minutes", n=key.limit_minutes),
                          t("yes") if key.needs_manager_approval else t("no"),
                          t("yes") if key.active else t("no"))
        if self._keys:
            table.move_cursor(row=min(row, len(self._keys) - 1))
        self.query_one("#closing-line", Static).update(
            literal(t("keys.closing_line", time=self.closing)))

    def _highlighted(self) -> RoomKey | None:
        table = self.query_one("#setup-table", DataTable)
        if not self._keys or table.cursor_row >= len(self._keys):
            return None
        return self._keys[table.cursor_row]

    def _open_form(self, key_id: int | None) -> None:
        key = next((k for k in self._keys if k.id == key_id), None)
        self.app.push_screen(KeyForm(key), self._back_from_form)

    def _back_from_form(self, _result) -> None:
        self.query_one("#setup-table", DataTable).focus()
        self.app.update_status_line()

    def action_add(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        key = self._highlighted()
        if key is not None:
            self._open_form(key.id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_toggle_active(self) -> None:
        key = self._highlighted()
        if key is None:
            return
        key_id, active, by = key.id, not key.active, self.staff_id
        error = self.query_one("#setup-list-error", Static)

        def refused(problem) -> None:
            error.update(literal(str(problem)))

        def done(_key) -> None:
            error.update("")
            self.reload()

        self.app.store.write(
            lambda session: keys.update_key(session, key_id, active=active, by=by),
            done=done, failed=refused)

    def action_closing_time(self) -> None:
        self.app.push_screen(ClosingForm(self.closing), self._back_from_form)
