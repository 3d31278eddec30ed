"""What the F8 tests share: opening the board, reading its table, bursts of keys."""

from textual import events
from textual.widgets import DataTable

from screens.logbook import LogbookScreen
from tests.helpers.pilot import rows, settle, shown

__all__ = ["burst", "open_logbook", "rows", "shown", "table_rows"]


async def open_logbook(app, pilot) -> LogbookScreen:
    await pilot.pause()
    await pilot.press("f8")
    await settle(pilot)
    assert isinstance(app.screen, LogbookScreen)
    await settle(pilot)
    return app.screen


def table_rows(app) -> list[list[str]]:
    return rows(app.screen.query_one("#logbook-table", DataTable))


async def burst(app, keys_text) -> None:
    """Keys arriving in one write: ``keys_text`` a string (\\t Tab, \\r Enter) or names."""
    for key in keys_text:
        name = {"\t": "tab", "\r": "enter"}.get(key, key)
        app.post_message(events.Key(name, None if len(name) > 1 else key))
