"""During and at the end of the stay: a request or complaint relayed to a department, its
answer (a complaint is answered within ten minutes), and check-out (§4.7.2) with the
deposit given back less deductions and the satisfaction survey."""

from textual.widgets import Static

from reception import stays
from reception.i18n import t
from reception.stay_values import yuan
from screens.form import Field, FormScreen
from screens.stays.contract import yes_no_options
from screens.stays.desk import method_options
from screens.widgets.text import literal


class RequestForm(FormScreen[int]):
    FORM = "stays.request"
    TITLE_KEY = "stays.request_title"
    HINT_KEY = "stays.request_hint"
    FIELDS = (
        Field("kind", "stays.field.kind", kind="select",
              options=lambda: [(t(f"stays.kind.{kind}"), kind) for kind in stays.REQUEST_KINDS]),
        Field("department", "stays.field.department", kind="select",
              options=lambda: [(t(f"stays.dept.{dept}"), dept)
                               for dept in stays.REQUEST_DEPARTMENTS]),
        Field("text", "stays.field.text", max_length=2000),
    )

    def __init__(self, summary) -> None:
        super().__init__(record_id=summary.contract_id)
        self.summary = summary

    def compose_intro(self):
        yield Static(literal(f"{self.summary.room} {self.summary.name}"))

    def submit(self, session, values: dict) -> int:
        return stays.add_request(session, self.record_id, kind=values.get("kind") or "",
                                 text=values.get("text") or "",
                                 department=values.get("department") or "",
                                 by=self.staff_id).id

    def saved(self, result) -> None:
        kind = self.submitted.get("kind")
        self.notify(t("stays.complaint_noted") if kind == "complaint"
                    else t("stays.request_noted"))
        self.dismiss(result)


class AnswerForm(FormScreen[int]):
    FORM = "stays.answer"
    TITLE_KEY = "stays.answer_title"
    FIELDS = (
        Field("answer", "stays.field.answer", max_length=2000),
        Field("done", "stays.field.done", kind="select", options=yes_no_options),
    )

    def __init__(self, line: stays.RequestLine) -> None:
        super().__init__(record_id=line.request_id, values={"done": "n"})
        self.line = line

    def compose_intro(self):
        line = self.line
        yield Static(literal(f"{line.room} {line.name} · {t(f'stays.kind.{line.kind}')} · "
                             f"{t(f'stays.dept.{line.department}')}"))
        yield Static(literal(line.text))
        if line.answer:
            yield Static(literal(line.answer))

    def submit(self, session, values: dict) -> int:
        return stays.answer(session, self.record_id, values.get("answer") or "",
                            done=values.get("done") == "y", by=self.staff_id).id

    def saved(self, result) -> None:
        self.notify(t("stays.answered"))
        self.dismiss(result)


class CorrectForm(FormScreen[str]):
    """A payment taken wrongly is never changed: a correction line undoes it."""

    FORM = "stays.correct"
    TITLE_KEY = "stays.correct_title"
    HINT_KEY = "stays.correct_hint"
    FIELDS = (Field("reason", "stays.field.reason", max_length=200),)

    def __init__(self, payment) -> None:
        super().__init__(record_id=payment.id)
        self.payment = payment

    def compose_intro(self):
        yield Static(literal(payment_text(self.payment)))

    def submit(self, session, values: dict) -> str:
        return stays.correct(session, self.record_id, reason=values.get("reason") or "",
                             by=self.staff_id).receipt

    def saved(self, result: str) -> None:
        self.notify(t("stays.corrected", receipt=result))
        self.dismiss(result)


def payment_text(payment) -> str:
    """``S20261122-001 Deposit · Cash 2,000``."""
    fee = f" + {yuan(payment.fee)}" if payment.fee else ""
    return (f"{payment.receipt} {t(f'stays.kind.{payment.kind}')} · "
            f"{t(f'stays.method_short.{payment.method}')} {yuan(payment.amount)}{fee}")


class CheckOutForm(FormScreen[stays.Refund]):
    FORM = "stays.check_out"
    TITLE_KEY = "stays.check_out_title"
    HINT_KEY = "stays.check_out_hint"
    FIELDS = (
        Field("day", "stays.field.out_day", max_length=10),
        Field("items_confirmed", "stays.field.items_confirmed", kind="select",
              options=yes_no_options),
        Field("room_checked", "stays.field.room_checked", kind="select",
              options=yes_no_options),
        Field("lost_cards", "stays.field.lost_cards", max_length=2),
        Field("other", "stays.field.other", max_length=14),
        Field("other_reason", "stays.field.other_reason", max_length=200),
        Field("refund", "stays.field.refund", max_length=14),
        Field("refund_method", "stays.field.refund_method", kind="select",
              options=lambda: method_options(stays.DEPOSIT_METHODS)),
        Field("survey_score", "stays.field.survey_score", max_length=1),
        Field("survey_text", "stays.field.survey_text", max_length=2000),
    )

    def __init__(self, summary) -> None:
        super().__init__(record_id=summary.contract_id,
                         values={"lost_cards": "0", "refund_method": "cash"})
        self.summary = summary

    def compose_intro(self):
        found = self.summary
        yield Static(literal(t("stays.check_out_summary", room=found.room, name=found.name,
                                deposit=yuan(found.deposit_held),
                                card=yuan(found.lost_card_fee))))

    def focus_first(self) -> None:
        self.field("items_confirmed").focus()

    def submit(self, session, values: dict) -> stays.Refund:
        clean = {key: value or "" for key, value in values.items()}
        return stays.check_out(session, self.record_id, clean, by=self.staff_id)

    def saved(self, result: stays.Refund) -> None:
        self.notify(t("stays.checked_out", name=self.summary.name,
                      refund=yuan(result.amount), deducted=yuan(result.deducted)))
        self.dismiss(result)
