"""Keys arriving in one write (a paste, an SSH link) land in each F7 form's fields in
order and save: the archive, the notice's confirmation, the visit, a request, its answer,
check-out. (The handover and check-in have theirs beside their other tests.)"""

from sqlmodel import select

from models import Contract, StayRequest
from reception import stays
from reception.clock import clock
from tests.helpers.pilot import settle
from tests.ui.stays.helpers import arrive_today, burst, check_in, open_stays, rooms, sign


async def open_form(app, pilot, key: str, first_field: str | None = None):
    await pilot.press(key)
    await settle(pilot)
    form = app.screen
    if first_field:
        form.field(first_field).focus()
        await pilot.pause()
    return form


async def test_bursts_in_every_stay_form(make_app, db, team):
    rooms(db, team)
    contract_id = sign(db, team)
    arrive_today(db, team, contract_id)
    check_in(db, team, contract_id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_stays(app, pilot)
        # The archive: nurse ⏎ pick-up time ⏎ place, then Ctrl+S.
        await open_form(app, pilot, "a", "nurse")
        await burst(app, [*"Zhou", "enter", *"2026-11-22 09:30", "enter", *"Ward 5",
                          "ctrl+s"])
        await settle(pilot)
        assert app.screen is board
        # The notice: the first department to sign is set; who signs, then Enter saves.
        await open_form(app, pilot, "c")
        await burst(app, [*"Chen", "enter"])
        await settle(pilot)
        assert app.screen is board
        # The day's visit: the note, Enter saves.
        await open_form(app, pilot, "v")
        await burst(app, [*"slept well", "enter"])
        await settle(pilot)
        assert app.screen is board
        # A request: kind and department chosen, then the text and Enter.
        form = await open_form(app, pilot, "r")
        form.field("kind").value = "meal"
        form.field("department").value = "kitchen"
        form.field("text").focus()
        await pilot.pause()
        await burst(app, [*"less salt", "enter"])
        await settle(pilot)
        assert app.screen is board
        # Its answer: the text, Enter (on to "done"), Enter saves.
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await burst(app, [*"kitchen told", "enter", "enter"])
        await settle(pilot)
        assert app.screen is board
        # Check-out: confirmations chosen; lost cards ⏎ other ⏎ reason ⏎ refund ⏎ method
        # ⏎ score ⏎ opinion ⏎ (saves).
        clock.advance(days=28)
        form = await open_form(app, pilot, "o", "lost_cards")
        form.field("items_confirmed").value = "y"
        form.field("room_checked").value = "y"
        form.field("lost_cards").value = ""
        await burst(app, ["1", "enter", *"50", "enter", *"towel", "enter", "enter",
                          "enter", "5", "enter", *"great", "enter"])
        await settle(pilot)
        assert app.screen is board
    with db.read() as session:
        contract = session.get(Contract, contract_id)
        assert (contract.nurse, contract.pickup_place) == ("Zhou", "Ward 5")
        assert stays.notice(session, contract_id).confirmed["manager"][0] == "Chen"
        assert stays.visits(session, contract_id)[0].note == "slept well"
        request = session.exec(select(StayRequest)).one()
        assert (request.text, request.answer) == ("less salt", "kitchen told")
        assert contract.status == "checked_out" and contract.survey_text == "great"
        assert [(d.reason, d.amount) for d in stays.deductions_of(session, contract_id)] == [
            ("Lost room card ×1", 20_000), ("towel", 5_000)]
