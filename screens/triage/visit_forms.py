"""A visit's outcome (deal or no deal, and when they left) and a visit's fix (the night
check's corrections), each a form over the board with its own draft per visit
(``triage.outcome.<visit>``, ``triage.fix.<visit>``).

Every field's mistake is shown under it at once (the rules read the whole form, see
``reception.triage_forms``); the store checks them again as it saves.
"""

from typing import Any

from rich.text import Text
from textual.widgets import Static

from reception import days, triage, triage_forms
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.triage.common import shown


class VisitForm(FormScreen[Any]):
    """Shared by both: opened with the visit's detail, read before the form opens."""


    def __init__(self, detail: triage.VisitDetail, *, values: dict[str, Any] | None = None,
                 restore: bool = True) -> None:
        super().__init__(record_id=detail.visit.id, values=values, restore=restore)
        self.detail = detail

    def show_errors(self, errors: dict[str, ValidationError]) -> None:
        for domain_field, error in errors.items():
            self.show_error(self.ERROR_FIELDS.get(domain_field, domain_field), error)
        first = next(iter(errors))
        self.field(self.ERROR_FIELDS.get(first, first)).focus()

    def action_save(self) -> None:
        """Every field's mistake at once, before the store is asked."""
        if self.is_saving or self.is_closing:
            return
        self.clear_errors()
        errors = self.errors(self.values())
        if errors:
            self.show_errors(errors)
            return
        super().action_save()

    def errors(self, values: dict[str, Any]) -> dict[str, ValidationError]:
        return {}


class OutcomeForm(VisitForm):
    FORM = "triage.outcome"
    TITLE_KEY = "triage.outcome_title"
    HINT_KEY = "triage.outcome_hint"
    FIELDS = (
        Field("outcome", "triage.field.outcome", max_length=2),
        Field("items", "triage.field.items"),
        Field("amount", "triage.field.amount", max_length=16),
        Field("departed", "triage.field.departed", max_length=8),
    )

    def compose_intro(self):
        detail = self.detail
        summary = shown(detail.customer.name, 40)
        summary.append(f" · {t(f'triage.path.{detail.visit.path}')} · ")
        summary.append_text(shown(detail.consultant.name if detail.consultant
                                  else t("triage.nobody")))
        summary.append(" · " + clock.local(detail.visit.arrived_at).format("HH:mm"))
        yield Static(summary, id="outcome-summary")

    def next_or_save(self, node) -> None:
        # No deal: nothing more to ask — Enter saves at once (now as the departure).
        if node.id == "outcome" and node.value.strip() == "2":
            self.action_save()
        else:
            super().next_or_save(node)

    def errors(self, values: dict[str, Any]) -> dict[str, ValidationError]:
        return triage_forms.read_outcome(self.detail.visit, **values)[1]

    def submit(self, session, values: dict[str, Any]) -> triage_forms.Closed:
        return triage_forms.close_visit(session, self.record_id, by=self.staff_id, **values)

    def saved(self, result: triage_forms.Closed) -> None:
        self.notify(t("triage.outcome_saved", name=result.name,
                      outcome=t(f"triage.outcome.{result.outcome}")) + " · " + t("triage.goodbye"))
        if result.case_number:
            # Said only when this deal gave the case number (a first deal).
            self.notify(t("triage.case_number_given", name=result.name,
                          case=result.case_number), timeout=15)
        self.dismiss(result.visit_id)


class FixForm(VisitForm):
    FORM = "triage.fix"
    HINT_KEY = "triage.fix_hint"
    FIELDS = (
        Field("name", "triage.field.name"),
        Field("phone", "triage.field.phone"),
        Field("consultant", "triage.field.consultant", max_length=3),
        Field("outcome", "triage.fix_outcome_field", max_length=2),
        Field("items", "triage.field.items"),
        Field("amount", "triage.field.amount", max_length=16),
        Field("departed", "triage.field.departed", max_length=8),
    )
    #: What the night check finds missing, in the order the cursor looks for it.
    MISSING_FIRST = ("name", "phone", "consultant", "outcome", "departed")

    def __init__(self, detail: triage.VisitDetail, consultants: list, **kwargs) -> None:
        self.consultants = consultants
        self.consultant_ids = [member.id for member in consultants]
        super().__init__(detail, values=triage_forms.current_fix_values(
            detail, self.consultant_ids), **kwargs)

    def title_text(self) -> str:
        visit = self.detail.visit
        return t("triage.fix_title", id=visit.id, day=visit.day.isoformat())

    def compose_intro(self):
        visit, customer = self.detail.visit, self.detail.customer
        summary = Text(f"{t(f'triage.path.{visit.path}')} · "
                       f"{clock.local(visit.arrived_at).format('HH:mm')} · "
                       f"{t(f'status.{visit.status}')}")
        if customer.case_number:
            summary.append(f" · {customer.case_number}")
        yield Static(summary, id="fix-summary")
        listing = Text(t("triage.fix_consultants", list=""))
        for number, member in enumerate(self.consultants, start=1):
            listing.append(f"{number} ")
            listing.append_text(shown(member.name))
            listing.append("  ")
        yield Static(listing, id="fix-consultants", classes="hint")

    def focus_first(self) -> None:
        """Straight to what the night check finds missing (the first empty), if any."""
        values = self.values()
        missing = next((field_id for field_id in self.MISSING_FIRST
                        if not str(values[field_id]).strip()), "name")
        self.field(missing).focus()

    def errors(self, values: dict[str, Any]) -> dict[str, ValidationError]:
        return triage_forms.read_fix(self.detail.visit, self.consultant_ids, values)[1]

    def submit(self, session, values: dict[str, Any]) -> int:
        return triage_forms.fix_visit(session, self.record_id, self.consultant_ids, values,
                                      by=self.staff_id).id

    def saved(self, result: int) -> None:
        self.notify(t("triage.fixed"))
        self.dismiss(result)


def open_visit(app, visit_id: int) -> triage.VisitDetail | None:
    """A visit to end or fix, read as the form opens; None (and said why) when it cannot
    be: not found, or its day signed off (said before the form, not after it is filled)."""
    try:
        with app.db.read() as session:
            detail = triage.visit_detail(session, visit_id)
            days.ensure_open(session, detail.visit.day)
    except ReceptionError as error:
        app.notify(str(error), severity="error")
        return None
    return detail


def fix_form(app, visit_id: int) -> FixForm | None:
    detail = open_visit(app, visit_id)
    if detail is None:
        return None
    with app.db.read() as session:
        consultants = triage.consultants(session)
    return FixForm(detail, consultants)
