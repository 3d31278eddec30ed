"""F5 at 80×24: the day's list, one key per outcome, later, the survey, summary, rules."""

from datetime import timedelta

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from models import Callback, CallbackAttempt, CallbackRule, CallbackSurvey, Customer
from reception import callbacks
from reception.clock import clock
from screens.callbacks import CallbacksScreen
from screens.dashboard import DashboardScreen
from tests.conftest import at

HOSTILE = "[red]x[/red] 王小红 😀 " + "长" * 100


def add_customer(db, name, phone, *, days_ago=1, consultant=None):
    with db.write() as session:
        customer = Customer(name=name, phone=phone, created_at=clock.now_utc(),
                            first_visit_day=clock.today() - timedelta(days=days_ago),
                            consultant_id=consultant.id if consultant else None)
        session.add(customer)
        session.flush()
        return customer


def stored(db, model, **where):
    with db.read() as session:
        query = select(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return list(session.exec(query).all())


def table_text(screen, table_id="#callback-table") -> str:
    table = screen.query_one(table_id, DataTable)
    return "\n".join(" | ".join(str(cell) for cell in table.get_row_at(row))
                     for row in range(table.row_count))


def static_text(screen, widget_id) -> str:
    return str(screen.query_one(widget_id, Static).render())


async def open_list(app, pilot):
    await pilot.pause()
    await pilot.press("f5")
    await pilot.pause()
    assert isinstance(app.screen, CallbacksScreen)
    return app.screen


async def test_the_list_shows_yesterdays_new_customers_oldest_first_phone_in_full(
        db, team, make_app):
    add_customer(db, "昨天的客人", "13800001111", days_ago=1)
    add_customer(db, HOSTILE, "13800002222", days_ago=3, consultant=team.consultants[0])
    add_customer(db, "今天的客人", "13800003333", days_ago=0)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        table = screen.query_one("#callback-table", DataTable)
        assert table.row_count == 2
        first, second = (table.get_row_at(0), table.get_row_at(1))
        assert str(first[1]) == HOSTILE  # shown literally, never as markup
        assert str(first[2]) == "13800002222"  # in full here
        assert str(second[1]) == "昨天的客人"
        assert "2 to call" in static_text(screen, "#header")
        assert "[red]x[/red]" in static_text(screen, "#detail")
        assert "张咨询" in static_text(screen, "#detail")
        # Opening the screen again does not make the callbacks twice.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
    assert len(stored(db, Callback)) == 2


@pytest.mark.parametrize("key,outcome,status", [
    ("2", "no_answer", "open"), ("3", "busy", "open"),
    ("4", "wrong_number", "wrong_number"), ("6", "declined", "declined"),
])
async def test_one_key_per_outcome(db, team, make_app, key, outcome, status):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        # Retried later today or closed: either way it leaves the list to call now.
        assert screen.query_one("#callback-table", DataTable).row_count == 0
        if status == "open":
            assert "1 for later" in static_text(screen, "#header")
            assert "13:00" in static_text(screen, "#header")
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert (callback.status, callback.attempts, callback.last_outcome) == (status, 1, outcome)
    (attempt,) = stored(db, CallbackAttempt, callback_id=callback.id)
    assert (attempt.outcome, attempt.created_by_id) == (outcome, team.receptionist.id)


async def test_no_answer_comes_back_at_the_retry_time(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one("#callback-table", DataTable).row_count == 0
        clock.set(at("2026-11-22T13:00:00"))
        screen.tick()
        await pilot.pause()
        table = screen.query_one("#callback-table", DataTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[4]) == "1"
        assert str(table.get_row_at(0)[5]) == "No answer"


async def test_call_back_later_at_a_time(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("5")
        await pilot.pause()
        assert screen.focused.id == "later-time"
        await pilot.press(*"22:30", "enter")
        await pilot.pause()
        assert "Outside opening hours" in static_text(screen, "#later-error")
        assert stored(db, CallbackAttempt) == []
        screen.query_one("#later-time", Input).value = ""
        await pilot.press(*"15:30", "enter")
        await pilot.pause()
        assert screen.query_one("#steps").current == "list-step"
        assert screen.query_one("#callback-table", DataTable).row_count == 0
        assert "15:30" in static_text(screen, "#header")
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert callback.last_outcome == "later"
    assert clock.local(callback.next_try_at) == at("2026-11-22T15:30:00")


async def test_reached_survey_saves_one_record(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111", consultant=team.consultants[1])
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one("#steps").current == "survey-step"
        assert "13800001111" in static_text(screen, "#survey-title")
        # Every question fits on 80×24.
        for prefix, _key in callbacks.QUESTIONS:
            region = screen.query_one(f"#{prefix}-text", Input).region
            assert region.height and region.bottom <= 22
        answers = [("5", "很热情"), ("4", "手法专业"), ("3", "[b]还行[/b]")]
        for score, remark in answers:
            await pilot.press(score, "enter")
            await pilot.press(*remark, "enter")
        await pilot.press("4", "enter")
        screen.focused.value = "😀"  # a key press cannot carry an emoji
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#steps").current == "list-step"
        assert screen.query_one("#callback-table", DataTable).row_count == 0
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert (callback.status, callback.flagged, callback.attempts) == ("reached", False, 1)
    (survey,) = stored(db, CallbackSurvey, callback_id=callback.id)
    assert (survey.front_desk_score, survey.beautician_score, survey.consultant_score,
            survey.company_score) == (5, 4, 3, 4)
    assert (survey.front_desk_text, survey.consultant_text, survey.company_text) == (
        "很热情", "[b]还行[/b]", "😀")
    assert survey.created_by_id == team.receptionist.id


async def test_a_low_score_shows_on_the_dashboard_and_the_manager_clears_it(
        db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("2", "ctrl+s")  # one low score is enough; Ctrl+S saves
        await pilot.pause()
        assert screen.query_one("#steps").current == "list-step"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Low-score callbacks for the manager: 1" in static_text(
            app.screen, "#flagged-line")
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert callback.flagged
    manager_app = make_app(team.manager)
    async with manager_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(manager_app, pilot)
        await pilot.press("f")
        await pilot.pause()
        assert "王小红" in table_text(screen, "#flagged-table")
        assert "2/–/–/–" in table_text(screen, "#flagged-table")
        await pilot.press("c")
        await pilot.pause()
        assert screen.query_one("#flagged-table", DataTable).row_count == 0
    assert not stored(db, Callback, customer_id=customer.id)[0].flagged


async def test_an_empty_or_bad_survey_is_refused(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.query_one("#steps").current == "survey-step"
        assert static_text(screen, "#survey-error")
        await pilot.press(*"9")  # not 1–5: the field refuses it
        assert screen.query_one("#front_desk-score", Input).value == ""
    assert stored(db, CallbackSurvey) == []


async def test_a_score_cannot_slip_into_the_remarks(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        # Enter on an empty score goes on to its remarks, saying the question is unscored
        # (nothing typed there is lost: the remarks box takes any text).
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused.id == "front_desk-text"
        assert "Not scored" in static_text(screen, "#survey-error")
        # Remarks but no score at all: asked once, saved on the second Ctrl+S.
        await pilot.press(*"4", "ctrl+s")
        await pilot.pause()
        assert screen.query_one("#steps").current == "survey-step"
        assert "No scores" in static_text(screen, "#survey-error")
        assert stored(db, CallbackSurvey) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.query_one("#steps").current == "list-step"
    (survey,) = stored(db, CallbackSurvey)
    assert (survey.front_desk_score, survey.front_desk_text) == (None, "4")


async def test_a_half_filled_survey_is_kept_through_escape(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("4", "tab", *"前台不错")
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one("#steps").current == "list-step"
        assert screen.query_one("#front_desk-text", Input).value == ""
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one("#front_desk-score", Input).value == "4"
        assert screen.query_one("#front_desk-text", Input).value == "前台不错"
        await pilot.press("ctrl+s")
        await pilot.pause()
    (survey,) = stored(db, CallbackSurvey)
    assert (survey.front_desk_score, survey.front_desk_text) == (4, "前台不错")
    with db.read() as session:
        assert callbacks.survey_drafts(session, team.receptionist.id) == []


async def test_summary_and_csv_export(db, team, make_app, tmp_path):
    customer = add_customer(db, "王小红", "13800001111", consultant=team.consultants[0])
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("5", "tab", "tab", "4", "ctrl+s")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert screen.query_one("#steps").current == "summary-step"
        assert "1 callbacks, 1 reached (100%)" in static_text(screen, "#summary-line")
        rows = table_text(screen, "#summary-table")
        assert "All" in rows and "张咨询" in rows and "5.0" in rows and "4.0" in rows
        # Offered beside the database, where the register book's exports go too.
        offered = screen.query_one("#summary-path", Input).value
        assert offered.startswith(str(db.path.parent / "exports"))
        target = tmp_path / "回访.csv"
        screen.query_one("#summary-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].split(",")[2:5] == ["All", "1", "1"]
    assert any(line.split(",")[2] == "张咨询" for line in lines[2:])
    assert stored(db, Callback, customer_id=customer.id)[0].status == "reached"


async def test_the_manager_adds_a_rule_and_the_receptionist_cannot(db, team, make_app):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert screen.query_one("#steps").current == "list-step"
    manager_app = make_app(team.manager)
    async with manager_app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(manager_app, pilot)
        await pilot.press("m")
        await pilot.pause()
        assert screen.query_one("#steps").current == "rules-step"
        assert "New customer: call the next day" in table_text(screen, "#rules-table")
        screen.query_one("#rule-name", Input).focus()
        await pilot.press(*"出所3天回访")
        screen.query_one("#rule-event").value = "check_out"
        screen.query_one("#rule-days", Input).focus()
        await pilot.press("3", "enter")
        await pilot.pause()
        assert "出所3天回访" in table_text(screen, "#rules-table")
        screen.query_one("#rules-table", DataTable).focus()
        await pilot.press("t")  # the built-in rule (first row) off
        await pilot.pause()
    rules = {rule.name: rule for rule in stored(db, CallbackRule)}
    added = rules["出所3天回访"]
    assert (added.event, added.days_after, added.active, added.created_by_id) == (
        "check_out", 3, True, team.manager.id)
    assert not rules[callbacks.BUILTIN_RULE_NAME].active


async def test_zh_texts_on_the_list(db, team, make_app):
    from reception import i18n

    add_customer(db, "王小红", "13800001111")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        assert "待回访 1 位" in static_text(screen, "#header")
        assert "新客次日回访" in table_text(screen)


async def test_a_survey_left_open_at_quit_is_offered_back(db, team, make_app):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("3", "tab", *"一般")
        app.save_all_drafts()  # what Ctrl+Q and a hang-up do
    (callback,) = stored(db, Callback, customer_id=customer.id)
    with db.read() as session:
        assert callbacks.survey_drafts(session, team.receptionist.id) == [callback.id]
    again = make_app(team.receptionist)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await open_list(again, pilot)
        await pilot.press("1")
        await pilot.pause()
        assert screen.query_one("#front_desk-score", Input).value == "3"
        assert screen.query_one("#front_desk-text", Input).value == "一般"
