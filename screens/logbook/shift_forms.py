"""F8's forms of the shift: the manager's checklist items and due times, the handover
written by the outgoing staff member and acknowledged by the incoming one with her PIN."""

from typing import Any

from textual.widgets import Static

from reception import checklists, handover, settings
from reception.clock import clock
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.logbook.forms import ClearsPin
from screens.widgets.text import literal


class ItemForm(FormScreen[int]):
    """A checklist item added (the checklist chosen) or reworded (manager)."""

    FORM = "logbook.item"
    TITLE_KEY = "checklist.item_title"

    def __init__(self, *, item_id: int | None = None, text: str = "",
                 checklist: str = "opening") -> None:
        self.FIELDS = ((Field("text", "checklist.field.text", max_length=100),)
                       if item_id is not None else (
            Field("checklist", "checklist.field.checklist", kind="select",
                  options=lambda: [(t(f"checklist.name.{name}"), name)
                                   for name in checklists.CHECKLISTS]),
            Field("text", "checklist.field.text", max_length=100)))
        super().__init__(record_id=item_id, values={"text": text} if item_id is not None
                         else {"text": text, "checklist": checklist})

    def submit(self, session, values: dict[str, Any]) -> int:
        if self.record_id is not None:
            return checklists.reword_item(session, self.record_id, values["text"],
                                          by=self.staff_id).id
        return checklists.add_item(session, values["checklist"] or "", values["text"],
                                   by=self.staff_id).id


class DueTimesForm(FormScreen[bool]):
    """Dusk by season and the patrol's interval (manager; stored as settings)."""

    FORM = "logbook.due_times"
    TITLE_KEY = "checklist.due_title"
    HINT_KEY = "checklist.due_hint"
    FIELDS = (
        Field("dusk_times", "settings.label.dusk_times", max_length=40,
              placeholder="settings.unit.dusk_times"),
        Field("patrol_minutes", "settings.label.patrol_minutes", max_length=4),
    )

    def __init__(self, current: dict[str, str]) -> None:
        super().__init__(values=current)

    def submit(self, session, values: dict[str, Any]) -> bool:
        for key in ("dusk_times", "patrol_minutes"):
            settings.update(session, key, values[key], by=self.staff_id)
        return True


def contents_widgets(note: str, contents: dict):
    for line in handover.summary_lines(contents):
        yield Static(literal(line), classes="handover-line")
    if note:
        yield Static(literal(t("handover.note_line", note=note)), classes="handover-note")


class HandoverForm(FormScreen[int]):
    """The outgoing staff member's note; what the app knows is shown above it and kept."""

    FORM = "logbook.handover"
    TITLE_KEY = "handover.form_title"
    HINT_KEY = "handover.form_hint"
    FIELDS = (Field("note", "handover.field.note", kind="area"),)

    def __init__(self, contents: dict) -> None:
        self.contents = contents
        super().__init__()

    def compose_intro(self):
        yield from contents_widgets("", self.contents)

    def submit(self, session, values: dict[str, Any]) -> int:
        return handover.write(session, note=values["note"], by=self.staff_id).id

    def saved(self, result: int) -> None:
        self.notify(t("handover.written"))
        self.dismiss(result)


class AcknowledgeForm(ClearsPin, FormScreen[int]):
    """The incoming staff member reads the handover and acknowledges it with her PIN."""

    FORM = "logbook.acknowledge"
    TITLE_KEY = "handover.ack_title"
    HINT_KEY = "handover.ack_hint"
    FIELDS = (Field("pin", "handover.field.pin", kind="pin", max_length=12),)

    def __init__(self, note: handover.Note) -> None:
        self.note = note
        super().__init__(record_id=note.handover.id)

    def title_text(self) -> str:
        return t(self.TITLE_KEY, name=self.note.from_name, day=self.note.handover.day,
                 time=clock.local(self.note.handover.created_at).format("HH:mm"))

    def compose_intro(self):
        yield from contents_widgets(self.note.handover.note, self.note.contents)

    def submit(self, session, values: dict[str, Any]) -> int:
        return handover.acknowledge(session, self.note.handover.id, pin=values["pin"],
                                    by=self.staff_id).id

    def saved(self, result: int) -> None:
        self.notify(t("handover.acknowledged", name=self.note.from_name))
        self.dismiss(result)


def offer_pending(app) -> None:
    """At sign-in: a handover nobody has acknowledged yet is put in front of her."""
    staff_id = app.staff.id if app.staff else None

    def found(note) -> None:
        if note is not None and app.staff is not None and app.staff.id == staff_id:
            app.push_screen(AcknowledgeForm(note))

    app.store.read(lambda session: handover.pending(session, staff_id), done=found,
                   failed=lambda error: None)
