"""The app's keys: going between the areas (F-keys, Escape back one level, home), F1 and
Ctrl+P, the user's keymap and how keys are labelled. A mixin of ``ReceptionApp``."""

import importlib
import time

from reception import areas
from reception.errors import ReceptionError
from reception.i18n import t

#: Seconds the areas switched off are kept before the settings are read again.
AREAS_OFF_SECONDS = 2.0


class Navigation:
    _areas_off: tuple[float, frozenset[str]] | None = None

    def areas_off(self) -> frozenset[str]:
        """The areas this site switched off (setting ``areas_off``): not on the dashboard,
        the F-keys, F1 or Ctrl+P. Read again every few seconds (check_action asks often)."""
        now = time.monotonic()
        if self._areas_off is not None and now - self._areas_off[0] < AREAS_OFF_SECONDS:
            return self._areas_off[1]
        off: frozenset[str] = frozenset()
        if self.db is not None:
            from reception import settings

            try:
                with self.db.read() as session:
                    off = frozenset(settings.load(session).areas_off)
            except ReceptionError:
                off = self._areas_off[1] if self._areas_off else frozenset()
        self._areas_off = (now, off)
        return off

    def forget_areas_off(self) -> None:
        """The settings changed here: read them again at the next look."""
        self._areas_off = None

    def area_screen(self, name: str):
        """The screen of an area, made once and kept (a form: made fresh each time, with
        the stored values and its draft); None when this user may not open it."""
        if self.staff is None:
            self.bell()
            return None
        area = areas.area(name)
        if name in self.areas_off():
            self.notify(t("areas.switched_off", area=t(area.title_key)), severity="warning")
            return None
        if area.manager_only and not self.is_manager:
            self.notify(t("staff.manager_only"), severity="warning")
            return None
        if not self.is_screen_installed(name):
            module_name, class_name = area.module_and_class
            screen_class = getattr(importlib.import_module(module_name), class_name)
            if getattr(screen_class, "FORM", ""):  # a FormScreen
                return screen_class()
            self.install_screen(screen_class(), name)
            self.call_after_refresh(self.settle_memory)
        return self.get_screen(name)

    def open_area(self, name: str) -> None:
        """Open an area screen, one level above the dashboard: the area (or sub-screen)
        shown is closed first, so Escape always goes back to the dashboard and never
        retraces the areas visited. Already open below (the night check's jump): back down
        to it."""
        installed = self.area_screen(name)
        if installed is None:
            return
        if installed in self.screen_stack:
            while self.screen is not installed:
                self.pop_screen()
        else:
            self.go_home()
            self.push_screen(installed)

    async def show_record_in(self, name: str, record_type: str, record_id: int | None) -> None:
        """Open an area above the current screen at one record (the night check's Enter),
        so that Esc — or saving the fix — comes back here. An area already open further
        down is brought up; the screens between are closed."""
        here = self.screen
        target = self.area_screen(name)
        if target is None or target is here:
            return
        if target in self.screen_stack:
            while len(self.screen_stack) > 2:
                await self.pop_screen()
            await self.push_screen(here)
        await self.push_screen(target)
        target.came_from = here
        show_record = getattr(target, "show_record", None)
        if callable(show_record) and record_id is not None:
            self.call_after_refresh(show_record, record_type, record_id)

    def action_open_area(self, name: str) -> None:
        self.open_area(name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The manager's screens are not offered to others (F1, footer, their keys).
        if action == "home":  # not offered on the dashboard itself, nor before sign-in
            return self.staff is not None and len(self.screen_stack) > 2
        if action == "open_area" and parameters and parameters[0] in areas.BY_NAME:
            if parameters[0] in self.areas_off():
                return False
            return self.is_manager or not areas.area(str(parameters[0])).manager_only
        return True

    def go_back(self) -> None:
        """One level up: a sub-screen to its area, an area to the dashboard."""
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def go_home(self) -> None:
        """Back to the dashboard, whatever is open above it (typed text kept as drafts)."""
        if len(self.screen_stack) > 2:
            self.save_all_drafts()
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_home(self) -> None:
        self.go_home()

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from screens.palette import ReceptionPalette

        if not CommandPalette.is_open(self):
            self.push_screen(ReceptionPalette())

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    # --- labels and the user's keymap ------------------------------------------------

    def apply_user_keymap(self, path) -> None:
        """The user's keys (Textual's ``set_keymap``); a mistake in the file is said in one
        line and that entry ignored."""
        from screens import keymap

        user = keymap.load(type(self), path)
        self.set_keymap(user.keys)
        if user.problems:
            self.notify(user.problem_line(), severity="warning", timeout=15)

    def handle_bindings_clash(self, clashed_bindings, node) -> None:
        """Two bindings on one key after the user's keymap: said once, in one line."""
        ids = frozenset(binding.id or binding.action for binding in clashed_bindings)
        if ids in self._clashes_told:
            return
        self._clashes_told.add(ids)
        keys = sorted({binding.key for binding in clashed_bindings})
        self.notify(t("keymap.clash", path=self.keymap_path, key=", ".join(keys),
                      ids=", ".join(sorted(ids))), severity="warning", timeout=15)

    def refresh_labels(self) -> None:
        """After ``i18n.set_language``: draw the key labels of the screen shown again (the
        others, F1 and Ctrl+P translate theirs when next shown)."""
        from screens.widgets.footer import KeyFooter

        for footer in self.screen.query(KeyFooter):
            footer.refresh_labels()

    def get_key_display(self, binding) -> str:
        """F-keys as the keyboard prints them (``F2``), as F1 names them."""
        shown = super().get_key_display(binding)
        return shown.upper() if shown[:1] == "f" and shown[1:].isdigit() else shown
