"""What every area screen shares: the back key, the status line, live refresh.

``AreaScreen`` is the base of the F-key screens. Subclasses compose their body in
``compose_body`` and reload what they show in ``refresh_data`` — called on mount, after
this app writes, and whenever another process commits to the store.

Forms are screens of their own (``screens/form.py``) with their drafts.
"""


from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from reception.errors import ReceptionError
from reception.i18n import t
from screens.keyroute import Routed
from screens.lifecycle import StyledOnce
from screens.widgets.footer import KeyFooter
from screens.widgets.status import StatusLine


class AreaScreen(StyledOnce, Routed, Screen):
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
    #: Loaded at mount, not yet shown: the resume that shows it (Textual sends one whenever
    #: a screen becomes the top one) has nothing new to load.
    _loaded_unseen = False
    _resumed_unbuilt = False

    def on_mount(self) -> None:
        self._ready = True
        self.reload()
        self._loaded_unseen = not self._resumed_unbuilt
        self.after_mount()

    def after_mount(self) -> None:
        """A screen's own start, once it is built and loaded.

        Textual calls the ``on_mount`` (and ``on_screen_resume``) of every class of a
        screen, the subclass's first: a screen's own is for what comes before this base's,
        and never calls ``super()`` (that ran the base twice)."""

    def on_screen_resume(self) -> None:
        self.app.update_status_line()
        if not self._ready:
            self._resumed_unbuilt = True  # shown before built: the mount loads it
        elif self._loaded_unseen:
            self._loaded_unseen = False
        else:
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

