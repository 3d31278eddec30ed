"""The register form (咨询登记表) of a first visit: path A, or path B once the appointment is
picked (its name, phone and purpose filled in).

Saving the form goes on to the consultant step, pushed over it; confirming there triages
the customer and closes both. Escape there comes back to the form as it was typed. A first
visit keeps its draft as ``triage.customer``, a booked one as ``triage.customer.<appointment>``.
"""

from typing import Any

from textual.widgets import Select, Static

from reception import customers, phones, triage
from reception.clock import clock
from reception.errors import ValidationError
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.triage.common import shown
from screens.triage.consultant import ConsultantScreen, Refused, WalkIn
from screens.widgets.text import update_if_changed

SOURCES = ("friend", "online", "ad", "passing", "returning")


class CustomerForm(FormScreen[Any]):
    FORM = "triage.customer"
    TITLE_KEY = "triage.form_title"
    HINT_KEY = "triage.form_hint"
    FIELDS = (
        Field("name", "triage.field.name"),
        Field("phone", "triage.field.phone"),
        Field("gender", "triage.field.gender", kind="select",
              options=lambda: [(t(f"triage.gender.{code}"), code) for code in "fmx"],
              placeholder="triage.gender_prompt"),
        Field("interest", "triage.field.interest"),
        Field("source", "triage.field.source",
              suggest=lambda: [t(f"triage.source.{key}") for key in SOURCES]),
    )

    def __init__(self, path: str = "A", appointment=None, *, restore: bool = True) -> None:
        values: dict[str, Any] = {}
        if appointment is not None:
            values = {"name": appointment.name, "phone": appointment.phone,
                      "interest": appointment.purpose}
        super().__init__(record_id=appointment.id if appointment is not None else None,
                         values=values, restore=restore)
        self.path = path if appointment is None else "B"
        self.appointment = appointment

    def title_text(self) -> str:
        return f"{t('triage.form_title')} · {t(f'triage.path.{self.path}')}"

    def make_widget(self, field: Field):
        if field.kind == "select":  # its prompt is a catalogue key
            field = Field(field.id, field.label, kind="select", options=field.options,
                          placeholder=t(field.placeholder))
        return super().make_widget(field)

    def compose_intro(self):
        line = ""
        if self.appointment is not None:
            appointment = self.appointment
            line = t("triage.appointment_for", number=appointment.number,
                     time=clock.local(appointment.scheduled_at).format("HH:mm"),
                     purpose=appointment.purpose)
        yield Static(shown(line), id="appointment-line")

    def compose_outro(self):
        yield Static(id="phone-note", classes="note")

    def on_mount(self) -> None:
        # (The base's on_mount runs after this one and fills the fields: check then.)
        self.call_after_refresh(lambda: self.check_phone_on_file(self.values()["phone"]))

    def focus_first(self) -> None:
        if self.appointment is not None and self.restored_context is None:
            # Booked: the appointment filled it in; Enter goes on, ↑ reaches the rest.
            self.field(self.FIELDS[-1].id).focus()
        else:
            super().focus_first()

    # --- live checks ---------------------------------------------------------------------

    def on_field_changed(self, field_id: str, value: Any) -> None:
        if field_id == "phone":
            self.check_phone_on_file(value)

    def check_phone_on_file(self, raw: str) -> None:
        """Say whose phone this is, if a customer has it (read off the UI thread)."""
        note = self.query_one("#phone-note", Static)
        update_if_changed(note, "")
        try:
            normalised = phones.normalise(raw)
        except ValidationError:
            return

        def found(name: str | None) -> None:
            # Typed on (or closed) meanwhile: the answer is for a phone no longer there.
            if name is not None and self.is_attached and self.values().get("phone") == raw:
                update_if_changed(note, shown(t("triage.phone_on_file", name=name)))

        self.app.store.read(
            lambda session: getattr(customers.find_by_phone(session, normalised), "name", None),
            done=found, failed=lambda error: None)

    # --- keys ----------------------------------------------------------------------------

    async def key_now(self, node, key: str) -> bool:
        # Enter on the gender box goes on like on every field (Space or ↓ opens it): it
        # is optional, and Enter must not choose for the customer.
        if key == "enter" and isinstance(node, Select) and not node.expanded:
            self.next_or_save(node)
            return True
        return await super().key_now(node, key)

    # --- on to the consultant ------------------------------------------------------------

    def action_save(self) -> None:
        """Checked here (no write yet): then the consultant step, which triages."""
        if self.is_saving or self.is_closing:
            return
        values = self.values()
        self.clear_errors()
        errors = triage.validate_customer_fields(name=values["name"], phone=values["phone"])
        if errors:
            for field_id, error in errors.items():
                self.show_error(field_id, error)
            self.field(next(iter(errors))).focus()
            return
        walk_in = WalkIn(self.path, appointment_id=self.record_id,
                         form={**values, "gender": values["gender"] or ""})
        self.app.push_screen(ConsultantScreen(walk_in), self.consultant_done)

    def consultant_done(self, result: Any) -> None:
        if result is None:
            return  # back from the consultant step: the form as typed
        if isinstance(result, Refused):
            field_id = self.ERROR_FIELDS.get(result.error.field, result.error.field)
            self.show_error(field_id, result.error)
            self.field(field_id).focus()
            return
        # Triaged, or already here (what was typed is not needed: the customer is here).
        self.is_closing = True
        self.app.store.forget_draft(self.draft_key, owner_id=self.staff_id)
        self.dismiss(result)
