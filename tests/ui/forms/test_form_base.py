"""The one form mechanism (screens/form.py): keys, bursts, field errors, drafts, the store."""

from textual.widgets import Input

from reception import drafts, settings
from screens.form import Field, FormScreen
from tests.helpers.pilot import burst, notifications, settle
from tests.ui.staff.test_staff import open_rota


class ClinicNameForm(FormScreen[str]):
    FORM = "test.clinic"
    TITLE_KEY = "screen.settings"
    FIELDS = (
        Field("name", "settings.label.clinic_name"),
        Field("note", "settings.label.call_script_path"),
        Field("pin", "signin.pin", kind="pin"),
    )
    ERROR_FIELDS = {"clinic_name": "name"}

    def submit(self, session, values):
        settings.update(session, "clinic_name", values["name"], by=self.staff_id)
        return values["name"] + "|" + values["note"]


async def open_form(app, pilot, **kwargs):
    results = []
    app.push_screen(ClinicNameForm(**kwargs), results.append)
    await settle(pilot)
    return results


def value(app, field_id):
    return app.screen.query_one(f"#{field_id}", Input).value


async def test_burst_fills_each_field_and_saves_from_the_last(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot)
        await burst(app, "Bright\tnote two\t1234\r")
        await settle(pilot)
        assert results == ["Bright|note two"]
        with db.read() as session:
            assert settings.get(session, "clinic_name") == "Bright"


async def test_enter_moves_on_and_a_refusal_is_shown_under_its_field(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot)
        await pilot.press("enter")
        assert app.focused.id == "note"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert results == []
        assert app.focused.id == "name"
        error = str(app.screen.query_one("#name-error").render())
        assert error and "Error" not in error


async def test_escape_keeps_a_draft_and_the_next_open_puts_it_back(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot)
        await burst(app, "Half\t9999")
        await settle(pilot)
        await pilot.press("tab")
        await burst(app, "4321")
        await pilot.press("escape")
        await settle(pilot)
        assert results == [None]
        with db.read() as session:
            kept = drafts.load(session, "test.clinic", owner_id=team.manager.id)
        assert kept == {"name": "Half", "note": "9999"}  # never the PIN
        results = await open_form(app, pilot)
        assert value(app, "name") == "Half" and value(app, "note") == "9999"
        assert any("back" in notice for notice in notifications(app))
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert value(app, "name") == ""
        await pilot.press("ctrl+r")
        assert value(app, "name") == "Half"


async def test_untouched_form_keeps_no_draft(make_app, db, team):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, values={"name": "Opened"})
        await pilot.press("escape")
        await settle(pilot)
        with db.read() as session:
            assert drafts.load(session, "test.clinic", owner_id=team.manager.id) is None


async def test_keys_in_the_writes_after_the_one_that_opens_a_form_land_in_it(make_app, db, team):
    """Each key its own write, none waiting for a frame to be drawn (``pilot.press``): the
    key that opens the form, then the ones for its field, which come before the form's first
    frame. They go to the field in order, replacing the value offered (the rota's day, the
    night check's paper count)."""
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        rota = await open_rota(app, pilot)
        await pilot.press("g", *"2026-12-01", "enter")
        await settle(pilot)
        assert app.screen is rota and str(rota.day) == "2026-12-01"
        app.open_area("reconcile")
        await settle(pilot)
        await pilot.press("p", *"37")
        await settle(pilot)
        assert app.screen.focused.value == "37"
