"""What a Pilot test reads off the screen, and the few moves most screen tests make.

Textual offers no public way to read the notices or the drawn rows of a screen: the two
helpers that need one (`notifications`, `toasts`, `screen_lines`) are the only places a
test reaches past the public API.
"""

from textual.app import App
from textual.widgets import DataTable, Input, Static


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
    """The messages of the notices the app has up now."""
    return [str(notice.message) for notice in app._notifications]


def toasts(app) -> list[str]:
    """The notices as their toasts draw them (a markup error here ends the real app)."""
    from textual.widgets._toast import Toast

    return [Toast(notice).render().plain for notice in app._notifications]


def screen_lines(app) -> list[str]:
    """The terminal as the user sees it, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


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
