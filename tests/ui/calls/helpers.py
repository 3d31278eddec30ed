"""What the F3 tests share: opening the screen, the form over the call, keys in a burst,
the stored rows (``shown`` and ``type_into`` are the shared ones of tests.helpers.pilot,
re-exported here)."""

from sqlmodel import select
from textual.widgets import Input, Select

from screens.calls import CallScreen
from screens.calls.forms import CallForm
from tests.helpers.pilot import burst, settle, shown, type_into

__all__ = ["burst", "form", "open_calls", "shown", "stored", "type_into", "value"]


async def open_calls(pilot) -> CallScreen:
    await pilot.press("f3")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CallScreen)
    return pilot.app.screen


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


def stored(db, table) -> list:
    with db.read() as session:
        return list(session.exec(select(table).order_by(table.id)).all())
