"""A busy, full or vanished store never freezes a form, ends the app or loses typing."""

import asyncio
import sqlite3

from textual.widgets import Input

from reception import draft_files, drafts, settings
from tests.helpers.pilot import screen_text, settle
from tests.helpers.pressing import handled, typed
from tests.ui.forms.test_form_base import ClinicNameForm, burst, open_form


async def wait_for_text(pilot, text: str, seconds: float) -> float:
    """Real time until ``text`` is on screen (the store's threads run meanwhile)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while text not in screen_text(pilot.app):
        if loop.time() - start > seconds:
            raise AssertionError(f"{text!r} not shown after {seconds}s:\n{screen_text(pilot.app)}")
        await asyncio.sleep(0.05)
        await handled(pilot, store=False)  # the store is held up on purpose
    return loop.time() - start


async def test_a_held_lock_keeps_the_form_typing_and_saves_when_it_goes(make_app, db, team,
                                                                       db_path):
    other = sqlite3.connect(db_path, isolation_level=None)
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
        await burst(app, "Held\tfirst")
        await typed(pilot, "ctrl+s")
        waited = await wait_for_text(pilot, "The store is busy", 3)
        assert waited < 1.5
        assert isinstance(app.screen, ClinicNameForm) and results == []
        await typed(pilot, "space", "t", "w", "o")  # typing still echoes
        assert app.screen.query_one("#note", Input).value == "first two"
        other.execute("COMMIT")
        await settle(pilot, timeout=15)
        assert results == ["Held|first"]
        with db.read() as session:
            assert settings.get(session, "clinic_name") == "Held"
        assert "The store is busy" not in screen_text(app)
    other.close()


async def test_a_vanished_file_is_one_line_and_the_typing_goes_to_a_file(
        make_app, db, team, db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot)
        for path in db_path.parent.glob(db_path.name + "*"):
            path.unlink()
        await burst(app, "Gone\tkept")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert results == [] and isinstance(app.screen, ClinicNameForm)
        assert "has gone" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        kept = draft_files.load(str(db_path), "test.clinic", owner_id=team.manager.id)
        assert kept == {"name": "Gone", "note": "kept"}
        (kept_file,) = draft_files.waiting(str(db_path))
        assert kept_file.stat().st_mode & 0o777 == 0o600
        assert kept_file.parent.stat().st_mode & 0o777 == 0o700
        assert app.is_running


async def test_file_drafts_go_back_into_the_store_when_it_answers(make_app, db, team, db_path,
                                                                   tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    draft_files.save(str(db_path), "test.clinic", {"name": "From file", "note": ""},
                     owner_id=team.manager.id)
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with db.read() as session:
            assert drafts.load(session, "test.clinic", owner_id=team.manager.id) == {
                "name": "From file", "note": ""}
        assert not draft_files.waiting(str(db_path))
        await open_form(app, pilot)
        assert app.screen.query_one("#name", Input).value == "From file"
