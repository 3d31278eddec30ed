"""The manager's key setup (dashboard ``k``) at 80×24: the key form and the closing time."""

from sqlmodel import select

from models import Draft, RoomKey
from reception import i18n, keys, settings
from screens.keys import KeySetupScreen
from screens.keys.setup import ClosingForm, KeyForm
from tests.helpers.pilot import screen_text, settle
from tests.ui.keys.helpers import burst, cells, default_keys


async def open_setup(app, pilot) -> KeySetupScreen:
    await pilot.pause()
    await pilot.press("k")
    await settle(pilot)
    assert isinstance(app.screen, KeySetupScreen)
    return app.screen


async def test_manager_adds_a_key_and_sets_the_closing_time(make_app, team, db):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(app, pilot)
        table = screen.query_one("#setup-table")
        assert [row[0] for row in cells(table)] == [keys.ARCHIVE_NAME, keys.VIP_NAME]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, KeyForm)
        # Name, Enter; the roles: down twice to Doctor, space; Tab; the limit; Tab; space.
        await pilot.press(*"药房", "enter", "down", "down", "space", "tab")
        await pilot.press(*"15", "tab", "space", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert [row[0] for row in cells(table)][-1] == "药房"
        with db.read() as session:
            added = next(key for key in keys.list_keys(session) if key.name == "药房")
        assert (added.roles_allowed, added.limit_minutes, added.needs_manager_approval) == (
            "doctor", 15, True)
        assert added.created_by_id == team.manager.id

        # Editing shows the key's roles ticked; an empty role list is refused.
        table.move_cursor(row=0)
        await pilot.press("e")
        await settle(pilot)
        roles = app.screen.query_one("#roles")
        assert sorted(roles.selected) == ["cashier", "consultant"]
        roles.deselect_all()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "at least one role" in str(app.screen.query_one("#roles-error").render())
        assert app.focused.id == "roles"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ClosingForm)
        assert app.focused.id == "closing_time"
        await pilot.press(*"20:30", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert "Closing time 20:30" in screen_text(app)
        with db.read() as session:
            assert settings.get(session, "closing_time") == "20:30"
            archive = keys.archive_key(session)
        assert archive.roles_allowed == "consultant,cashier"


async def test_a_bad_closing_time_is_said_under_the_field(make_app, team, db):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_setup(app, pilot)
        await pilot.press("o", *"25:00", "enter")
        await settle(pilot)
        assert "Times are HH:MM: 25:00" in str(app.screen.query_one(
            "#closing_time-error").render())
        await pilot.press("escape")
        await settle(pilot)
    with db.read() as session:
        assert settings.get(session, "closing_time") != "25:00"


async def test_a_key_typed_in_a_burst_is_added(make_app, team, db):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_setup(app, pilot)
        await burst(app, ["a", *"储物间", "\t", "space", "\t", *"45", "\t",
                          "ctrl+s"])
        await settle(pilot)
        assert app.screen is screen
        with db.read() as session:
            added = session.exec(select(RoomKey).where(RoomKey.name == "储物间")).one()
        assert (added.roles_allowed, added.limit_minutes) == ("receptionist", 45)


async def test_a_half_typed_key_is_put_back_when_setup_opens_again(make_app, team, db):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_setup(app, pilot)
        await pilot.press("a", *"半个", "escape")
        await settle(pilot)
        with db.read() as session:
            assert [d.form for d in session.exec(select(Draft))] == ["key_setup.key"]
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, KeyForm)
        assert app.screen.query_one("#name").value == "半个"


async def test_receptionist_cannot_open_key_setup(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert not isinstance(app.screen, KeySetupScreen)


async def test_key_setup_ticks_read_as_x_or_blank(make_app, team, db):
    default_keys(db, team)
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_setup(app, pilot)
        await pilot.press("e")  # the archive key: consultant and cashier, no approval
        await settle(pilot)
        text = screen_text(app)
        assert "[x] Consultant" in text and "[x] Cashier" in text
        assert "[ ] Doctor" in text and "[ ] Receptionist" in text
        assert "[ ] Needs a manager's approval" in text
        assert "▐X▌" not in text
        app.screen.query_one("#approval").focus()
        await pilot.press("space")
        await pilot.pause()
        assert "[x] Needs a manager's approval" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
    with db.read() as session:
        assert keys.archive_key(session).needs_manager_approval


async def test_zh_key_form_reads_whole(make_app, team, db):
    i18n.set_language("zh")
    default_keys(db, team)
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_setup(app, pilot)
        await pilot.press("e")
        await settle(pilot)
        text = screen_text(app)
        assert "修改钥匙：档案室" in text
        assert "[x] 咨询师" in text and "[ ] 需经理许可" in text
