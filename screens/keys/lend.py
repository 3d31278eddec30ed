"""Lending a key (F4 ``l``) and fetching a requested case file (F4 ``f``): one form.

The person who takes the key is picked by typing part of the name or its pinyin initials
(``zm`` → 张敏); ↑/↓ move through the list under the field, Enter or Tab takes the one
highlighted. A key that needs a manager's approval adds the manager and the manager's PIN
(never shown, never kept in a draft), unless a manager is signed in: lending is then the
approval. Each key keeps its own draft (``keys.lend.<key id>``), each request its own
(``keys.fetch.<request id>``).

Keystroke budget: lending the archive key to a consultant is ``l``, two letters of the
name, Enter, the purpose, Enter, Enter (at most 6 keys besides the purpose itself);
fetching a requested case file is ``f`` then Ctrl+S (2 keys).
"""

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from models import RoomKey, Staff
from reception import customers, keys, phones
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.widgets.fields import RoutedOptionList
from screens.widgets.text import literal

#: The fields with a list of choices under them.
PICKERS = ("staff", "customer")

#: A key-log refusal → the field where it is put right (the cursor goes there).
REFUSAL_FIELDS = {
    "keys.choose_staff": "staff",
    "keys.staff_inactive": "staff",
    "keys.role_not_allowed": "staff",
    "keys.needs_approval": "approver",
    "keys.approver_not_manager": "approver",
    "keys.approval_pin_wrong": "pin",
    "keys.unknown_customer": "customer",
}

BASE_FIELDS = (
    Field("staff", "keys.field.staff"),
    Field("purpose", "keys.field.purpose"),
    Field("customer", "keys.field.customer"),
)


@dataclass(frozen=True)
class LendChoices:
    """What the form offers, read before it opens."""

    key: RoomKey
    staff: list[tuple[Staff, bool]]
    managers: list[Staff]


def read_choices(session, key_id: int) -> LendChoices:
    """The key (refused here when it cannot be lent now) and whom to offer."""
    key = keys.check_lend(session, key_id)
    return LendChoices(key, keys.staff_for_key(session, key), keys.active_managers(session))


class LendForm(FormScreen[tuple[str, str]]):
    FORM = "keys.lend"
    TITLE_KEY = "keys.lend_heading"
    HINT_KEY = "keys.lend_hint"
    DEFAULT_CSS = """
    LendForm .picker { width: 1fr; height: auto; }
    LendForm .picker > Input { width: 1fr; }
    LendForm #staff-list { height: auto; max-height: 4; }
    LendForm #customer-list { height: auto; max-height: 3; }
    LendForm .lend-note { padding: 0 1; }
    """

    def __init__(self, choices: LendChoices, *, manager_signed_in: bool,
                 request: keys.PendingRequest | None = None) -> None:
        self.key = choices.key
        self.choices = choices.staff
        self.managers = choices.managers
        self.request = request
        # A manager signed in approves by lending; anyone else names one with the PIN.
        self.asks_approval = self.key.needs_manager_approval and not manager_signed_in
        managers = self.managers
        self.FIELDS = BASE_FIELDS + ((
            Field("approver", "keys.field.approver", kind="select",
                  options=lambda: [(literal(m.name), m.id) for m in managers]),
            Field("pin", "keys.field.pin", kind="pin", max_length=12),
        ) if self.asks_approval else ())
        values: dict[str, Any] = {}
        if self.asks_approval and len(managers) == 1:
            values["approver"] = managers[0].id
        if request is not None:
            self.FORM = "keys.fetch"
            values.update(
                staff=request.consultant.name if request.consultant else "",
                purpose=t("keys.case_file_of", name=request.customer.name),
                customer=request.customer.name)
        super().__init__(record_id=request.request.id if request else self.key.id,
                         values=values)
        #: The filter text each list was last filled for, and the names it offers.
        self.filtered: dict[str, str | None] = {field_id: None for field_id in PICKERS}
        self.names: dict[str, dict[int, str]] = {field_id: {} for field_id in PICKERS}
        self.picked: tuple[int | None, int | None] = (None, None)
        self.lender_id: int | None = None

    # --- layout ------------------------------------------------------------------------

    def title_text(self) -> str:
        return t("keys.lend_heading", room=self.key.name, roles=keys.roles_text(self.key),
                 n=self.key.limit_minutes)

    def compose_intro(self):
        if self.key.needs_manager_approval:
            yield Static(Text(t("keys.needs_approval_short"), style="bold"),
                         classes="lend-note")
        if self.request is not None:
            yield Static(literal(t("keys.for_request", name=self.request.customer.name)),
                         classes="lend-note")

    def make_widget(self, field: Field) -> Widget:
        widget = super().make_widget(field)
        if field.id not in PICKERS:
            return widget
        options = RoutedOptionList(id=f"{field.id}-list", compact=True)
        options.can_focus = False  # driven from the field above: Tab never stops here
        return Vertical(widget, options, classes="picker")

    def after_mount(self) -> None:
        self.field("staff").placeholder = t("keys.type_to_filter")
        self.field("purpose").placeholder = t(
            "keys.purpose_hint_archive" if self.key.is_archive else "keys.purpose_hint")
        self.field("customer").placeholder = t("keys.customer_hint")
        for field_id in PICKERS:
            self.refill(field_id)

    # --- the lists under the fields ------------------------------------------------------

    def options(self, field_id: str) -> OptionList:
        return self.query_one(f"#{field_id}-list", OptionList)

    def refill(self, field_id: str) -> None:
        typed = self.field(field_id).value
        found = self.staff_found(typed) if field_id == "staff" else self.customers_found(typed)
        options = self.options(field_id)
        options.clear_options()
        exact = None
        for index, (item_id, name, label) in enumerate(found):
            options.add_option(Option(label, id=str(item_id)))
            if exact is None and name == typed.strip():
                exact = index
        self.names[field_id] = {item_id: name for item_id, name, _label in found}
        if found:
            options.highlighted = exact or 0
        options.display = bool(found)
        self.filtered[field_id] = typed

    def staff_found(self, typed: str) -> list[tuple[int, str, Text]]:
        needle = typed.strip().lower()
        by_initials = needle.isascii() and needle.isalpha()
        found = []
        for member, allowed in self.choices:
            # By name or pinyin initials ("zm" → 张敏), as at sign-in.
            if needle and needle not in member.name.lower() and not (
                    by_initials and customers.initials(member.name).startswith(needle)):
                continue
            label = literal(member.name)
            label.append(f"  {t('role.' + member.role)}", style="dim")
            if not member.active:
                label.append("  " + t("keys.inactive_mark"), style="bold red")
            elif not allowed:
                label.append("  " + t("keys.not_allowed_mark"), style="red")
            found.append((member.id, member.name, label))
        return found

    def customers_found(self, typed: str) -> list[tuple[int, str, Text]]:
        if self.request is not None:
            matches = [self.request.customer]
        elif not typed.strip():
            matches = []
        else:
            try:
                with self.db.read() as session:
                    matches = customers.search(session, typed, limit=5)
            except ReceptionError:
                matches = []
        found = []
        for customer in matches:
            label = literal(customer.name)
            label.append(f"  {phones.mask(customer.phone)}", style="dim")
            if customer.case_number:
                label.append(f"  {customer.case_number}", style="dim")
            found.append((customer.id, customer.name, label))
        return found

    def chosen(self, field_id: str) -> int | None:
        """The highlighted choice under the field, for what the field says now."""
        if self.filtered[field_id] != self.field(field_id).value:
            self.refill(field_id)
        options = self.options(field_id)
        if not options.option_count or options.highlighted is None:
            return None
        return int(options.get_option_at_index(options.highlighted).id)

    def take_choice(self, field_id: str) -> None:
        """Leaving the field: it shows the name chosen (the list keeps it highlighted)."""
        chosen = self.chosen(field_id)
        name = self.names[field_id].get(chosen) if chosen is not None else None
        if name is not None and self.field(field_id).value != name:
            self.filtered[field_id] = name
            widget = self.field(field_id)
            widget.value = name
            widget.cursor_position = len(name)

    def on_field_changed(self, field_id: str, value: Any) -> None:
        if field_id in PICKERS and self.filtered[field_id] != value:
            self.refill(field_id)

    def fill(self, values: dict[str, Any]) -> None:
        super().fill(values)
        if self.is_mounted:
            for field_id in PICKERS:
                if field_id in values:
                    self.refill(field_id)

    # --- keys ----------------------------------------------------------------------------

    async def key_now(self, node, key: str) -> bool:
        if isinstance(node, Input) and node.id in PICKERS:
            if key in ("up", "down"):
                if self.filtered[node.id] != node.value:
                    self.refill(node.id)
                options = self.options(node.id)
                if options.option_count:
                    if key == "down":
                        options.action_cursor_down()
                    else:
                        options.action_cursor_up()
                    return True
            elif key in ("enter", "tab"):
                self.take_choice(node.id)
        return await super().key_now(node, key)

    def next_or_save(self, node: Widget) -> None:
        """Enter moves on, past a manager already chosen, to the PIN; saves from the last."""
        ids = self.field_ids()
        if node.id in ids:
            values = self.values()
            for following in ids[ids.index(node.id) + 1:]:
                if following == "approver" and values[following] is not None:
                    continue
                self.set_focus(self.field(following))  # at once: the next keys go there
                return
        self.action_save()

    def show_error(self, field_id: str, error) -> None:
        super().show_error(field_id, error)
        if field_id == "pin" and error is not None:
            with self.prevent(Input.Changed):
                self.field("pin").value = ""  # a wrong PIN is typed again, not edited

    # --- saving --------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.is_saving or self.is_closing:
            return
        customer_typed = self.field("customer").value.strip()
        self.picked = (self.chosen("staff"), self.chosen("customer") if customer_typed else None)
        self.lender_id = self.staff_id
        super().action_save()

    def submit(self, session, values: dict[str, Any]) -> tuple[str, str]:
        staff_id, customer_id = self.picked
        purpose = values["purpose"]
        customer_typed = values["customer"].strip()
        if customer_id is None and customer_typed:
            # A customer typed but not found in the list is kept in the purpose, not lost.
            purpose = (f"{purpose.strip()} · {customer_typed}" if purpose.strip()
                       else customer_typed)
        try:
            loan = keys.lend(
                session, key_id=self.key.id, staff_id=staff_id, by=self.lender_id,
                purpose=purpose, customer_id=customer_id,
                approved_by_id=values.get("approver"),
                approval_pin=values.get("pin") or None,
                request_id=self.request.request.id if self.request else None)
        except ValidationError:
            raise
        except ReceptionError as problem:
            field_id = REFUSAL_FIELDS.get(problem.message_key)
            if field_id in self.field_ids():
                raise ValidationError(field_id, problem.message_key,
                                      **problem.params) from problem
            raise
        holder = self.names["staff"].get(loan.staff_id) or next(
            (member.name for member, _ in self.choices if member.id == loan.staff_id), "")
        return holder, clock.local(loan.at).format("HH:mm")

    def saved(self, result: tuple[str, str]) -> None:
        holder, since = result
        self.notify(t("keys.lent", name=holder, since=since), markup=False)
        self.dismiss(result)
