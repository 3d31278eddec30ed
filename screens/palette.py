"""Ctrl+P: every screen and every action by name, in the UI's language.

The entries are the areas (F2–F6 and the manager's screens) and each area's keys, read
from the screens' own ``BINDINGS`` (so the palette and F1 never disagree). An action runs
on its screen as its key would, and only where that key would (the screen's
``check_action``). This is the palette's only provider: Textual's own commands (theme,
screenshot …) are left out — they are not the receptionist's, and they are English only —
and "no matches" is said here, in the UI's language.
"""

import importlib
from collections.abc import Iterator
from dataclasses import dataclass

from rich.text import Text
from textual.actions import parse
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from reception import areas
from reception.i18n import t
from screens.help import key_label
from screens.widgets.footer import label as translated


@dataclass(frozen=True)
class Entry:
    label: str
    area: str  # "" for the screen the palette was opened over; or "help", "quit" …
    action: str  # "" to open the area
    help: str = ""


class ReceptionPalette(CommandPalette):
    """Textual's palette with its words in the UI's language."""

    def __init__(self) -> None:
        super().__init__(placeholder=t("palette.placeholder"), id="--command-palette")


def _actions(bindings) -> Iterator[tuple[str, str]]:
    """(description with its key, action) of the keys worth naming: not digits, not moves."""
    for binding in bindings:
        key = binding.key.split(",")[0]
        if not binding.description or key.isdigit() or key in ("up", "down", "escape"):
            continue
        yield f"{translated(binding)} ({key_label(binding)})", binding.action


class ReceptionCommands(Provider):
    """The areas and their actions."""

    def entries(self) -> Iterator[Entry]:
        app = self.app
        if app.staff is None:
            yield Entry(t("key.help"), "help", "", t("palette.help"))
            yield Entry(t("key.quit"), "quit", "", t("palette.quit"))
            return
        here = self.screen
        seen: set[str] = set()
        # The keys of the screen the palette was opened over first: they act right here.
        for label, action in _actions(here.BINDINGS):
            namespace, name, parameters = parse(action)
            target = self.app if namespace == "app" else here
            if target.check_action(name, parameters) is not False:
                seen.add(label)
                yield Entry(label, "", action)
        yield Entry(t("screen.dashboard"), "dashboard", "")
        off = app.areas_off()
        for area in areas.AREAS:
            if area.manager_only and not app.is_manager or area.name in off:
                continue
            title = t(area.title_key)
            yield Entry(title + (f" ({area.fkey_display})" if area.fkey else ""), area.name, "")
            module_name, class_name = area.module_and_class
            screen_class = getattr(importlib.import_module(module_name), class_name)
            managers_only = set() if app.is_manager else getattr(
                screen_class, "MANAGER_ACTIONS", set())
            for label, action in _actions(screen_class.BINDINGS):
                if label not in seen and parse(action)[1] not in managers_only:
                    yield Entry(f"{title} › {label}", area.name, action)
        yield Entry(t("screen.sign_out"), "sign_out", "")
        yield Entry(t("key.help"), "help", "", t("palette.help"))
        yield Entry(t("key.quit"), "quit", "", t("palette.quit"))

    async def discover(self) -> Hits:
        for entry in self.entries():
            yield DiscoveryHit(entry.label, self._runner(entry), help=entry.help or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for entry in self.entries():
            score = matcher.match(entry.label)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(entry.label), self._runner(entry),
                          help=entry.help or None)
        if not found:
            # Said in the UI's language (this provider is the palette's only one, so
            # nothing else answers); choosing it just closes the palette.
            yield Hit(1, Text(t("palette.no_matches"), style="dim"), lambda: None,
                      text=t("palette.no_matches"))

    def _runner(self, entry: Entry):
        app = self.app
        here = self.screen

        def run() -> None:
            if entry.area == "sign_out":
                app.sign_out()
            elif entry.area == "help":
                app.action_help()
            elif entry.area == "quit":
                app.call_later(app.action_quit)
            elif entry.area == "dashboard":
                app.go_home()
            elif not entry.area:
                app.call_later(here.run_action, entry.action)
            else:
                app.open_area(entry.area)
                if entry.action and app.is_screen_installed(entry.area):
                    screen = app.get_screen(entry.area)
                    app.call_after_refresh(screen.run_action, entry.action)

        return run
