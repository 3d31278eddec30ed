"""The app shell: setup, sign-in, the dashboard and every F-key screen and back, at 80×24."""

import asyncio

import pytest

from reception import areas
from screens.dashboard import DashboardScreen
from tests.helpers.pilot import notifications, screen_text


async def test_each_f_key_opens_its_screen_and_escape_comes_back(make_app, team):
    """Every area, one after another in one app (each opened first by its F-key)."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for area in areas.with_fkeys():
            target = area.screen.split(":")[1]
            await pilot.press(area.fkey)
            await pilot.pause()
            assert type(app.screen).__name__ == target, area.name
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, DashboardScreen), area.name
            await pilot.press(area.dashboard_key)
            await pilot.pause()
            assert type(app.screen).__name__ == target, area.name
            await pilot.press("escape")  # back to the dashboard for the next area
            await pilot.pause()


async def test_cjk_names_line_up_in_tables(make_app, db, team):
    """Double-width names take two cells each: the next column starts at the same place."""
    from rich.cells import cell_len
    from textual.widgets import DataTable

    from models import Customer, Visit
    from reception.clock import clock

    now = clock.now_utc()
    with db.write() as session:
        for number, name in enumerate(["张小明", "Bob", "欧阳娜娜emoji😀", "[red]x[/red]"]):
            customer = Customer(name=name, phone=f"1380000000{number}", created_at=now)
            session.add(customer)
            session.flush()
            session.add(Visit(day=clock.today(), customer_id=customer.id, path="A",
                              status="waiting", status_since=now, arrived_at=now,
                              created_at=now))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#waiting", DataTable)
        starts = set()
        for y in range(1, 5):
            line = "".join(segment.text for segment in table.render_line(y))
            starts.add(cell_len(line[:line.index("Waiting")]))
        assert len(starts) == 1


async def test_command_palette_reaches_a_screen_by_name(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"callback")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CallbacksScreen"


async def palette_shows(pilot, text: str) -> bool:
    """Whether the palette lists ``text``. Its search runs in a worker: once that has
    finished the list is whole, but for the "no matches" line, which comes 0.5 s after
    it. So: looked for until 1 s after the search has finished (4 s at most before)."""
    loop = asyncio.get_running_loop()
    settled_at = None
    for _ in range(40):
        await pilot.app.workers.wait_for_complete()
        settled_at = settled_at or loop.time()
        await pilot.pause(0.1)
        if any(text in line for line in palette_lines(pilot.app)):
            return True
        if loop.time() - settled_at > 1.0:
            return False
    return False


def palette_lines(app) -> list[str]:
    from textual.command import CommandList

    options = app.screen.query_one(CommandList)
    return [str(getattr(options.get_option_at_index(index).prompt, "renderable",
                        options.get_option_at_index(index).prompt))
            for index in range(options.option_count)]


async def test_command_palette_reaches_an_action_of_another_screen(make_app, team):
    from screens.triage.register import RegisterScreen

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"register book")
        assert await palette_shows(pilot, "Walk-in triage › Register book (r)")
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, RegisterScreen)


async def test_command_palette_speaks_the_ui_language_and_lists_only_ours(make_app, team):
    from reception import i18n

    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        assert await palette_shows(pilot, "退出")
        shown = "\n".join(palette_lines(app))
        for english in ("Theme", "Screenshot", "Maximize", "Keys"):
            assert english not in shown
        assert "退出" in shown and "来客分诊" in shown
        await pilot.press(*"zzzz")
        assert await palette_shows(pilot, "没有找到")


async def test_hang_up_leaves_the_app_and_nothing_else(make_app, team, db):
    """A headless app (a test run, the benchmark) is never forced out after a hang-up: the
    app leaves, the process lives on."""
    from sqlmodel import select

    from models import SignIn
    from screens import app as app_module

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        signed = app.sign_in_id
        app.hang_up()
        await pilot.pause()
    await asyncio.sleep(app_module.HANG_UP_GRACE_SECONDS + 0.5)
    assert app.return_code == 129
    # Signed out at once: the dashboards of other terminals no longer list her.
    assert signed is not None
    with db.read() as session:
        assert session.exec(select(SignIn).where(SignIn.id == signed)).one().signed_out_at


async def test_notifications_never_read_markup(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.screen.notify("顾客 [/] [@click=app.quit]点我[/] 已到", markup=True)
        await pilot.pause()
        assert app.is_running
        # Drawn as typed, on the screen (the toast wraps it over two lines), and kept.
        assert "顾客 [/] [@click=app.quit]点我[/]" in screen_text(app)
        assert notifications(app) == ["顾客 [/] [@click=app.quit]点我[/] 已到"]


@pytest.mark.parametrize(("who", "offered"), [("receptionist", False), ("manager", True)])
async def test_command_palette_offers_the_managers_actions_only_to_a_manager(
        make_app, team, who, offered):
    app = make_app(getattr(team, who))
    async with app.run_test(size=(80, 24)) as pilot:
        for query, entry in (("reopen", "Night check › Reopen"),
                             ("callback rules", "Callbacks › Callback rules"),
                             ("settings", "Settings")):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*query)
            shown = await palette_shows(pilot, entry)
            assert shown is offered, (query, palette_lines(app))
            await pilot.press("escape")
            await pilot.pause()
