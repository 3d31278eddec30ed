"""What the F7 tests share: a centre with rooms and contracts, opening the board."""

from textual import events

from screens.stays import StaysScreen
from tests.helpers.pilot import settle
from tests.unit.stays.helpers import arrive_today, check_in, rooms, sign

__all__ = ["arrive_today", "burst", "check_in", "open_stays", "rooms", "sign"]


async def open_stays(app, pilot) -> StaysScreen:
    await pilot.pause()
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(app.screen, StaysScreen)
    return app.screen


async def burst(app, keys_text) -> None:
    """Keys arriving in one write: all queued at once (\\t Tab, \\r Enter)."""
    for key in keys_text:
        name = {"\t": "tab", "\r": "enter"}.get(key, key)
        app.post_message(events.Key(name, None if len(name) > 1 else key))
