"""The forms a phone call reaches: a value the script asks for (the caller's surname, the
matter, a free note), a message to relay, an appointment booked on the phone.

Each is a ``FormScreen`` pushed over the call, showing the words to say above its fields.
Escape closes it and the call steps back (what was typed is kept); Ctrl+G breaks the call
off (with words typed, a second Ctrl+G confirms). What a form was left with is in
``left_values`` when its result comes back, so the call keeps it for the next time.
"""

from dataclasses import replace
from functools import cache
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from reception import calls, customers, phones
from reception.clock import clock
from reception.errors import ValidationError
from reception.i18n import t
from screens.calls.log import CallLog
from screens.calls.words import Words
from screens.form import Field, FormScreen
from screens.widgets.text import literal

#: The result of a form left with Ctrl+G: the call is broken off.
ABANDON = "abandon"


class CallForm(FormScreen[Any]):
    """What the call's forms share: the words to say, Ctrl+G, the values left with."""

    TITLE_KEY = "screen.calls"
    PART_KEY = ""
    #: The app's stylesheet pads form labels for bordered inputs; ours are one line high.
    BINDINGS = [Binding("ctrl+g", "abandon", "calls.key.abandon", id="calls-abandon")]

    def __init__(self, *, call: CallLog, say: str, do: str, crumbs: str, typed: bool,
                 values: dict[str, Any] | None = None) -> None:
        super().__init__(values=values)
        self.call = call
        self.say, self.do, self.crumbs = say, do, crumbs
        #: Words were typed earlier in the call (breaking it off then asks first).
        self.typed_before = typed
        self.confirming = False
        self.dismissed = False
        self.left_values: dict[str, Any] = {}

    def title_text(self) -> str:
        part = t(self.PART_KEY) if self.PART_KEY else ""
        return f"{t(self.TITLE_KEY)} · {part}" if part else t(self.TITLE_KEY)

    def compose_intro(self) -> ComposeResult:
        yield Static(literal(self.crumbs), id="crumbs")
        yield Words(self.say, style="bold", id="say")
        yield Words(self.do, id="do")

    def dismiss(self, result: Any = None):
        if not self.dismissed:
            self.left_values = self.values()
        self.dismissed = True
        return super().dismiss(result)

    # --- breaking the call off ----------------------------------------------------------

    def typed(self) -> bool:
        return self.typed_before or any(
            isinstance(value, str) and value.strip() and value != self.initial.get(key)
            for key, value in self.values().items())

    def action_abandon(self) -> None:
        if self.confirming or not self.typed():
            self.is_closing = True  # no draft: the call and what was typed are dropped
            self.app.store.forget_draft(self.draft_key, owner_id=self.staff_id)
            self.dismiss(ABANDON)
            return
        self.confirming = True
        warning = t("calls.confirm_abandon", key="Ctrl+G")
        self.show_problem(warning)
        self.notify(warning, severity="warning")

    def on_field_changed(self, field_id: str, value: Any) -> None:
        if self.confirming:  # typing on: the next Ctrl+G warns again
            self.confirming = False
            self.show_problem(None)


class InputForm(CallForm):
    """One value the script asks for. Enter goes on at once: the value is written with the
    call's next step (``CallScreen``), so the form itself has nothing to store."""

    def action_save(self) -> None:
        if self.is_closing:
            return
        self.is_closing = True
        self.app.store.forget_draft(self.draft_key, owner_id=self.staff_id)
        self.dismiss(self.values()["value"])


@cache
def input_form(field_name: str) -> type[InputForm]:
    """The form for the script's input field ``field_name`` (a manager's script may name
    fields of its own: their name is their label)."""
    label = f"calls.field.{field_name}"
    if t(label) == label:
        label = field_name
    return type(f"InputForm_{field_name}", (InputForm,), {
        "FORM": f"calls.field.{field_name}", "PART_KEY": label,
        "FIELDS": (Field("value", label),)})


class MessageForm(CallForm):
    FORM = "calls.message"
    PART_KEY = "calls.message.title"
    HINT_KEY = "calls.form.hint"
    FIELDS = (
        Field("recipient", "calls.message.recipient", kind="select"),
        Field("name", "calls.message.name"),
        Field("phone", "calls.message.phone"),
        Field("matter", "calls.message.matter"),
    )
    ERROR_FIELDS = {"caller_name": "name"}

    def __init__(self, *, recipients: list[tuple[str, int]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.recipients = recipients

    def make_widget(self, field: Field):
        if field.id == "recipient":
            field = replace(field, options=lambda: self.recipients)
        return super().make_widget(field)

    def submit(self, session, values: dict[str, Any]) -> dict[str, Any]:
        message = calls.take_message(
            session, recipient_id=values["recipient"], caller_name=values["name"],
            phone=values["phone"], matter=values["matter"], by=self.staff_id,
            call_id=self.call.id)
        recipient = next((label for label, staff_id in self.recipients
                          if staff_id == message.recipient_id), "")
        return {"message_id": message.id,
                "notice": t("calls.message.saved", recipient=recipient)}

    def saved(self, result: dict[str, Any]) -> None:
        self.notify(result["notice"])
        self.dismiss(result)


class BookingForm(CallForm):
    FORM = "calls.book"
    PART_KEY = "calls.book.title"
    HINT_KEY = "calls.form.hint"
    FIELDS = (
        Field("phone", "calls.book.phone"),
        Field("name", "calls.book.name"),
        Field("day", "calls.book.day", replace_on_focus=True, placeholder="YYYY-MM-DD"),
        Field("time", "calls.book.time", placeholder="HH:MM"),
        Field("consultant", "calls.book.consultant", kind="select",
              placeholder="calls.book.any_consultant"),
        Field("purpose", "calls.book.purpose"),
    )

    def __init__(self, *, consultants: list[tuple[str, int]], **kwargs) -> None:
        super().__init__(**kwargs)
        self.consultants = consultants

    def make_widget(self, field: Field):
        if field.id == "consultant":
            field = replace(field, options=lambda: self.consultants)
        return super().make_widget(field)

    def on_mount(self) -> None:
        # Under the phone: whether the caller is a customer on file.
        self.query_one("#form-body").mount(Static(id="book-found", classes="hint"),
                                           after=self.query_one("#phone-error"))

    def after_mount(self) -> None:
        self.look_up(self.values()["phone"])

    def on_field_changed(self, field_id: str, value: Any) -> None:
        super().on_field_changed(field_id, value)
        if field_id == "phone":
            self.look_up(value)

    def look_up(self, raw: str) -> None:
        found = self.query_one("#book-found", Static)
        try:
            phone = phones.normalise(raw)
        except ValidationError:
            found.update("")
            return
        with self.db.read() as session:
            customer = customers.find_by_phone(session, phone)
        if customer is None:
            found.update(literal(t("calls.book.new")))
            return
        found.update(literal(t("calls.book.found", name=customer.name)))
        if not self.values()["name"].strip():
            self.fill({"name": customer.name})

    def submit(self, session, values: dict[str, Any]) -> dict[str, Any]:
        appointment = calls.book_from_call(
            session, call_id=self.call.id, name=values["name"], phone=values["phone"],
            day_text=values["day"], time_text=values["time"],
            consultant_id=values["consultant"], purpose=values["purpose"], by=self.staff_id)
        return {"number": appointment.number,
                "time": clock.local(appointment.scheduled_at).format("YYYY-MM-DD HH:mm"),
                "notice": t("calls.book.saved", number=appointment.number)}

    def saved(self, result: dict[str, Any]) -> None:
        self.notify(result["notice"])
        self.dismiss(result)
