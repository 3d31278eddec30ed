"""What the F4 tests share: opening the board, reading its tables, bursts of keys."""


from reception import keys
from screens.keys import KeysScreen
from tests.helpers.pilot import burst, settle, shown
from tests.helpers.pilot import rows as cells

__all__ = ["burst", "cells", "default_keys", "lend", "open_keys", "shown"]


async def open_keys(app, pilot) -> KeysScreen:
    await pilot.pause()
    await pilot.press("f4")
    await settle(pilot)
    assert isinstance(app.screen, KeysScreen)
    return app.screen


def default_keys(db, team) -> tuple[int, int]:
    with db.write() as session:
        archive, vip = keys.ensure_default_keys(session, by=team.manager.id)
    return archive.id, vip.id


def lend(db, key_id, staff, by, purpose="对账", **extra):
    with db.write() as session:
        return keys.lend(session, key_id=key_id, staff_id=staff.id, by=by.id,
                         purpose=purpose, **extra).id
