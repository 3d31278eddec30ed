"""The Textual app: global keys, the screen registry, sign-in state and the live view.

Start-up is quick: this module imports no database code. Given a path (as the CLI does),
the app shows the sign-in screen from a plain-SQL peek at the file while the store itself
(SQLAlchemy, models, migrations) opens in a background thread; the PIN is checked once it
is open. Screens live in ``screens/`` and are imported when first opened.
"""

import gc
import importlib
import os
import signal
import socket

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.worker import get_current_worker

from reception import areas
from reception.clock import clock
from reception.errors import ReceptionError
from reception.i18n import t
from screens.navigation import Navigation
from screens.widgets.text import ShowsControlCharacters

HOME_KEY = "ctrl+o"
POLL_SECONDS = 0.5
NOTICES_KEPT = 200
HEARTBEAT_SECONDS = 60
HANG_UP_GRACE_SECONDS = 2


def settle_memory(*, collect: bool = False) -> None:
    """Move what start-up built (long-lived) out of the garbage collector's way: walking it
    all stalls a keystroke; frozen, each collection only looks at what typing creates."""
    if collect:
        gc.collect()
    gc.freeze()


def _palette_commands():
    from screens.palette import ReceptionCommands

    return ReceptionCommands


class ReceptionApp(Navigation, ShowsControlCharacters, App):
    TITLE = "reception"
    # Every screen's styles, read once at start (a screen's own CSS_PATH re-reads them all).
    CSS_PATH = [f"{name}.tcss" for name in (
        "app", "signin", "dashboard", "triage/triage", "calls/calls", "keys/keys",
        "callbacks/callbacks", "stays/stays", "logbook/logbook", "reconcile", "staff", "settings")]
    COMMANDS = {_palette_commands}
    BINDINGS = [
        Binding("f1", "help", "key.help", id="help"),
        # Home to the dashboard from anywhere: Ctrl+O is one control byte in every terminal
        # (F-keys arrive garbled in some, F10 opens GNOME Terminal's menu, Ctrl+H is
        # Backspace) and nothing else uses it. A priority key: it works over a form or F1.
        Binding(HOME_KEY, "home", "key.home", id="home", priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", id="palette", show=False,
                priority=True),
        # Short names: the footer holds all five at 80 columns beside the screen's own keys.
        *[
            Binding(area.fkey, f"open_area('{area.name}')", area.key_label, id=area.name)
            for area in areas.with_fkeys()
        ],
        Binding("ctrl+q", "quit", "key.quit", id="quit", priority=True),
    ]

    #: For the mixins (a screen built: settle what it made).
    settle_memory = staticmethod(settle_memory)

    def __init__(self, db=None, *, db_path=None, watch: bool = True, sign_in_as=None,
                 keymap_path=None, branch: str | None = None):
        """``db``: an open store (tests); or ``db_path``: a file or a server's address, opened
        after the first screen (``branch``: the branch's code on a server). ``keymap_path``:
        the user's keymap file (the CLI passes the user config folder's; None: as bound)."""
        super().__init__()
        self.keymap_path = keymap_path
        self._clashes_told: set[frozenset[str]] = set()
        self.db = db
        self.db_path = db_path
        self.branch = branch
        # Tests and demos may start signed in (the PIN was checked by whoever built the app).
        self._sign_in_as = sign_in_as
        self.staff = None
        self.sign_in_id: int | None = None
        self.watch = watch
        self._probe = None
        self._when_open: list = []
        #: What was notified, oldest first: (message, severity).
        self.notices: list[tuple[str, str]] = []
        #: Why the store could not be opened (the CLI prints it after the app exits).
        self.startup_error: ReceptionError | None = None
        from screens.keyroute import KeyRouter
        from screens.store import Store

        self.store = Store(self)
        self.key_router = KeyRouter(self)

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Notifications carry names and typed text: never read them as markup (a name
        like ``[/]`` would end the app), whatever a screen passes."""
        self.notices.append((str(message), severity))
        del self.notices[:-NOTICES_KEPT]
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def clear_notifications(self) -> None:
        self.notices.clear()
        super().clear_notifications()

    async def on_event(self, event: events.Event) -> None:
        # Handed-on keys wait in order; one bubbling back up gets bindings, is not resent.
        if isinstance(event, events.Key):
            if getattr(event, "routed_to", None) is not None:
                return await super(App, self).on_event(event)
            if self.key_router.holding:
                self.key_router.hand_on(event)
                return
            # Where Textual is about to send it: a routed node acts on keys sent to it, not
            # on keys bubbling up through it from a child.
            event.routed_to = self.focused or self.screen
        await super().on_event(event)

    def on_answered(self, message) -> None:
        """A store call came back (``screens.store.Answered``)."""
        message.callback()

    def store_failed(self, error: Exception, failed=None) -> None:
        """A store call went wrong (UI thread): say so; never end the app."""
        self.store.report(error, failed)

    # --- start: the store, setup or sign-in -------------------------------------------

    def on_mount(self) -> None:
        self.title = t("app.title")
        if self.keymap_path is not None:
            self.apply_user_keymap(self.keymap_path)
        try:
            import asyncio

            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
        except (NotImplementedError, RuntimeError, AttributeError):
            pass
        if self.db is not None:
            return self._store_opened(self.db)
        from reception.location import peek_sign_in
        from screens.signin import OpeningScreen, SignInScreen

        staff = peek_sign_in(self.db_path)
        self.push_screen(SignInScreen(staff) if staff else OpeningScreen())
        # After the first paint: the imports would otherwise hold the GIL before it.
        self.call_after_refresh(self.run_worker, self._open_store, thread=True,
                                exclusive=True, group="store")

    def _open_store(self) -> None:
        from reception.db import open_database

        try:
            database = open_database(self.db_path, branch=self.branch, branch_at_sign_in=True)
            # Warm what comes next while the receptionist types her PIN.
            importlib.import_module("screens.dashboard")
        except ReceptionError as error:
            self.call_from_thread(self._store_failed, error)
            return
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._store_opened, database)

    def _store_failed(self, error: ReceptionError) -> None:
        self.startup_error = error
        self.exit(return_code=2)

    def _store_opened(self, database) -> None:
        from reception import auth
        from screens.signin import SetupScreen, SignInScreen

        self.db = database
        with self.db.read() as session:
            first_run = auth.needs_setup(session)
        if first_run:
            self._replace_first_screen(SetupScreen())
        elif self._sign_in_as is not None:
            self._sign_in_verified(self._sign_in_as)
        elif not isinstance(self.screen, SignInScreen):
            self._replace_first_screen(SignInScreen())
        if self.watch:
            self._probe = self.db.data_version_probe()
            self.set_interval(POLL_SECONDS, self._poll_store)
        self.set_interval(HEARTBEAT_SECONDS, self._heartbeat)
        self.store.merge_file_drafts()
        waiting, self._when_open = self._when_open, []
        for callback in waiting:
            callback()

    def _sign_in_verified(self, staff) -> None:
        """Start signed in (tests, demos): the dashboard at once, the sign-in recorded by
        the store's writer (before any heartbeat or sign-out: one writer, in order)."""
        from reception.auth import sign_in_verified

        terminal = self.terminal_name()
        self.signed_in(staff, None)
        self.store.write(lambda session: sign_in_verified(
            session, staff_id=staff.id, terminal=terminal).id, done=self._recorded)

    def _recorded(self, sign_in_id: int) -> None:
        if self.staff is not None and self.sign_in_id is None:
            self.sign_in_id = sign_in_id
            self.store_changed()  # the dashboard's "signed in" line

    def _replace_first_screen(self, screen) -> None:
        (self.switch_screen if len(self.screen_stack) > 1 else self.push_screen)(screen)

    def when_open(self, callback) -> None:
        """Run ``callback`` once the store is open (at once if it is)."""
        if self.db is not None:
            callback()
        else:
            self._when_open.append(callback)

    def signed_in(self, staff, sign_in_id: int | None) -> None:
        from screens.dashboard import DashboardScreen

        self.staff, self.sign_in_id = staff, sign_in_id
        self._replace_first_screen(DashboardScreen())
        self.update_status_line()
        self.call_after_refresh(self.settle_memory, collect=True)
        # A handover nobody has acknowledged is put in front of whoever signs in.
        from screens.logbook.shift_forms import offer_pending

        self.call_after_refresh(offer_pending, self)

    def sign_out(self) -> None:
        from reception import auth
        from screens.signin import SignInScreen

        self.save_all_drafts()
        if self.sign_in_id is not None:
            sign_in_id = self.sign_in_id
            self.store.write(lambda session: auth.sign_out(session, sign_in_id),
                             wait_for_lock=False, failed=lambda error: None,
                             done=lambda _result: self.db.take_branch_of(None))
        self.staff = self.sign_in_id = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        for name in areas.BY_NAME:
            if self.is_screen_installed(name):
                self.uninstall_screen(name)
        self.switch_screen(SignInScreen())

    @property
    def is_manager(self) -> bool:
        return self.staff is not None and self.staff.role == "manager"

    @staticmethod
    def terminal_name() -> str:
        tty = os.environ.get("SSH_TTY") or (os.ttyname(0) if os.isatty(0) else "app")
        return f"{socket.gethostname()}:{tty}:{os.getpid()}"

    def _poll_store(self) -> None:
        if self._probe is None or self._polling:
            return
        self._polling = True
        probe = self._probe

        def finished(changed: bool) -> None:
            self._polling = False
            if changed:
                self.store_changed()

        # The probe may wait on a lock: off the UI thread, one at a time.
        self.store.read(lambda session: probe.changed(), done=finished,
                        failed=lambda error: setattr(self, "_polling", False))

    _polling = False

    def store_changed(self) -> None:
        """Another process (or this one) wrote: refresh what is on screen."""
        reload = getattr(self.screen, "reload", None)
        if reload is not None:
            reload()
        self.update_status_line()

    def _heartbeat(self) -> None:
        from reception import auth

        if self.sign_in_id is not None:
            sign_in_id = self.sign_in_id
            self.store.write(lambda session: auth.heartbeat(session, sign_in_id),
                             wait_for_lock=False, failed=lambda error: None)
        self.update_status_line()

    def update_status_line(self) -> None:
        """The store's own trouble at once; else the day's alerts (keys overdue, checklist
        items, complaints, bookings), read by the store's reader, never on this thread."""
        from reception import status_alerts

        if self.staff is None or self.db is None:
            return
        alert = self.store.status()
        if alert:
            return self._show_status(alert)
        self.store.read(status_alerts.status_alert, done=self._show_status,
                        failed=lambda error: self._show_status(
                            t("store.problem", problem=str(error))))

    def _show_status(self, alert: str) -> None:
        from screens.widgets.status import StatusLine
        from screens.widgets.text import visible

        lines = self.screen.query(StatusLine)
        if not lines or self.staff is None:
            return
        alert = self.store.status() or alert  # trouble that came up meanwhile comes first
        who = t("status.signed_in_as", name=self.staff.name, role=t(f"role.{self.staff.role}"))
        left = f"{who}  {clock.now().format('YYYY-MM-DD HH:mm')}"
        for line in lines:
            line.show(visible(left), visible(alert))

    # --- leaving: nothing typed is lost ---------------------------------------------

    def save_all_drafts(self, wait: float = 3.0) -> None:
        """Keep every half-filled form, and wait (a little) for the store to take them."""
        if self.db is None:
            return
        screens = list(self.screen_stack)
        screens += [self.get_screen(name) for name in areas.BY_NAME
                    if self.is_screen_installed(name)]
        for screen in dict.fromkeys(screens):
            keep = getattr(screen, "save_draft_now", None)  # forms (and a call in progress)
            if screen.is_mounted and keep is not None:
                keep()
        self.store.wait_idle(wait)

    async def action_quit(self) -> None:
        self.save_all_drafts()
        self._sign_out_on_leaving()
        self.exit()

    def _sign_out_on_leaving(self, wait: float = 2.0) -> None:
        """Off the dashboard's "signed in" list at once (not when the heartbeat lapses)."""
        from reception import auth

        if self.sign_in_id is not None and self.db is not None:
            sign_in_id, self.sign_in_id = self.sign_in_id, None
            self.store.write(lambda session: auth.sign_out(session, sign_in_id),
                             wait_for_lock=False, failed=lambda error: None)
            self.store.wait_idle(wait)

    def hang_up(self) -> None:
        """SIGHUP (the SSH connection closed): keep every draft, then leave."""
        self._force_exit_soon()
        try:
            self.save_all_drafts(wait=1.5)
            self._sign_out_on_leaving(wait=0.3)
        finally:
            self.exit(return_code=129)

    def panic(self, *renderables) -> None:
        """Textual's way out when the terminal itself fails (a closed SSH connection can
        reach the input thread before SIGHUP reaches us): keep the drafts first."""
        self._force_exit_soon()
        try:
            self.save_all_drafts(wait=1.5)
        finally:
            super().panic(*renderables)

    def _force_exit_soon(self) -> None:
        """With the terminal gone, Textual's exit can stall writing to it: the drafts are
        committed first, so ending the process shortly after is safe (not headless)."""
        if self.is_headless:
            return
        import threading

        fallback = threading.Timer(HANG_UP_GRACE_SECONDS, os._exit, args=(129,))
        fallback.daemon = True
        fallback.start()

    def on_unmount(self) -> None:
        self.store.close(timeout=1.0)
        if self._probe is not None:
            self._probe.close()
        # What was frozen goes back to the collector: an app made after this one in the
        # same process (tests, a second sign-in window) must not keep this one alive.
        gc.unfreeze()


def keymap_report(path=None) -> list[str]:
    """``reception keymap``: the keys in force, screen by screen (id, keys, label)."""
    from screens import keymap

    return keymap.report(ReceptionApp, keymap.load(ReceptionApp, path))


def user_keymap_path():
    """Where the user's keymap file is (``keymap.toml`` in the user config folder)."""
    from screens.keymap import keymap_path

    return keymap_path()
