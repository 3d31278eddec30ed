"""What a Pilot test reads off the screen, and the few moves most screen tests make.

Everything here uses Textual's public API only (the app keeps its own list of notices).
"""

import asyncio

from textual import events
from textual.app import App
from textual.errors import NoWidget
from textual.geometry import Region
from textual.widgets import DataTable, Input, Static

from tests.helpers.pressing import handled, started


async def settle(pilot, timeout: float = 10.0) -> None:
    """Wait until the store's calls have come back and the screen has caught up: rounds of
    ``handled`` (an answer that starts another call is waited for too), up to five, until
    one finds nothing started, and nothing starts when what the screens asked to run "after
    refresh" (the handover offered at sign-in) has run."""
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    for _round in range(5):
        if await handled(pilot, max(deadline - loop.time(), 0.0)):
            continue
        if app.return_code is not None:
            return
        await asyncio.wait_for(app.wait_for_refresh(), max(deadline - loop.time(), 0.1))
        if not started(app):
            return


#: Characters that stand for a key in a burst's text.
KEY_CHARACTERS = {"\t": "tab", "\r": "enter", "\b": "backspace", "\x13": "ctrl+s"}
#: Names a burst takes as one key when one is given as an argument of its own.
KEY_NAMES = {"enter", "tab", "escape", "backspace", "space", "ctrl+s", "ctrl+r", "ctrl+d", "up",
             "down", "f2"}


async def burst(app, *parts) -> None:
    """Keys arriving in one write (a paste, an SSH link with latency, a fast typist): all
    queued at once, before the app handles the first. Each part is text typed character by
    character (\\t Tab, \\r Enter, \\b Backspace, \\x13 Ctrl+S), a key name on its own
    (``"tab"``, ``"ctrl+s"``), or a list of single keys (characters or key names)."""
    for part in parts:
        keys = [part] if isinstance(part, str) and part in KEY_NAMES else part
        for key in keys:
            name = KEY_CHARACTERS.get(key, key)
            app.post_message(events.Key(name, None if len(name) > 1 else key))


def shown(where, selector: str) -> str:
    """The text of one Static on the screen (`where`: a screen, or the app's top screen)."""
    screen = where.screen if isinstance(where, App) else where
    return str(screen.query_one(selector, Static).render())


def rows(table: DataTable) -> list[list[str]]:
    """A table's cells, row by row, as text."""
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def cells(table: DataTable) -> list[str]:
    """A table's rows, each as one line with ' | ' between the cells."""
    return [" | ".join(str(cell) for cell in table.get_row_at(index))
            for index in range(table.row_count)]


def notifications(app) -> list[str]:
    """The messages notified so far (oldest first), as the app's ``notices`` keeps them."""
    return [message for message, _severity in app.notices]


def toasts(app) -> list[str]:
    """The notices as shown (the app never reads them as markup: a notice's text is
    exactly its message)."""
    return notifications(app)


def screen_lines(app) -> list[str]:
    """The lines of the screen as the terminal shows them (the active screen's widgets, each
    drawn where it sits, the topmost one at each cell)."""
    screen = app.screen
    width, height = screen.size
    lines = []
    for y in range(height):
        parts: list[str] = []
        x = 0
        while x < width:
            try:
                widget, region = screen.get_widget_at(x, y)
            except NoWidget:
                parts.append(" ")
                x += 1
                continue
            end = x + 1
            while end < width and _widget_at(screen, end, y) is widget:
                end += 1
            strip = widget.render_lines(Region(x - region.x, y - region.y, end - x, 1))[0]
            parts.append(strip.text)
            x = end
        lines.append("".join(parts))
    return lines


def _widget_at(screen, x: int, y: int):
    try:
        return screen.get_widget_at(x, y)[0]
    except NoWidget:
        return None


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


async def open_area(app, pilot, key: str, screen_class):
    """Press an area's key from where the app stands; the area's screen is then on top."""
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, screen_class)
    return app.screen


async def type_into(pilot, text: str) -> None:
    """Type into the focused input as the receptionist does (CJK goes in as one paste-like
    value)."""
    focused = pilot.app.focused
    assert isinstance(focused, Input), focused
    if text.isascii():
        await pilot.press(*text)
    else:
        focused.insert_text_at_cursor(text)
    await pilot.pause()
