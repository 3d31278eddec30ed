"""The last step of a walk-in: who sees them. Confirming triages them (one write).

The consultants on duty are listed in the rotation's order with the proposed one first
(their own consultant, the appointment's, or the rotation's next — and when their own
is not on duty today, the list says so). Enter confirms the highlighted one; a returning
customer is sent with ``1`` (doctor first, as Enter) or ``2`` (treatment only). Someone
already in the building is not triaged twice: the step offers the jump to their visit.
"""

from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from models import VisitPath
from reception import phones, triage, triage_forms
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from screens.keyroute import Routed
from screens.triage.common import CONSULTANT_CELLS, masked_or_raw, shown
from screens.widgets.fields import RoutedOptionList
from screens.widgets.footer import KeyFooter
from screens.widgets.status import StatusLine
from screens.widgets.text import literal


@dataclass
class WalkIn:
    """Who is being triaged: a returning customer (C) or the register form's values (A/B)."""

    path: str
    customer_id: int | None = None
    appointment_id: int | None = None
    form: dict[str, Any] = field(default_factory=dict)


@dataclass
class Triaged:
    """Done: the visit on the board and what to tell the desk."""

    visit_id: int
    message: str


@dataclass
class Jump:
    """Already in the building: go to that visit instead (``draft`` of a form to drop)."""

    visit_id: int
    name: str


@dataclass
class Refused:
    """A field of the register form refused at the last moment (another counter changed
    the record meanwhile): back to the form, the error under its field."""

    error: ValidationError


class ConsultantScreen(Routed, ModalScreen[Any]):
    BINDINGS = [
        Binding("escape", "close", "form.key.close", id="triage.confirm.close"),
        Binding("1", "send('C1')", "triage.key.c1", id="triage.choose1"),
        Binding("2", "send('C2')", "triage.key.c2", id="triage.choose2"),
    ]

    def __init__(self, walk_in: WalkIn) -> None:
        super().__init__()
        self.walk_in = walk_in
        self.choices: list[int | None] = []
        self.here: triage.VisitDetail | None = None
        self.is_saving = False

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-pane"):
            yield Static(literal(t("triage.confirm_title"), style="bold"))
            yield Static(id="confirm-summary")
            yield Static(id="confirm-hint", classes="hint")
            yield RoutedOptionList(id="consultants")
        yield StatusLine()
        yield KeyFooter()

    def on_mount(self) -> None:
        walk_in = self.walk_in
        try:
            with self.app.db.read() as session:
                proposal = triage_forms.proposal(
                    session, clock.today(), customer_id=walk_in.customer_id,
                    phone=walk_in.form.get("phone", ""), appointment_id=walk_in.appointment_id)
        except ReceptionError as error:
            self.app.store_failed(error, failed=lambda problem: None)
            return
        if proposal.here is not None:
            self.show_already_here(proposal.here)
        else:
            self.show_proposal(proposal)
        self.query_one("#consultants", OptionList).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":  # 1/2: a returning customer's path (or the jump)
            return self.walk_in.path == "C" or self.here is not None
        return True

    # --- what is shown ------------------------------------------------------------------

    def summary_line(self, proposal: triage_forms.Proposal) -> Text:
        customer, walk_in = proposal.customer, self.walk_in
        if walk_in.path == "C" and customer is not None:
            return shown(t("triage.customer_line", name=customer.name,
                           phone=phones.mask(customer.phone),
                           case=customer.case_number or t("triage.no_case")))
        summary = Text(t(f"triage.path.{walk_in.path}") + " · ", style="bold")
        summary.append_text(shown(walk_in.form.get("name", ""), 40))
        summary.append(f" · {masked_or_raw(walk_in.form.get('phone', ''))}")
        return summary

    def show_proposal(self, proposal: triage_forms.Proposal) -> None:
        summary = self.summary_line(proposal)
        if proposal.passed_over is not None:
            # Said, not silently replaced: their consultant is off today.
            summary.append("\n")
            summary.append_text(shown(t("triage.own_off_duty",
                                        name=proposal.passed_over.name), style="bold"))
        if not proposal.slots:
            summary.append("\n" + t("triage.no_consultant"), style="bold")
        self.query_one("#confirm-summary", Static).update(summary)
        self.query_one("#confirm-hint", Static).update(literal(
            t("triage.confirm_hint_c" if self.walk_in.path == "C" else "triage.confirm_hint")))
        proposed_id = proposal.consultant.id if proposal.consultant else None
        ordered = sorted(proposal.slots, key=lambda slot: slot.consultant.id != proposed_id)
        status_cells = max(cell_len(t("triage.slot.busy")), cell_len(t("triage.slot.free")))
        options = []
        for slot in ordered:
            label = shown(slot.consultant.name, CONSULTANT_CELLS, "bold", pad=True)
            label.append("  ")
            label.append_text(shown(t("triage.slot.busy" if slot.busy else "triage.slot.free"),
                                    status_cells, "red" if slot.busy else "green", pad=True))
            label.append("  " + t("triage.slot.counts", new=slot.new_today,
                                  total=slot.visits_today))
            if slot.consultant.id == proposed_id:
                label.append(f"  ← {t('triage.slot.proposed')}: "
                             f"{t(f'triage.reason.{proposal.reason}')}", style="italic")
            options.append(Option(label))
            self.choices.append(slot.consultant.id)
        options.append(Option(Text(t("triage.no_consultant_option"), style="dim")))
        self.choices.append(None)
        listing = self.query_one("#consultants", OptionList)
        listing.add_options(options)
        listing.highlighted = 0

    def show_already_here(self, detail: triage.VisitDetail) -> None:
        """The customer is on the board already: say so, and offer the jump to that visit."""
        self.here = detail
        visit, customer = detail.visit, detail.customer
        summary = shown(t("triage.customer_line", name=customer.name,
                          phone=phones.mask(customer.phone),
                          case=customer.case_number or t("triage.no_case")))
        summary.append("\n")
        summary.append_text(shown(t(
            "triage.already_here_detail", name=customer.name,
            status=t(f"status.{visit.status}"),
            consultant=detail.consultant.name if detail.consultant else t("triage.nobody"),
            time=clock.local(visit.arrived_at).format("HH:mm")), style="bold red"))
        self.query_one("#confirm-summary", Static).update(summary)
        self.query_one("#confirm-hint", Static).update(literal(t("triage.already_here_hint")))
        listing = self.query_one("#consultants", OptionList)
        listing.add_options([Option(Text(t("triage.already_here_jump"), style="bold"))])
        listing.highlighted = 0
        self.choices = [None]

    # --- confirming -----------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_send("C1")

    def action_send(self, c_path: str) -> None:
        if self.here is not None:
            self.dismiss(Jump(self.here.visit.id, self.here.customer.name))
            return
        if self.is_saving or not self.choices:
            return
        self.is_saving = True
        index = self.query_one("#consultants", OptionList).highlighted or 0
        consultant_id = self.choices[index] if index < len(self.choices) else None
        walk_in, by = self.walk_in, self.app.staff.id if self.app.staff else None

        def work(session) -> tuple[int, str, str, str | None, str | None, str]:
            if walk_in.path == "C":
                visit = triage.start_visit(
                    session, customer_id=walk_in.customer_id, path=VisitPath(c_path),
                    consultant_id=consultant_id, use_rotation=False, by=by)
            else:
                form = walk_in.form
                visit, _customer, _created = triage.triage_new_customer(
                    session, name=form["name"], phone=form["phone"],
                    gender=form.get("gender") or "", interest=form.get("interest", ""),
                    source=form.get("source", ""), consultant_id=consultant_id,
                    use_rotation=consultant_id is not None,
                    appointment_id=walk_in.appointment_id, by=by)
            detail = triage.visit_detail(session, visit.id)
            return (visit.id, visit.path, detail.customer.name,
                    detail.customer.case_number,
                    detail.consultant.name if detail.consultant else None, visit.status)

        self.app.store.write(work, done=self.sent, failed=self.refused)

    def sent(self, result) -> None:
        visit_id, path, name, case_number, consultant, status = result
        consultant = consultant or t("triage.nobody")
        if path == VisitPath.TREATMENT and case_number:
            message = t("triage.sent_c2", name=name, consultant=consultant)
        elif path == VisitPath.TREATMENT:
            message = t("triage.sent_c2_no_file", name=name)
        else:
            message = t("triage.sent", name=name, consultant=consultant,
                        status=t(f"status.{status}"))
        self.dismiss(Triaged(visit_id, message))

    def refused(self, error: ReceptionError) -> None:
        self.is_saving = False
        if isinstance(error, triage.AlreadyHereError):
            # Triaged at another counter since this step opened: that visit instead.
            self.dismiss(Jump(error.visit_id, str(error.params.get("name", ""))))
        elif isinstance(error, ValidationError) and self.walk_in.path != "C":
            self.dismiss(Refused(error))
        else:
            self.notify(str(error), severity="error")

    def action_close(self) -> None:
        if not self.is_saving:
            self.dismiss(None)
