"""Sign-in and first-run setup at 80×24: forms, bursts typed in one write, the PIN hidden."""

from sqlmodel import select
from textual.widgets import Input, OptionList

from models import AuditEntry, SignIn
from reception import i18n, settings
from screens.dashboard import DashboardScreen
from tests.conftest import MANAGER_PIN, PIN
from tests.helpers.pilot import burst, screen_text, settle


def fresh_app(db):
    from screens.app import ReceptionApp

    return ReceptionApp(db, watch=False)


def field(app, field_id: str) -> Input:
    return app.screen.query_one(f"#{field_id}", Input)


async def test_first_run_setup_then_dashboard(db):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for text in ["科医美", "王经理", MANAGER_PIN, MANAGER_PIN]:
            app.focused.value = text
            await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.staff.name == "王经理"


async def test_first_run_setup_typed_in_one_burst(db):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "First-run setup" in screen_text(app)
        await burst(app, f"Bright Clinic\rWang\r{MANAGER_PIN}\r{MANAGER_PIN}\r")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.staff.name == "Wang" and app.sign_in_id is not None
    with db.read() as session:
        assert settings.get(session, "clinic_name") == "Bright Clinic"


async def test_setup_pins_that_differ_are_refused_at_the_second(db):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(app, f"Bright\rWang\r{PIN}\r4321\r")
        await settle(pilot)
        assert app.staff is None
        assert app.focused is field(app, "pin_again")
        assert "The two PINs differ" in str(app.screen.query_one("#pin_again-error").render())
        # The PIN is never shown, not even in the message line.
        assert PIN not in screen_text(app) and "4321" not in screen_text(app)


async def test_sign_in_with_wrong_then_right_pin(db, team):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"李前台")
        await pilot.press("enter")
        await pilot.press(*"9999", "enter")
        await settle(pilot)
        assert app.staff is None
        assert field(app, "pin").value == ""
        assert app.focused is field(app, "pin")
        assert "Wrong PIN" in screen_text(app)
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.staff.name == "李前台"


async def test_sign_in_typed_in_one_burst_never_shows_the_pin(db, team):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen: list[str] = []
        filter_field = app.screen.query_one("#filter", Input)
        filter_field.watch(filter_field, "value", lambda value: seen.append(value), init=False)
        await burst(app, f"李前台\r{PIN}\r")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.staff.name == "李前台"
        assert all(PIN not in value and not any(c.isdigit() for c in value)
                   for value in seen), seen
    with db.read() as session:
        signed = session.exec(select(SignIn)).all()
    assert [row.staff_id for row in signed] == [team.receptionist.id]


async def test_sign_in_bursts_repeated_after_a_wrong_pin(db, team):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(app, "wjl\r0000\r")
        await settle(pilot)
        assert app.staff is None
        assert field(app, "filter").value == "wjl" and field(app, "pin").value == ""
        await burst(app, f"{MANAGER_PIN}\r")
        await settle(pilot)
        assert app.staff.name == "王经理"


async def test_sign_in_list_filters_by_role_too(db, team):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"receptionist")
        await pilot.pause()
        options = app.screen.query_one("#staff-list", OptionList)
        assert options.option_count == 1
        assert "李前台" in str(options.get_option_at_index(0).prompt)


async def test_sign_in_list_puts_the_counter_first_and_knows_pinyin_initials(db, team):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#staff-list", OptionList)
        first_two = [str(options.get_option_at_index(index).prompt) for index in (0, 1)]
        assert "李前台" in first_two[0] and "王经理" in first_two[1]
        await pilot.press(*"lqt")
        await pilot.pause()
        assert options.option_count == 1
        assert "李前台" in str(options.get_option_at_index(0).prompt)


async def test_down_in_the_filter_picks_the_next_in_the_list(db, team):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter", *MANAGER_PIN, "enter")
        await settle(pilot)
        assert app.staff.name == "王经理"  # second in the list


async def test_no_match_is_said_under_the_filter(db, team):
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"nobody", "enter", *PIN, "enter")
        await settle(pilot)
        assert app.staff is None
        assert "Choose a staff member first" in screen_text(app)
        with db.read() as session:
            assert session.exec(select(AuditEntry).where(
                AuditEntry.action == "sign_in")).first() is None


async def test_chinese_sign_in_has_no_english_label(db, team):
    i18n.set_language("zh")
    app = fresh_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "员工登录" in text and "密码" in text
        assert "PIN" not in text
        await burst(app, f"lqt\r{PIN}\r")
        await settle(pilot)
        assert app.staff.name == "李前台"
