"""What the F4 tests share: opening the board, reading its tables, bursts of keys."""

from textual import events

from reception import keys
from screens.keys import KeysScreen
from tests.helpers.pilot import rows as cells
from tests.helpers.pilot import settle, shown

__all__ = ["burst", "cells", "default_keys", "lend", "open_keys", "shown"]


async def open_keys(app, pilot) -> KeysScreen:
    await pilot.pause()
    await pilot.press("f4")
    await settle(pilot)
    assert isinstance(app.screen, KeysScreen)
    return app.screen


async def burst(app, keys_text) -> None:
    """Keys arriving in one write (a paste, an SSH link): all queued at once.
    ``keys_text`` is a string (\\t Tab, \\r Enter) or a list of key names."""
    for key in keys_text:
        name = {"\t": "tab", "\r": "enter"}.get(key, key)
        app.post_message(events.Key(name, None if len(name) > 1 else key))


def default_keys(db, team) -> tuple[int, int]:
    with db.write() as session:
        archive, vip = keys.ensure_default_keys(session, by=team.manager.id)
    return archive.id, vip.id


def lend(db, key_id, staff, by, purpose="对账", **extra):
    with db.write() as session:
        return keys.lend(session, key_id=key_id, staff_id=staff.id, by=by.id,
                         purpose=purpose, **extra).id
