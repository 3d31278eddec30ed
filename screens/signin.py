"""First-run setup and staff sign-in (and the moment the store is still opening).

Imports of the database stack stay inside the methods: the sign-in screen is the first
thing on screen and must not wait for them.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from reception.errors import ReceptionError
from reception.i18n import t
from screens.widgets.text import literal


def _row(label_key: str, field: Input) -> Horizontal:
    return Horizontal(Label(t(label_key)), field, classes="form-row")


class SetupScreen(Screen):
    CSS_PATH = "signin.tcss"

    def compose(self) -> ComposeResult:
        with Vertical(id="setup-box", classes="box"):
            yield Static(Text(t("setup.title"), style="bold"))
            yield _row("setup.clinic_name", Input(id="clinic"))
            yield _row("setup.manager_name", Input(id="manager"))
            yield _row("setup.pin", Input(id="pin", password=True, restrict=r"\d*",
                                          max_length=12))
            yield _row("setup.pin_again", Input(id="pin2", password=True, restrict=r"\d*",
                                                max_length=12))
            yield Static(id="error", classes="error")
            yield Static(Text(t("setup.save") + ": Enter"), classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["clinic", "manager", "pin", "pin2"]
        if event.input.id != "pin2":
            self.query_one(f"#{order[order.index(event.input.id) + 1]}", Input).focus()
            return
        self.finish()

    def finish(self) -> None:
        from reception import auth

        values = {name: self.query_one(f"#{name}", Input).value
                  for name in ("clinic", "manager", "pin", "pin2")}
        error = self.query_one("#error", Static)
        if values["pin"] != values["pin2"]:
            error.update(Text(t("setup.pins_differ")))
            return
        try:
            with self.app.db.write() as session:
                manager = auth.first_run_setup(session, clinic_name=values["clinic"],
                                               manager_name=values["manager"], pin=values["pin"])
                signed = auth.sign_in(session, staff_id=manager.id, pin=values["pin"],
                                      terminal=self.app.terminal_name())
        except ReceptionError as problem:
            error.update(Text(str(problem)))
            return
        self.app.signed_in(manager, signed.id)


# Who works the counter first: the list is longer than the box.
ROLE_ORDER = {"receptionist": 0, "manager": 1, "cashier": 2, "consultant": 3, "doctor": 4,
              "beautician": 5}


class OpeningScreen(Screen):
    """Shown while a new or older store is created or upgraded (first start, new version)."""

    CSS_PATH = "signin.tcss"

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Static(Text(t("signin.opening")))


class SignInScreen(Screen):
    CSS_PATH = "signin.tcss"

    def __init__(self, staff: list[tuple[int, str, str]] | None = None) -> None:
        """``staff``: (id, name, role) of who may sign in, if already known."""
        super().__init__()
        self._staff = staff
        self._initials: dict[int, str] | None = None
        self._waiting_for_store = False

    def compose(self) -> ComposeResult:
        with Vertical(id="signin-box", classes="box"):
            yield Static(Text(t("signin.title"), style="bold"))
            yield Input(placeholder=t("signin.staff"), id="filter")
            yield OptionList(id="staff-list")
            yield _row("signin.pin", Input(id="pin", password=True, restrict=r"\d*",
                                           max_length=12))
            yield Static(id="error", classes="error")

    def on_mount(self) -> None:
        if self._staff is None:
            from reception import staff as staff_service

            with self.app.db.read() as session:
                self._staff = [(s.id, s.name, s.role)
                               for s in staff_service.list_staff(session) if s.pin_hash]
        self._staff.sort(key=lambda row: (ROLE_ORDER.get(row[2], 9), row[1]))
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, text: str) -> None:
        options = self.query_one("#staff-list", OptionList)
        options.clear_options()
        needle = text.strip().lower()
        by_initials = needle.isascii() and needle.isalpha()
        if by_initials and self._initials is None:
            from reception.customers import initials  # pinyin: loaded on first use

            self._initials = {staff_id: initials(name) for staff_id, name, _ in self._staff}
        for staff_id, name, role in self._staff:
            # By name, pinyin initials ("lt" → 李婷) or role ("前台", "consultant"): a new
            # hire's name is not known yet.
            if (needle in name.lower() or needle in t(f"role.{role}").lower()
                    or (by_initials and self._initials[staff_id].startswith(needle))):
                label = literal(name)
                label.append(f"  {t('role.' + role)}", style="dim")
                options.add_option(Option(label, id=str(staff_id)))
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one("#pin", Input).focus()
        else:
            self.sign_in()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#pin", Input).focus()

    def sign_in(self) -> None:
        options = self.query_one("#staff-list", OptionList)
        error = self.query_one("#error", Static)
        if options.highlighted is None:
            error.update(Text(t("signin.choose_staff")))
            return
        if self.app.db is None:
            # The store is still opening: check the PIN the moment it is.
            error.update(Text(t("signin.opening")))
            if not self._waiting_for_store:
                self._waiting_for_store = True
                self.app.when_open(self._store_ready)
            return
        self._check_pin(int(options.get_option_at_index(options.highlighted).id))

    def _store_ready(self) -> None:
        self._waiting_for_store = False
        self.query_one("#error", Static).update("")
        self.sign_in()

    def _check_pin(self, staff_id: int) -> None:
        from reception import auth

        pin = self.query_one("#pin", Input)
        try:
            staff, signed = auth.sign_in_with_pin(self.app.db, staff_id=staff_id, pin=pin.value,
                                                  terminal=self.app.terminal_name())
        except ReceptionError as problem:
            pin.value = ""
            self.query_one("#error", Static).update(Text(str(problem)))
            return
        self.app.signed_in(staff, signed.id)
