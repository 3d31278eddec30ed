"""The manager's settings: clinic name, hours, callbacks, board alerts, the call script.

One labelled field per setting, filled with the stored values. Enter moves on; Enter on
the last field or Ctrl+S saves every field that was changed, each through
``settings.update`` on its own, so a wrong value is refused at its field (message under
it, cursor there) while the right ones are saved. What was typed and not saved is a draft:
Escape, a quit or a hang-up keep it, and the next open puts it back.
"""

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from reception import settings
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from screens.base import AreaScreen, DraftForm
from screens.widgets.text import literal

# Longest text each field takes (the script path may be long; the rule refuses the rest).
MAX_LENGTH = {"clinic_name": 200, "call_script_path": 1000}


def field_id(key: str) -> str:
    return f"setting-{key}"


def error_id(key: str) -> str:
    return f"setting-error-{key}"


class SettingsScreen(DraftForm, AreaScreen):
    CSS_PATH = "settings.tcss"
    TITLE_KEY = "screen.settings"
    DRAFT_FORM = "settings"
    DRAFT_FIELDS = tuple(field_id(key) for key in settings.EDITABLE)
    BINDINGS = [
        Binding("ctrl+s", "save", "settings.key.save", id="settings.save"),
        # Before the Inputs' own Ctrl+D (delete right): drops every change typed here.
        Binding("ctrl+d", "revert", "settings.key.revert", id="settings.revert",
                priority=True),
        Binding("down", "app.focus_next", "key.next_field", id="settings.next",
                show=False),
        Binding("up", "app.focus_previous", "key.previous_field", id="settings.previous",
                show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # The stored value of each setting as last put in its field: a field still
        # showing it is unchanged (and follows changes made elsewhere).
        self._shown: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="settings-form"):
            for key in settings.EDITABLE:
                with Horizontal(classes="setting-row"):
                    yield Label(literal(t(f"settings.label.{key}")))
                    yield Input(id=field_id(key), compact=True,
                                max_length=MAX_LENGTH.get(key, 40))
                    yield Label(literal(t(f"settings.unit.{key}")), classes="unit")
                yield Static(id=error_id(key), classes="setting-error")
            yield Static(id="settings-problem", classes="setting-error")
            yield Static(literal(t("settings.hint")), id="settings-hint", classes="hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(f"#{field_id(settings.EDITABLE[0])}", Input).focus()
        draft = self.load_draft()
        if draft:
            self.apply_draft({name: value for name, value in draft.items()
                              if name in self.DRAFT_FIELDS})
            self.notify(t("settings.draft_restored"), timeout=8)

    def refresh_data(self) -> None:
        with self.db.read() as session:
            stored = {key: settings.format(key, settings.get(session, key))
                      for key in settings.EDITABLE}
        for key, text in stored.items():
            field = self.query_one(f"#{field_id(key)}", Input)
            # A field being edited keeps what the manager typed.
            if key not in self._shown or field.value == self._shown[key]:
                field.value = text
            self._shown[key] = text

    # --- what changed: the draft ---------------------------------------------------

    def _typed(self, key: str) -> str:
        return self.query_one(f"#{field_id(key)}", Input).value

    def changed_keys(self) -> list[str]:
        return [key for key in settings.EDITABLE
                if self._typed(key).strip() != self._shown.get(key, "").strip()]

    def draft_values(self) -> dict[str, Any]:
        # Only the changed fields: the rest are the stored settings, not a draft.
        return {field_id(key): self._typed(key) for key in self.changed_keys()}

    def schedule_draft_save(self) -> None:
        # Filling the fields from the store is not typing.
        if self._ready:
            super().schedule_draft_save()

    # --- keys ------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == field_id(settings.EDITABLE[-1]):
            self.action_save()
        else:
            self.focus_next()

    def action_back(self) -> None:
        self.save_draft_now()
        super().action_back()

    def action_revert(self) -> None:
        for key in settings.EDITABLE:
            self.query_one(f"#{field_id(key)}", Input).value = self._shown.get(key, "")
            self._show_error(key, "")
        self._show_problem("")
        self.discard_draft()
        self.notify(t("settings.reverted"))

    def action_save(self) -> None:
        self._show_problem("")
        changed = self.changed_keys()
        if not changed:
            for key in settings.EDITABLE:
                self._show_error(key, "")
            self.notify(t("settings.nothing_changed"))
            return
        saved: list[str] = []
        wrong: list[str] = []
        for key in settings.EDITABLE:
            self._show_error(key, "")
            if key not in changed:
                continue
            try:
                # One write per setting: a refused value leaves the others saved.
                with self.db.write() as session:
                    value = settings.update(session, key, self._typed(key), by=self.staff_id)
            except ValidationError as problem:
                self._show_error(key, str(problem))
                wrong.append(key)
                continue
            except ReceptionError as problem:  # not a manager (any more): nothing is saved
                self._show_problem(str(problem))
                self.notify(str(problem), severity="error")
                return
            shown = settings.format(key, value)
            self._shown[key] = shown
            self.query_one(f"#{field_id(key)}", Input).value = shown
            saved.append(key)
        if saved:
            names = t("settings.name_separator").join(
                t(f"settings.label.{key}") for key in saved)
            self.notify(t("settings.saved", names=names))
            self.app.update_status_line()
        if wrong:
            self.notify(t("settings.not_saved", count=len(wrong)), severity="error")
            self.query_one(f"#{field_id(wrong[0])}", Input).focus()
            self.save_draft_now()
        else:
            self.discard_draft()

    def _show_error(self, key: str, message: str) -> None:
        error = self.query_one(f"#{error_id(key)}", Static)
        error.update(literal(message))
        error.set_class(bool(message), "-shown")

    def _show_problem(self, message: str) -> None:
        problem = self.query_one("#settings-problem", Static)
        problem.update(literal(message))
        problem.set_class(bool(message), "-shown")
