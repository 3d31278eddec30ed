"""The manager's settings: clinic name, hours, callbacks, board alerts, the call script.

A form (``screens/form.py``), opened fresh from the dashboard (``g``) with the stored
values. Enter moves on; Enter on the last field or Ctrl+S saves every field that was
changed, each through ``settings.update`` in a savepoint of its own within the one save:
a wrong value is refused at its field (message under it, cursor there) while the right
ones are saved, and the form stays open to put it right. What was typed and not saved is
a draft (only the changed fields): Escape, a quit or a hang-up keep it, and the next
open puts it back.
"""

from dataclasses import dataclass, field
from typing import Any

from textual.widgets import Static

from reception import settings
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.widgets.text import literal

# Longest text each field takes (the script path may be long; the rule refuses the rest).
MAX_LENGTH = {"clinic_name": 200, "call_script_path": 1000}


def field_id(key: str) -> str:
    """The form's field of a setting (its id is the setting's key)."""
    return key


def error_id(key: str) -> str:
    return f"{key}-error"


@dataclass
class SettingsSaved:
    """What one save did: the saved settings as now shown, and the refused ones."""

    saved: dict[str, str] = field(default_factory=dict)
    refused: dict[str, ValidationError] = field(default_factory=dict)


class SettingsScreen(FormScreen[SettingsSaved]):
    FORM = "settings"
    TITLE_KEY = "screen.settings"
    HINT_KEY = "settings.hint"
    FIELDS = tuple(Field(key, f"settings.label.{key}", max_length=MAX_LENGTH.get(key, 40))
                   for key in settings.EDITABLE)

    def __init__(self) -> None:
        super().__init__()
        #: Each setting as stored (formatted as typed): a field showing it is unchanged.
        self.stored: dict[str, str] = {}

    def on_mount(self) -> None:
        with self.db.read() as session:
            self.stored = settings.editable_texts(session)
        self.initial.update(self.stored)

    def after_mount(self) -> None:
        self.baseline = dict(self.stored)
        for key in settings.EDITABLE:
            self.query_one(f"#row-{key}").mount(
                Static(literal(t(f"settings.unit.{key}")), classes="unit"))

    def focus_first(self) -> None:
        """Every field holds a value: the cursor starts at the first."""
        self.field(settings.EDITABLE[0]).focus()

    # --- what changed ------------------------------------------------------------------

    def changed(self, values: dict[str, Any]) -> list[str]:
        return [key for key in settings.EDITABLE
                if (values.get(key) or "").strip() != self.stored.get(key, "").strip()]

    def draft_values(self) -> dict[str, Any]:
        # Only the changed fields: the rest are the stored settings, not a draft.
        values = self.values()
        return {key: values[key] for key in self.changed(values)}

    def reload(self) -> None:
        """Another terminal changed a setting: shown, unless the field is being edited."""
        try:
            with self.db.read() as session:
                fresh = settings.editable_texts(session)
        except ReceptionError:
            return
        values = self.values()
        for key, text in fresh.items():
            if values[key] == self.stored.get(key):
                self.fill({key: text})
        self.stored = fresh
        self.initial.update(fresh)
        self.baseline = dict(fresh)

    # --- saving ------------------------------------------------------------------------

    def submit(self, session, values: dict[str, Any]) -> SettingsSaved:
        result = SettingsSaved()
        for key in self.changed(values):
            try:
                # A savepoint per setting: a refused value leaves the others saved. Any
                # other refusal (not a manager any more) ends the save: nothing is saved.
                with session.begin_nested():
                    value = settings.update(session, key, values[key], by=self.staff_id)
            except ValidationError as error:
                result.refused[key] = error
                continue
            result.saved[key] = settings.format(key, value)
        return result

    def saved(self, result: SettingsSaved) -> None:
        if result.saved:
            self.stored.update(result.saved)
            self.initial.update(result.saved)
            self.fill(result.saved)  # as stored: "9:30 20:00" → "09:30-20:00"
            names = t("settings.name_separator").join(
                t(f"settings.label.{key}") for key in result.saved)
            self.notify(t("settings.saved", names=names))
            self.app.forget_areas_off()  # areas switched on or off show at once
            self.app.refresh_bindings()
            self.app.update_status_line()
        if not result.refused:
            if not result.saved:
                self.notify(t("settings.nothing_changed"))
            self.dismiss(result)
            return
        self.is_closing = False  # open again: the wrong ones are put right here
        self.baseline = dict(self.stored)
        for key, error in result.refused.items():
            self.show_error(key, error)
        self.notify(t("settings.not_saved", count=len(result.refused)), severity="error")
        self.field(next(iter(result.refused))).focus()
        self.save_draft_now()
