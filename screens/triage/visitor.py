"""Someone at the desk who is not a customer (seed 002 §12, §13): what kind of visitor
(a list: 1–4 pick), then who, for whom, whether expected, why.

"For whom" suggests the staff's names as it is typed; Tab or Enter takes the suggestion,
and a name of the staff links the visitor to that person. A courier's parcel is signed
for at the desk: logged as received, and the notice says so.
"""

from collections.abc import Callable
from typing import Any

from textual.widgets import Static

from reception import triage, triage_forms
from reception.errors import ReceptionError
from reception.i18n import t
from screens.choose import Choose
from screens.form import Field, FormScreen
from screens.widgets.text import literal


def kind_chooser(then: Callable[[str], Any]) -> Choose:
    """What kind of visitor, then ``then(kind)``: the form for that kind."""
    return Choose(t("triage.path.visitor"),
                  [(t(f"triage.visitor.{kind}"), kind) for kind in triage.VISITOR_KINDS],
                  hint=t("triage.visitor_script"), then=then)


def staff_names(app) -> list[str]:
    try:
        with app.db.read() as session:
            return triage_forms.staff_names(session)
    except ReceptionError:
        return []


class VisitorForm(FormScreen[Any]):
    FORM = "triage.visitor"
    TITLE_KEY = "triage.path.visitor"
    HINT_KEY = "triage.visitor_hint"
    FIELDS = (
        Field("name", "triage.field.visitor_name"),
        Field("phone", "triage.field.visitor_phone"),
        Field("host", "triage.field.visitor_host"),
        Field("appt", "triage.field.visitor_appt", max_length=3),
        Field("reason", "triage.field.visitor_reason"),
    )
    ERROR_FIELDS = {"visitor_name": "name", "visitor_host": "host"}

    def __init__(self, kind: str = "other", *, restore: bool = True) -> None:
        super().__init__(restore=restore)
        self.kind = kind if kind in triage.VISITOR_KINDS else "other"
        self.names: list[str] = []

    def title_text(self) -> str:
        return f"{t('triage.path.visitor')} · {t(f'triage.visitor.{self.kind}')}"

    def make_widget(self, field: Field):
        if field.id == "host":  # the staff, read once as the form opens
            self.names = staff_names(self.app)
            field = Field(field.id, field.label, suggest=lambda: self.names)
        return super().make_widget(field)

    def compose_intro(self):
        yield Static(literal(t("triage.visitor_script")), classes="hint")

    def on_mount(self) -> None:
        # (The base's on_mount runs after this one and puts a kept draft back.)
        self.call_after_refresh(self.kind_of_draft)

    def kind_of_draft(self) -> None:
        kind = (self.restored_context or {}).get("kind")
        if kind in triage.VISITOR_KINDS and kind != self.kind:
            self.kind = kind
            self.query_one(".form-title", Static).update(literal(self.title_text()))

    def draft_context(self) -> dict[str, Any]:
        return {"kind": self.kind}

    def submit(self, session, values: dict[str, Any]):
        visitor = triage.log_visitor(
            session, kind=self.kind, name=values["name"], phone=values["phone"],
            host=values["host"], has_appointment=triage_forms.read_yes_no(values["appt"]),
            reason=values["reason"], by=self.staff_id)
        return visitor.id, visitor.name, visitor.host, visitor.decision

    def saved(self, result) -> None:
        visitor_id, name, host, decision = result
        # What is said is what was stored: a courier is received, nobody is asked.
        if decision == "received":
            message = t("triage.visitor_logged_received", name=name, host=host) if host \
                else t("triage.visitor_logged_no_host", name=name)
        else:
            message = t("triage.visitor_logged", name=name, host=host) if host \
                else t("triage.visitor_logged_no_host", name=name)
        self.notify(message)
        self.dismiss(visitor_id)
