"""The keystrokes F5 costs from the dashboard (stated in screens/callbacks/board.py)."""

from models import Callback, CallbackSurvey
from reception.clock import clock
from tests.conftest import at
from tests.helpers.pilot import settle
from tests.ui.callbacks.common import add_customer, stored


async def keys(app, pilot, sequence: list[str]) -> int:
    """Press each key as typed, waiting for saves in between; the number of keys."""
    for key in sequence:
        await pilot.press(key)
        await settle(pilot)
    return len(sequence)


async def test_no_answer_in_two_keys(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert await keys(app, pilot, ["f5", "2"]) <= 2
    assert stored(db, Callback)[0].last_outcome == "no_answer"


async def test_call_back_later_in_eight_keys(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert await keys(app, pilot, ["f5", "5", *"15:30", "enter"]) <= 8
    assert clock.local(stored(db, Callback)[0].next_try_at) == at("2026-11-22T15:30:00")


async def test_four_scores_in_thirteen_keys(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        typed = ["f5", "1", "5", "enter", "enter", "4", "enter", "enter", "3", "enter",
                 "enter", "4", "ctrl+s"]
        assert await keys(app, pilot, typed) <= 13
    (survey,) = stored(db, CallbackSurvey)
    assert (survey.front_desk_score, survey.beautician_score, survey.consultant_score,
            survey.company_score) == (5, 4, 3, 4)
