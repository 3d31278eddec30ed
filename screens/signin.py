"""First-run setup and staff sign-in (and the moment the store is still opening).

Both are forms (``screens/form.py``): Enter goes to the next field and saves from the
last, so ``name⏎PIN⏎`` typed in one burst signs in, each key landing in the field that
has focus when it is handled — the PIN never shows in the visible staff filter. The check
runs on the store's writer thread, never on the screen's.

Imports of the database stack stay inside the methods: the sign-in screen is the first
thing on screen and must not wait for them.
"""

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reception.errors import ReceptionError
from reception.i18n import t
from screens.form import Field, FormScreen
from screens.widgets.fields import RoutedOptionList
from screens.widgets.text import literal

PIN_DIGITS = r"\d*"

# Who works the counter first: the list is longer than the box.
ROLE_ORDER = {"receptionist": 0, "manager": 1, "cashier": 2, "consultant": 3, "doctor": 4,
              "beautician": 5}


class OpeningScreen(Screen):
    """Shown while a new or older store is created or upgraded (first start, new version)."""


    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Static(Text(t("signin.opening")))


class FirstScreenForm(FormScreen[Any]):
    """A form that is the app's first screen: nothing to go back to, PINs typed as digits."""


    def on_mount(self) -> None:
        for field in self.FIELDS:
            if field.kind == "pin":
                self.field(field.id).restrict = PIN_DIGITS

    def action_close(self) -> None:
        """Escape: there is no screen below to go back to."""


class SetupScreen(FirstScreenForm):
    FORM = "setup"
    TITLE_KEY = "setup.title"
    HINT_KEY = "setup.hint"
    FIELDS = (
        Field("clinic", "setup.clinic_name", max_length=200),
        Field("manager", "setup.manager_name", max_length=100),
        Field("pin", "setup.pin", kind="pin", max_length=12),
        Field("pin_again", "setup.pin_again", kind="pin", max_length=12),
    )
    ERROR_FIELDS = {"clinic_name": "clinic", "name": "manager"}

    def submit(self, session, values: dict[str, Any]):
        from reception import auth

        manager = auth.first_run_setup(session, clinic_name=values["clinic"],
                                       manager_name=values["manager"], pin=values["pin"],
                                       pin_again=values["pin_again"])
        return auth.sign_in_staff(session, staff_id=manager.id, pin=values["pin"],
                                  terminal=self.terminal)

    def action_save(self) -> None:
        self.terminal = self.app.terminal_name()
        super().action_save()

    def saved(self, result) -> None:
        self.app.signed_in(*result)


class SignInScreen(FirstScreenForm):
    FORM = "signin"
    TITLE_KEY = "signin.title"
    FIELDS = (
        Field("filter", "signin.staff_label", placeholder=""),
        Field("pin", "signin.pin", kind="pin", max_length=12),
    )

    def __init__(self, staff: list[tuple[int, str, str]] | None = None) -> None:
        """``staff``: (id, name, role) of who may sign in, if already known."""
        # Nothing to offer back: no one is signed in yet, and the store may still be opening.
        super().__init__(restore=False)
        self.staff_rows = staff
        self.initials: dict[int, str] | None = None
        self.listed: list[int] = []
        self.listed_for: str | None = None
        self.chosen_id: int | None = None
        self.terminal = ""
        self.waiting_for_store = False

    def compose_outro(self) -> ComposeResult:
        options = RoutedOptionList(id="staff-list")
        options.can_focus = False  # Tab goes between the filter and the PIN
        yield options

    def on_mount(self) -> None:
        if self.staff_rows is None:
            from reception import auth

            with self.app.db.read() as session:
                self.staff_rows = auth.who_may_sign_in(session)
        self.staff_rows = sorted(self.staff_rows,
                                 key=lambda row: (ROLE_ORDER.get(row[2], 9), row[1]))

    def after_mount(self) -> None:
        self.field("filter").placeholder = t("signin.staff")
        self.show_list("")

    # --- the list of staff ------------------------------------------------------------

    def matching(self, text: str) -> list[tuple[int, str, str]]:
        needle = text.strip().lower()
        by_initials = needle.isascii() and needle.isalpha()
        if by_initials and self.initials is None:
            from reception.customers import initials  # pinyin: loaded on first use

            self.initials = {staff_id: initials(name) for staff_id, name, _ in self.staff_rows}
        # By name, pinyin initials ("lt" → 李婷) or role ("前台", "consultant"): a new
        # hire's name is not known yet.
        return [(staff_id, name, role) for staff_id, name, role in self.staff_rows
                if needle in name.lower() or needle in t(f"role.{role}").lower()
                or (by_initials and self.initials[staff_id].startswith(needle))]

    def show_list(self, text: str) -> None:
        options = self.query_one("#staff-list", OptionList)
        options.clear_options()
        rows = self.matching(text)
        for staff_id, name, role in rows:
            label = literal(name)
            label.append(f"  {t('role.' + role)}", style="dim")
            options.add_option(Option(label, id=str(staff_id)))
        self.listed = [row[0] for row in rows]
        self.listed_for = text
        if rows:
            options.highlighted = 0

    def on_field_changed(self, field_id: str, value: Any) -> None:
        if field_id == "filter":
            self.show_list(value)

    async def key_now(self, node, key: str) -> bool:
        if getattr(node, "id", None) == "filter" and key in ("up", "down"):
            options = self.query_one("#staff-list", OptionList)
            options.action_cursor_down() if key == "down" else options.action_cursor_up()
            return True
        return await super().key_now(node, key)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.field("pin").focus()

    def choice(self, text: str) -> int | None:
        """Who signs in: the row highlighted, or — keys typed faster than the list was
        redrawn — the first who matches what the filter says now."""
        options = self.query_one("#staff-list", OptionList)
        if text == self.listed_for and options.highlighted is not None and self.listed:
            return self.listed[options.highlighted]
        rows = self.matching(text)
        return rows[0][0] if rows else None

    # --- signing in -------------------------------------------------------------------

    def action_save(self) -> None:
        if self.is_saving:
            return
        self.chosen_id = self.choice(self.values()["filter"])
        if self.chosen_id is None:
            self.show_error("filter", t("signin.choose_staff"))
            self.field("filter").focus()
            return
        if self.app.db is None:
            # The store is still opening: check the PIN the moment it is.
            self.show_problem(t("signin.opening"))
            if not self.waiting_for_store:
                self.waiting_for_store = True
                self.app.when_open(self.store_ready)
            return
        self.terminal = self.app.terminal_name()
        if self.app.db.at_sign_in:
            # A chain's counter started without a branch works for hers: known first.
            from reception.server_store import branch_of_staff

            chosen = self.chosen_id
            self.app.store.read(lambda session: branch_of_staff(session, chosen),
                                done=self.branch_known)
            return
        super().action_save()

    def branch_known(self, branch) -> None:
        self.app.db.take_branch_of(branch)
        super().action_save()

    def store_ready(self) -> None:
        self.waiting_for_store = False
        self.show_problem(None)
        self.action_save()

    def submit(self, session, values: dict[str, Any]):
        from reception import auth

        return auth.sign_in_staff(session, staff_id=self.chosen_id, pin=values["pin"],
                                  terminal=self.terminal)

    def saved(self, result) -> None:
        self.app.signed_in(*result)

    def show_error(self, field_id: str, error: ReceptionError | str | None) -> None:
        super().show_error(field_id, error)
        if field_id == "pin" and error is not None:
            self.fill({"pin": ""})  # a wrong PIN is typed again from the start

    def save_draft_now(self) -> bool:
        """A name being looked for is not a draft; a PIN never is."""
        return False
