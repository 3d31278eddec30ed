"""What every screen of the app shares: the back key, the status line, live refresh, drafts.

``AreaScreen`` is the base of the F-key screens. Subclasses compose their body in
``compose_body`` and reload what they show in ``refresh_data`` — called on mount, after
this app writes, and whenever another process commits to the store.

``DraftForm`` adds drafts to a screen with a form: its inputs are saved (debounced) as
the user types and on Escape, a quit or a hang-up; the next open offers them back.
"""

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Select, Static, TextArea

from reception import drafts
from reception.errors import ReceptionError
from reception.i18n import t
from screens.keyroute import Routed
from screens.widgets.footer import KeyFooter
from screens.widgets.status import StatusLine


class AreaScreen(Routed, Screen):
    BINDINGS = [Binding("escape", "back", "key.back", id="back")]
    #: Title shown at the top; a key of the catalogue.
    TITLE_KEY = ""
    #: The screen that opened this one at a record (the night check): done, go back there.
    came_from: Screen | None = None

    def compose(self) -> ComposeResult:
        if self.TITLE_KEY:
            yield Static(Text(t(self.TITLE_KEY), style="bold"), classes="screen-title")
        with Vertical(classes="screen-body"):
            yield from self.compose_body()
        yield StatusLine()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    _ready = False

    def on_mount(self) -> None:
        self._ready = True
        self.reload()

    def on_screen_resume(self) -> None:
        self.app.update_status_line()
        self.reload()

    def reload(self) -> None:
        """Refresh, once the screen is built (a resume or a poll may come before mount).

        A store that cannot be read is said on the status line; the screen keeps what it
        showed and the app goes on."""
        if not self._ready:
            return
        try:
            self.refresh_data()
        except ReceptionError as error:
            self.app.store_failed(error, failed=lambda problem: None)

    def refresh_data(self) -> None:
        """Reload what the screen shows from the store."""

    def action_back(self) -> None:
        self.app.go_back()

    def return_to_caller(self) -> bool:
        """Back to the screen that opened a record here, if it is just below."""
        caller, self.came_from = self.came_from, None
        stack = self.app.screen_stack
        if caller is not None and len(stack) > 2 and stack[-1] is self and stack[-2] is caller:
            self.app.pop_screen()
            return True
        return False

    def set_focus(self, widget, scroll_visible: bool = True, from_app_focus: bool = False):
        # Moving into a field keeps its text: the cursor goes to the end instead of the
        # whole text being selected, where the next key would wipe it (Textual's default).
        # A field holding a default to be replaced (a date offered) says so by its class.
        if isinstance(widget, Input):
            widget.select_on_focus = widget.has_class("replace-on-focus")
        return super().set_focus(widget, scroll_visible, from_app_focus)

    @property
    def db(self):
        return self.app.db

    @property
    def staff_id(self) -> int | None:
        return self.app.staff.id if self.app.staff else None


class DraftForm:
    """Mixin for a screen with a form. Set ``DRAFT_FORM`` and the ids in ``DRAFT_FIELDS``."""

    DRAFT_FORM = ""
    DRAFT_FIELDS: tuple[str, ...] = ()
    DRAFT_DELAY = 0.4
    _draft_timer = None

    def draft_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for field_id in self.DRAFT_FIELDS:
            widget = self.query_one(f"#{field_id}")
            if isinstance(widget, Input):
                values[field_id] = widget.value
            elif isinstance(widget, TextArea):
                values[field_id] = widget.text
            elif isinstance(widget, Select):
                values[field_id] = None if widget.is_blank() else widget.value
        return values

    def apply_draft(self, values: dict[str, Any]) -> None:
        for field_id, value in values.items():
            matches = self.query(f"#{field_id}")
            if not matches:
                continue
            widget = matches.first()
            if isinstance(widget, Input):
                widget.value = value or ""
            elif isinstance(widget, TextArea):
                widget.text = value or ""
            elif isinstance(widget, Select) and value is not None:
                widget.value = value

    def save_draft_now(self) -> None:
        """Write the draft to the store at once (Escape, quit, hang-up)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        with self.app.db.write() as session:
            drafts.save(session, self.DRAFT_FORM, self.draft_values(), owner_id=self.staff_id)

    def schedule_draft_save(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.DRAFT_DELAY, self.save_draft_now)

    def load_draft(self) -> dict[str, Any] | None:
        with self.app.db.read() as session:
            return drafts.load(session, self.DRAFT_FORM, owner_id=self.staff_id)

    def discard_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        with self.app.db.write() as session:
            drafts.discard(session, self.DRAFT_FORM, owner_id=self.staff_id)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in self.DRAFT_FIELDS:
            self.schedule_draft_save()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id in self.DRAFT_FIELDS:
            self.schedule_draft_save()
