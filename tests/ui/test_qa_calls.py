"""QA round on F3 (phone call): defects found by testers at 80×24, each reproduced here."""

from sqlmodel import select
from textual.widgets import Input, Select, Static

from models import Appointment, Call
from reception import i18n
from screens.calls import CallScreen


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def stored(db, table) -> list:
    with db.read() as session:
        return list(session.exec(select(table).order_by(table.id)).all())


async def open_calls(pilot) -> CallScreen:
    await pilot.press("f3")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CallScreen)
    return pilot.app.screen


# --- 1. Enter on a closed drop-down goes to the next field ------------------------------


async def test_enter_on_the_consultant_drop_down_moves_on_to_what_for(make_app, team, db):
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("3", "2", *"13700001111", "enter", *"Gao", "enter", "enter",
                          *"1530", "enter")
        await pilot.pause()
        select_ = screen.query_one("#book-consultant", Select)
        assert app.focused is select_
        await pilot.press("down")  # opens the menu
        await pilot.pause()
        assert select_.expanded
        await pilot.press("down", "enter")  # the first consultant
        await pilot.pause()
        assert not select_.expanded and select_.value == team.consultants[0].id
        await pilot.press("enter")  # the promised "回车下一项", not the menu again
        await pilot.pause()
        assert not select_.expanded
        assert app.focused is screen.query_one("#book-purpose", Input)
        await pilot.press(*"热玛吉")
        await pilot.pause()
        assert screen.query_one("#book-purpose", Input).value == "热玛吉"
        assert select_.value == team.consultants[0].id
        await pilot.press("enter")  # the last field: saves
        await pilot.pause()
        [booked] = stored(db, Appointment)
        assert booked.purpose == "热玛吉" and booked.consultant_id == team.consultants[0].id
        assert stored(db, Call)[0].outcome == "booked"


async def test_enter_on_the_message_recipient_moves_on_to_the_name(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_calls(pilot)
        await pilot.press("1", *"Wang", "enter", "1", *"visit", "enter", "1")
        await pilot.pause()
        recipient = screen.query_one("#msg-recipient", Select)
        recipient.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not recipient.expanded
        assert app.focused is screen.query_one("#msg-name", Input)
        assert recipient.value == team.manager.id
        # Down still opens it.
        recipient.focus()
        await pilot.press("down")
        await pilot.pause()
        assert recipient.expanded
