"""F8's logbook forms: an entry of one kind (its own fields; the supplies' taker confirms
with her PIN), a correction (the entry's values put right, with the reason) and striking
an entry out (the reason only). The log is never edited: each saves a new entry.

Each kind keeps its own draft (``logbook.entry.<kind id>``), each correction its own
(``logbook.correct.<entry id>``).
"""

from typing import Any

from textual.widgets import Static

from reception import logbook
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.widgets.text import literal


def entry_fields(kind: logbook.Kind, suggestions: dict[str, list[str]]) -> tuple[Field, ...]:
    fields = []
    for field_id, label in kind.fields:
        names = suggestions.get(field_id)
        fields.append(Field(field_id, label, max_length=200,
                            suggest=(lambda names=names: names) if names else None))
        if field_id == "requester":  # the taker confirms there and then
            fields.append(Field("pin", "logbook.field.pin", kind="pin", max_length=12))
    return tuple(fields)


class ClearsPin:
    """A wrong PIN is typed again from the start (as at sign-in)."""

    def show_error(self, field_id: str, error) -> None:
        if field_id == "pin" and error is not None:
            # The emptied field is what was "submitted": its echo keeps the error shown.
            self.submitted = {**self.submitted, "pin": ""}
            self.fill({"pin": ""})
        super().show_error(field_id, error)


class EntryForm(ClearsPin, FormScreen[int]):
    """A new entry of today's log of ``kind``."""

    FORM = "logbook.entry"
    TITLE_KEY = "logbook.entry_title"
    HINT_KEY = "logbook.entry_hint"

    def __init__(self, kind: logbook.Kind, suggestions: dict[str, list[str]] | None = None,
                 *, restore: bool = True) -> None:
        self.kind = kind
        self.FIELDS = entry_fields(kind, suggestions or {})
        super().__init__(record_id=kind.id, restore=restore)

    def title_text(self) -> str:
        return t(self.TITLE_KEY, kind=self.kind.name)

    def submit(self, session, values: dict[str, Any]) -> int:
        return logbook.add_entry(session, self.kind.id, values, by=self.staff_id,
                                 pin=values.get("pin", "")).id

    def saved(self, result: int) -> None:
        self.notify(t("logbook.entry_saved", kind=self.kind.name))
        self.dismiss(result)


class CorrectionForm(ClearsPin, FormScreen[int]):
    """An entry put right: its values as they stand, to change, and why."""

    FORM = "logbook.correct"
    TITLE_KEY = "logbook.correct_title"
    HINT_KEY = "logbook.correct_hint"

    def __init__(self, kind: logbook.Kind, line: logbook.Line,
                 suggestions: dict[str, list[str]] | None = None) -> None:
        self.kind = kind
        self.line = line
        self.FIELDS = (*entry_fields(kind, suggestions or {}),
                       Field("note", "logbook.field.note", max_length=200))
        values = {field_id: str(line.values.get(field_id, "")) for field_id, _ in kind.fields}
        super().__init__(record_id=line.entry_id, values=values)

    def title_text(self) -> str:
        return t(self.TITLE_KEY, kind=self.kind.name, entry=self.line.entry_id)

    def submit(self, session, values: dict[str, Any]) -> int:
        fields = {field_id: values[field_id] for field_id, _ in self.kind.fields}
        return logbook.correct(session, self.line.entry_id, by=self.staff_id,
                               note=values["note"], values=fields,
                               pin=values.get("pin", "")).id

    def saved(self, result: int) -> None:
        self.notify(t("logbook.corrected", entry=self.line.entry_id))
        self.dismiss(result)


class StrikeForm(FormScreen[int]):
    """An entry struck out (written by mistake): the reason is kept with it."""

    FORM = "logbook.strike"
    TITLE_KEY = "logbook.strike_title"
    FIELDS = (Field("note", "logbook.field.note", max_length=200),)

    def __init__(self, kind: logbook.Kind, line: logbook.Line) -> None:
        self.kind = kind
        self.line = line
        super().__init__(record_id=line.entry_id)

    def title_text(self) -> str:
        return t(self.TITLE_KEY, kind=self.kind.name, entry=self.line.entry_id)

    def compose_intro(self):
        shown = " · ".join(f"{label} {self.line.value(field_id)}"
                           for field_id, label in self.kind.fields
                           if self.line.value(field_id))
        yield Static(literal(shown), classes="hint")

    def submit(self, session, values: dict[str, Any]) -> int:
        return logbook.correct(session, self.line.entry_id, by=self.staff_id,
                               note=values["note"]).id

    def saved(self, result: int) -> None:
        self.notify(t("logbook.struck", entry=self.line.entry_id))
        self.dismiss(result)


class KindForm(FormScreen[int]):
    """The manager adds a logbook of her own (a name, its fields one a line), or changes
    one: renamed, its fields, put away (y/n in use). A built-in one can only be put away."""

    FORM = "logbook.kind"
    TITLE_KEY = "logbook.kind_title"
    HINT_KEY = "logbook.kind_hint"

    def __init__(self, kind: logbook.Kind | None = None) -> None:
        self.kind = kind
        builtin = kind is not None and bool(kind.code)
        self.FIELDS = (() if builtin else (
            Field("name", "logbook.kind_field.name", max_length=60),
            Field("fields", "logbook.kind_field.fields", kind="area"))) + (
            (Field("active", "logbook.kind_field.active", max_length=3,
                   placeholder="logbook.yes_no"),) if kind is not None else ())
        values = {} if kind is None else {
            "name": kind.name, "fields": "\n".join(label for _id, label in kind.fields),
            "active": "y" if kind.active else "n"}
        super().__init__(record_id=kind.id if kind else None, values=values)

    def title_text(self) -> str:
        return self.kind.name if self.kind else t("logbook.kind_new")

    def submit(self, session, values: dict[str, Any]) -> int:
        from reception import triage_forms

        if self.kind is None:
            return logbook.add_kind(session, name=values["name"], fields=values["fields"],
                                    by=self.staff_id).id
        return logbook.update_kind(
            session, self.kind.id, name=values.get("name", ""),
            fields=values.get("fields", ""),
            active=triage_forms.read_yes_no(values["active"] or "y", "active"),
            by=self.staff_id).id
