"""F8's forms at the desk: a meeting-room or VIP-room booking, and the visitor
registration form (客人来访登记表) on the visitor's record."""

from typing import Any

from reception import rooms, triage_forms, visitor_register
from reception.i18n import t
from reception.visitor_register import Registration
from screens.form import Field, FormScreen


class BookingForm(FormScreen[int]):
    """A room, a day (blank: today), start and end (blank: an hour), host, people, needs."""

    FORM = "logbook.booking"
    TITLE_KEY = "rooms.form_title"
    HINT_KEY = "rooms.form_hint"

    def __init__(self, room_names: list[str]) -> None:
        self.room_names = room_names
        self.FIELDS = (
            Field("room", "rooms.field.room", kind="select",
                  options=lambda: [(name, name) for name in self.room_names]),
            Field("day", "rooms.field.day", max_length=10, placeholder="rooms.today"),
            Field("start", "rooms.field.start", max_length=5),
            Field("end", "rooms.field.end", max_length=5),
            Field("host", "rooms.field.host", max_length=100),
            Field("people", "rooms.field.people", max_length=3),
            Field("tea", "rooms.field.tea", max_length=3, placeholder="logbook.yes_no"),
            Field("ac", "rooms.field.ac", max_length=3, placeholder="logbook.yes_no"),
        )
        super().__init__(values={"room": room_names[0]} if room_names else None)

    def submit(self, session, values: dict[str, Any]) -> int:
        return rooms.book(
            session, room=values["room"] or "", day=values["day"], start=values["start"],
            end=values["end"], host=values["host"], people=values["people"],
            tea=triage_forms.read_yes_no(values["tea"], "tea"),
            air_conditioning=triage_forms.read_yes_no(values["ac"], "ac"),
            by=self.staff_id).id

    def saved(self, result: int) -> None:
        self.notify(t("rooms.booked"))
        self.dismiss(result)


REGISTRATION_FIELDS = ("name", "company", "people", "purpose", "host", "room", "id_checked",
                       "drink", "badge")


class RegistrationForm(FormScreen[int]):
    """The registration form: a new visitor (of the kind chosen first), or the form of a
    visitor already logged (at triage) filled in."""

    FORM = "logbook.visitor"
    TITLE_KEY = "visitors.form_title"
    HINT_KEY = "visitors.form_hint"

    def __init__(self, *, kind: str = "other", visitor_id: int | None = None,
                 values: dict[str, str] | None = None, staff_names: list[str] | None = None
                 ) -> None:
        names = staff_names or []
        self.kind = kind
        self.FIELDS = tuple(
            Field(name, f"visitors.field.{name}", max_length=200,
                  suggest=(lambda: names) if name == "host" and names else None,
                  placeholder="logbook.yes_no" if name == "id_checked" else "")
            for name in REGISTRATION_FIELDS)
        super().__init__(record_id=visitor_id, values=values)

    def title_text(self) -> str:
        return t(self.TITLE_KEY, kind=t(f"triage.visitor.{self.kind}"))

    def draft_context(self) -> dict[str, Any]:
        return {"kind": self.kind}

    def submit(self, session, values: dict[str, Any]) -> int:
        kind = (self.restored_context or {}).get("kind", self.kind)
        form = Registration(kind=kind, **{name: values[name] for name in REGISTRATION_FIELDS})
        return visitor_register.register(session, form, visitor_id=self.record_id,
                                         by=self.staff_id).id

    def saved(self, result: int) -> None:
        self.notify(t("visitors.registered", name=self.values()["name"]))
        self.dismiss(result)
