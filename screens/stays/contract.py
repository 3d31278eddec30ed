"""The contract handover at signing (§4.2.1 签约客户交接表) and the archive that grows
through the stay (§4.2.2 客户档案登记表): two forms, every field read by
``reception.stays`` (dates, money in yuan, phones), a refusal said at its field."""

from textual.widgets import Static

from reception import stays
from reception.i18n import t
from reception.stay_values import yuan
from screens.form import Field, FormScreen
from screens.widgets.text import literal


def yes_no_options():
    return [(t("stays.yes"), "y"), (t("stays.no"), "n")]


def _text(field_id: str, **extra) -> Field:
    return Field(field_id, f"stays.field.{field_id}", **extra)


class ContractForm(FormScreen[int]):
    FORM = "stays.contract"
    TITLE_KEY = "stays.contract_title"
    HINT_KEY = "stays.contract_hint"

    def __init__(self, staff_names: list[str]) -> None:
        self.FIELDS = (
            _text("number", max_length=40), _text("name", max_length=100),
            _text("phone", max_length=20), _text("id_number", max_length=20),
            _text("emergency_name", max_length=100),
            _text("emergency_relation", max_length=40),
            _text("emergency_phone", max_length=20), _text("address", max_length=500),
            _text("package", max_length=100), _text("days", max_length=3),
            _text("list_price", max_length=14), _text("price", max_length=14),
            _text("first_payment", max_length=14), _text("balance_due", max_length=14),
            _text("card_fee", max_length=14), _text("signed_day", max_length=10),
            _text("hospital", max_length=100),
            Field("hospital_escort", "stays.field.hospital_escort", kind="select",
                  options=yes_no_options),
            _text("due_day", max_length=10), _text("room", max_length=40),
            _text("in_contract", max_length=2000),
            _text("not_in_contract", max_length=2000),
            _text("other_terms", max_length=2000),
            _text("special_requests", max_length=2000),
            Field("sales", "stays.field.sales", suggest=lambda: staff_names),
            Field("service", "stays.field.service", suggest=lambda: staff_names),
        )
        super().__init__(values={"days": "28"})

    def submit(self, session, values: dict) -> int:
        clean = {key: value or "" for key, value in values.items()}
        return stays.sign(session, clean, by=self.staff_id).id

    def saved(self, result) -> None:
        self.notify(t("stays.signed", number=self.submitted.get("number", "")))
        self.dismiss(result)


ARCHIVE_SELECTS = {
    "delivery_mode": lambda: [(t(f"stays.mode.{mode}"), mode) for mode in stays.DELIVERY_MODES],
    "baby_sex": lambda: [(t(f"stays.sex.{sex}"), sex) for sex in stays.BABY_SEXES],
}


class ArchiveForm(FormScreen[int]):
    FORM = "stays.archive"
    TITLE_KEY = "stays.archive_title"
    HINT_KEY = "stays.archive_hint"
    FIELDS = tuple(
        Field(key, f"stays.field.{key}", kind="select", options=ARCHIVE_SELECTS[key])
        if key in ARCHIVE_SELECTS else Field(key, f"stays.field.{key}", max_length=200)
        for key in stays.ARCHIVE_FIELDS)

    def __init__(self, summary, values: dict[str, str]) -> None:
        values = {key: (value or None) if key in ARCHIVE_SELECTS else value
                  for key, value in values.items()}
        super().__init__(record_id=summary.contract_id, values=values)
        self.summary = summary

    def compose_intro(self):
        yield Static(literal(t("stays.summary", number=self.summary.number,
                                name=self.summary.name, room=self.summary.room or "—",
                                balance=yuan(self.summary.balance_due))))

    def submit(self, session, values: dict) -> int:
        clean = {key: value or "" for key, value in values.items()}
        return stays.update_archive(session, self.record_id, clean, by=self.staff_id).id

    def saved(self, result) -> None:
        self.notify(t("stays.archive_saved", number=self.summary.number))
        self.dismiss(result)
