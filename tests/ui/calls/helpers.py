"""What the F3 tests share: opening the screen, reading it, typing, the stored rows."""

from sqlmodel import select
from textual import events
from textual.widgets import Input, Select, Static

from screens.calls import CallScreen
from screens.calls.forms import CallForm
from tests.helpers.pilot import settle


async def open_calls(pilot) -> CallScreen:
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)
    return pilot.app.screen


def shown(app, selector: str) -> str:
    """A line of the screen on top (the call, or the form over it)."""
    return str(app.screen.query_one(selector, Static).render())


def form(app) -> CallForm:
    assert isinstance(app.screen, CallForm), app.screen
    return app.screen


def value(app, field_id: str):
    """A field of the form on top: an input's text, a drop-down's value (None when blank)."""
    widget = form(app).query_one(f"#{field_id}")
    if isinstance(widget, Select):
        return None if widget.is_blank() else widget.value
    assert isinstance(widget, Input)
    return widget.value


async def type_into(pilot, text: str) -> None:
    """Type as the receptionist does (CJK goes in as one paste-like value)."""
    focused = pilot.app.focused
    assert isinstance(focused, Input), focused
    if text.isascii():
        await pilot.press(*text)
    else:
        focused.insert_text_at_cursor(text)
    await pilot.pause()


async def burst(app, keys) -> None:
    """Keys arriving in one write (a paste, an SSH link): all queued at once. A string is
    typed character by character; key names go in a list."""
    for key in keys:
        name = {"\t": "tab", "\r": "enter"}.get(key, key)
        app.post_message(events.Key(name, None if len(name) > 1 else key))


def stored(db, table) -> list:
    with db.read() as session:
        return list(session.exec(select(table).order_by(table.id)).all())
