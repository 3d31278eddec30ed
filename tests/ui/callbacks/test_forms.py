"""F5's call forms at 80×24: "call back later at …" and the four-question survey, each a
form over the list (Enter, Ctrl+S, Escape keeps a draft, errors under their field)."""

from textual.widgets import Input

from models import Callback, CallbackAttempt, CallbackSurvey
from reception import callbacks, drafts, i18n
from reception.clock import clock
from screens.callbacks import CallbacksScreen
from screens.callbacks.forms import LaterForm, SurveyForm
from screens.dashboard import DashboardScreen
from tests.conftest import at
from tests.helpers.pilot import burst, notifications, settle
from tests.ui.callbacks.common import (
    add_customer,
    error_text,
    field_value,
    open_list,
    press,
    ready_rows,
    static_text,
    stored,
    table_text,
)

# --- call back later -----------------------------------------------------------------


async def test_call_back_later_at_a_time(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await press(pilot, "5")
        assert isinstance(app.screen, LaterForm)
        assert app.focused.id == "later-time"
        await press(pilot, *"22:30", "enter")
        assert "Outside opening hours" in error_text(app, "later-time")
        assert app.focused.id == "later-time"
        assert stored(db, CallbackAttempt) == []
        app.screen.query_one("#later-time", Input).value = ""
        await press(pilot, *"15:30", "enter")
        assert app.screen is screen
        assert ready_rows(screen) == 0
        assert "15:30" in static_text(screen, "#header")
        assert "Next try 15:30" in notifications(app)[-1]
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert callback.last_outcome == "later"
    assert clock.local(callback.next_try_at) == at("2026-11-22T15:30:00")


async def test_later_prompt_refuses_a_year_one_time_without_crashing(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "5")
        for typed in ("0001-01-01 10:00", "abc 10:00"):
            app.screen.query_one("#later-time", Input).value = ""
            await press(pilot, *typed, "enter")
            shown = error_text(app, "later-time")
            assert "HH:MM" in shown or "passed" in shown, typed
            assert app.focused.id == "later-time"
        assert app.is_running
    assert stored(db, CallbackAttempt) == []


async def test_later_in_zh_with_full_width_digits_and_a_kept_draft(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "5")
        await burst(app, "１６：")
        await settle(pilot)
        await press(pilot, "escape")
        assert isinstance(app.screen, CallbacksScreen)
        with db.read() as session:
            kept = drafts.load(session, f"callbacks.attempt.{customer.id}",
                               owner_id=team.receptionist.id)
        assert kept == {"later-time": "１６："}
        await press(pilot, "5")
        assert field_value(app, "later-time") == "１６："
        await burst(app, "００\r")
        await settle(pilot)
        assert isinstance(app.screen, CallbacksScreen)
        assert "下次回访 16:00" in notifications(app)[-1]
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert clock.local(callback.next_try_at) == at("2026-11-22T16:00:00")


# --- the survey ----------------------------------------------------------------------


async def test_reached_survey_saves_one_record(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111", consultant=team.consultants[1])
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await press(pilot, "1")
        assert isinstance(app.screen, SurveyForm)
        title = str(app.screen.query_one(".form-title").render())
        assert "13800001111" in title and "陈咨询" in title
        # Every question fits on 80×24.
        for prefix, _key in callbacks.QUESTIONS:
            region = app.screen.query_one(f"#{prefix}-text", Input).region
            assert region.height and region.bottom <= 22
        answers = [("5", "很热情"), ("4", "手法专业"), ("3", "[b]还行[/b]")]
        for score, remark in answers:
            await pilot.press(score, "enter")
            await pilot.press(*remark, "enter")
        await pilot.press("4", "enter")
        app.focused.value = "😀"  # a key press cannot carry an emoji
        await press(pilot, "enter")
        assert app.screen is screen
        assert ready_rows(screen) == 0 and table_text(screen) == ""
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert (callback.status, callback.flagged, callback.attempts) == ("reached", False, 1)
    (survey,) = stored(db, CallbackSurvey, callback_id=callback.id)
    assert (survey.front_desk_score, survey.beautician_score, survey.consultant_score,
            survey.company_score) == (5, 4, 3, 4)
    assert (survey.front_desk_text, survey.consultant_text, survey.company_text) == (
        "很热情", "[b]还行[/b]", "😀")
    assert survey.created_by_id == team.receptionist.id


async def test_a_survey_typed_in_one_burst_fills_each_field_and_saves(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await burst(app, "1")
        await settle(pilot)
        await burst(app, "5\tgood desk\r4\r\r3\tslow\t2\tnone\r")
        await settle(pilot)
        assert app.screen is screen
    (callback,) = stored(db, Callback, customer_id=customer.id)
    (survey,) = stored(db, CallbackSurvey, callback_id=callback.id)
    assert [(survey.front_desk_score, survey.front_desk_text),
            (survey.beautician_score, survey.beautician_text),
            (survey.consultant_score, survey.consultant_text),
            (survey.company_score, survey.company_text)] == [
        (5, "good desk"), (4, ""), (3, "slow"), (2, "none")]
    assert callback.flagged


async def test_a_low_score_shows_on_the_dashboard_and_the_manager_clears_it(
        db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await press(pilot, "1")
        await press(pilot, "2", "ctrl+s")  # one low score is enough; Ctrl+S saves
        assert app.screen is screen
        assert "Low score: flagged for the manager" in notifications(app)[-1]
        await press(pilot, "escape")
        assert isinstance(app.screen, DashboardScreen)
        assert "Low-score callbacks for the manager: 1" in static_text(
            app.screen, "#flagged-line")
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert callback.flagged
    manager_app = make_app(team.manager)
    async with manager_app.run_test(size=(80, 24)) as pilot:
        await open_list(manager_app, pilot)
        await press(pilot, "f")
        flagged = manager_app.screen
        assert "王小红" in table_text(flagged, "#flagged-table")
        assert "2/–/–/–" in table_text(flagged, "#flagged-table")
        await press(pilot, "c")
        assert flagged.query_one("#flagged-table").row_count == 0
        await press(pilot, "escape")
        assert isinstance(manager_app.screen, CallbacksScreen)
    assert not stored(db, Callback, customer_id=customer.id)[0].flagged


async def test_an_empty_or_bad_survey_is_refused(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "1")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, SurveyForm)
        assert error_text(app, "front_desk-score") == "Give at least one score or remark"
        assert app.focused.id == "front_desk-score"
        await press(pilot, "9")  # not 1–5: the field refuses it
        assert field_value(app, "front_desk-score") == ""
    assert stored(db, CallbackSurvey) == []


async def test_a_score_cannot_slip_into_the_remarks(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await press(pilot, "1")
        # Enter on an empty score goes on to its remarks, saying the question is unscored
        # (nothing typed there is lost: the remarks box takes any text).
        await press(pilot, "enter")
        assert app.focused.id == "front_desk-text"
        assert "Not scored" in error_text(app, "front_desk-score")
        # Remarks but no score at all: asked once, saved on the second Ctrl+S.
        await press(pilot, "4", "ctrl+s")
        assert isinstance(app.screen, SurveyForm)
        assert "No scores" in error_text(app, "form-problem")
        assert app.focused.id == "front_desk-score"
        assert stored(db, CallbackSurvey) == []
        await press(pilot, "ctrl+s")
        assert app.screen is screen
    (survey,) = stored(db, CallbackSurvey)
    assert (survey.front_desk_score, survey.front_desk_text) == (None, "4")


async def test_a_half_filled_survey_is_kept_through_escape(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await press(pilot, "1")
        await press(pilot, "4", "tab", *"前台不错")
        await press(pilot, "escape")
        assert app.screen is screen
        await press(pilot, "1")
        assert field_value(app, "front_desk-score") == "4"
        assert field_value(app, "front_desk-text") == "前台不错"
        await press(pilot, "ctrl+s")
        assert app.screen is screen
    (survey,) = stored(db, CallbackSurvey)
    assert (survey.front_desk_score, survey.front_desk_text) == (4, "前台不错")
    with db.read() as session:
        assert callbacks.survey_drafts(session, team.receptionist.id) == []


async def test_a_survey_left_open_at_quit_is_offered_back(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "1")
        await pilot.press("3", "tab", *"一般")
        app.save_all_drafts()  # what Ctrl+Q and a hang-up do
    (callback,) = stored(db, Callback, customer_id=customer.id)
    with db.read() as session:
        assert callbacks.survey_drafts(session, team.receptionist.id) == [callback.id]
    again = make_app(team.receptionist)
    async with again.run_test(size=(80, 24)) as pilot:
        await open_list(again, pilot)
        assert any("王小红" in notice for notice in notifications(again))
        await press(pilot, "1")
        assert field_value(again, "front_desk-score") == "3"
        assert field_value(again, "front_desk-text") == "一般"


async def test_zh_survey_saves_with_the_seed_questions(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "1")
        shown = "\n".join(str(label.render()) for label in app.screen.query("Label"))
        for _prefix, key in callbacks.QUESTIONS:
            assert i18n.t(key) in shown
        await press(pilot, "5", "enter", *"很好", "ctrl+s")
        assert isinstance(app.screen, CallbacksScreen)
        assert notifications(app)[-1] == "已记录：王小红 已接通"
    (callback,) = stored(db, Callback, customer_id=customer.id)
    (survey,) = stored(db, CallbackSurvey, callback_id=callback.id)
    assert (survey.front_desk_score, survey.front_desk_text) == (5, "很好")
