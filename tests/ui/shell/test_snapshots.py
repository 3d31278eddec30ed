"""What the main screens look like at 80×24, in Chinese and English (pytest-textual-snapshot).

The SVGs are in ``__snapshots__/``; after a change that is meant to alter a screen, look at
the report and accept it with ``pytest tests/ui/shell/test_snapshots.py --snapshot-update``.
The clock is fixed (conftest) and no cursor blinks, so a run draws the same every time.
The F-key areas are marked ``snapshot_area``: their screens are being rewritten, so their
pictures are regenerated when the rewrites land (``-m snapshot_area --snapshot-update``).
"""

import pytest
from textual.widgets import Input, TextArea

from models import Customer, Visit
from reception import i18n
from reception.clock import clock
from screens.app import ReceptionApp

LANGUAGES = ("zh", "en")


@pytest.fixture
def small_day(db, team):
    """Three customers in the building, waiting for a few minutes (fixed clock)."""
    now = clock.now_utc()
    with db.write() as session:
        for number, (name, path, status) in enumerate([
            ("卢桂倩", "A", "waiting"), ("Wang Fang", "B", "waiting"),
            ("欧阳娜娜", "C", "with_consultant"),
        ]):
            customer = Customer(name=name, phone=f"1380000100{number}", created_at=now)
            session.add(customer)
            session.flush()
            session.add(Visit(day=clock.today(), customer_id=customer.id, path=path,
                              status=status, status_since=now, arrived_at=now,
                              created_at=now))
    return team


def steady(*keys: str):
    """Press ``keys``, then stop every cursor blinking (a blink would differ run to run)."""
    async def run_before(pilot) -> None:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        for field in pilot.app.screen.query("Input, TextArea"):
            if isinstance(field, Input | TextArea):
                field.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in(snap_compare, db, small_day, language):
    i18n.set_language(language)
    assert snap_compare(ReceptionApp(db, watch=False), run_before=steady())


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard(snap_compare, make_app, small_day, language):
    i18n.set_language(language)
    assert snap_compare(make_app(small_day.receptionist), run_before=steady())


@pytest.mark.parametrize("language", LANGUAGES)
def test_f1_help_on_the_dashboard(snap_compare, make_app, small_day, language):
    i18n.set_language(language)
    assert snap_compare(make_app(small_day.receptionist), run_before=steady("f1"))


@pytest.mark.snapshot_area
@pytest.mark.parametrize("fkey", ["f2", "f3", "f4", "f5", "f6"])
def test_area_as_it_opens_zh(snap_compare, make_app, small_day, fkey):
    i18n.set_language("zh")
    assert snap_compare(make_app(small_day.receptionist), run_before=steady(fkey))
