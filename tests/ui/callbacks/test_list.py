"""F5 at 80×24: the day's list, its counts, one key per outcome, the detail line, hints."""

import pytest
from rich.cells import cell_len
from textual.widgets import Static

from models import Callback, CallbackAttempt, Customer
from reception import i18n
from reception.clock import clock
from reception.dashboard import today_at_a_glance
from screens.help import HelpScreen
from tests.conftest import at
from tests.helpers.pilot import notifications, screen_lines, screen_text
from tests.ui.callbacks.common import (
    HOSTILE,
    add_callback,
    add_customer,
    open_list,
    press,
    ready_rows,
    static_text,
    stored,
    table_rows,
    table_text,
)


async def test_the_list_shows_yesterdays_new_customers_oldest_first_phone_in_full(
        db, team, make_app):
    add_customer(db, "昨天的客人", "13800001111", days_ago=1)
    add_customer(db, HOSTILE, "13800002222", days_ago=3, consultant=team.consultants[0])
    add_customer(db, "今天的客人", "13800003333", days_ago=0)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        table = screen.query_one("#callback-table")
        assert table.row_count == 2
        first, second = (table.get_row_at(0), table.get_row_at(1))
        assert str(first[1]) == HOSTILE  # shown literally, never as markup
        assert str(first[2]) == "13800002222"  # in full here
        assert str(second[1]) == "昨天的客人"
        assert "2 to call" in static_text(screen, "#header")
        assert "[red]x[/red]" in static_text(screen, "#detail")
        assert "张咨询" in static_text(screen, "#detail")
        # Opening the screen again does not make the callbacks twice.
        await press(pilot, "escape")
        await press(pilot, "f5")
    assert len(stored(db, Callback)) == 2


async def test_the_detail_line_shows_the_consultant_at_80_columns(db, team, make_app):
    """The consultant came last on a long line and was cut off at 80 columns; a long name
    wrapped and pushed the rest out of the three lines."""
    add_callback(db, team, "王小红" + "长" * 60, "13800001111", attempts=2,
                 next_try="2026-11-22T09:00:00", consultant=team.consultants[2])
    for language in ("en", "zh"):
        i18n.set_language(language)
        app = make_app(team.receptionist)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(app, pilot)
            detail = screen.query_one("#detail", Static)
            assert detail.region.right <= 80
            shown = screen_text(app)
            assert "刘咨询" in shown, language
            # A long name gives way to the phone (the row's cells are cut; not the phone).
            (first,) = [line for line in screen_lines(app) if line.startswith(" 王小红长")
                        and "…" in line]
            assert first.rstrip().endswith("13800001111")
            assert i18n.t("callbacks.detail.tries", n=2,
                          outcome=i18n.t("callbacks.outcome.no_answer")) in shown
            assert i18n.t("callbacks.event.first_visit") in shown


@pytest.mark.parametrize("key,outcome,status", [
    ("2", "no_answer", "open"), ("3", "busy", "open"),
    ("4", "wrong_number", "wrong_number"), ("6", "declined", "declined"),
])
async def test_one_key_per_outcome(db, team, make_app, key, outcome, status):
    customer = add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await press(pilot, key)
        # Retried later today or closed: either way it leaves the calls to make now.
        assert ready_rows(screen) == 0
        if status == "open":
            assert "1 for later" in static_text(screen, "#header")
            assert "13:00" in static_text(screen, "#header")
            # Still listed, marked with its next try.
            (row,) = table_rows(screen)
            assert row.startswith("at 13:00 | 王小红")
        else:
            assert table_rows(screen) == []
    (callback,) = stored(db, Callback, customer_id=customer.id)
    assert (callback.status, callback.attempts, callback.last_outcome) == (status, 1, outcome)
    (attempt,) = stored(db, CallbackAttempt, callback_id=callback.id)
    assert (attempt.outcome, attempt.created_by_id) == (outcome, team.receptionist.id)


async def test_no_answer_comes_back_at_the_retry_time(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        await press(pilot, "2")
        assert ready_rows(screen) == 0
        clock.set(at("2026-11-22T13:00:00"))
        screen.tick()
        await pilot.pause()
        assert ready_rows(screen) == 1
        table = screen.query_one("#callback-table")
        assert str(table.get_row_at(0)[0]) == "11-22"
        assert str(table.get_row_at(0)[4]) == "1"
        assert str(table.get_row_at(0)[5]) == "No answer"


async def test_waiting_callbacks_are_listed_after_the_ready_ones_with_their_time(
        db, team, make_app):
    """Callbacks waiting for a later try were counted in the header but not listed."""
    add_callback(db, team, "从未打过", "13800001111")
    add_callback(db, team, "明天再打", "13800002222", attempts=2, due_offset=-3,
                 next_try="2026-11-23T10:30:00")
    add_callback(db, team, "今天稍后", "13800003333", attempts=1,
                 next_try="2026-11-22T15:00:00")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        rows = table_rows(screen)
        assert [row.split(" | ")[:2] for row in rows] == [
            ["11-21", "从未打过"], ["at 15:00", "今天稍后"], ["at 11-23", "明天再打"]]
        # The detail of a waiting row gives its next try in full; its keys still work.
        screen.query_one("#callback-table").move_cursor(row=2)
        await pilot.pause()
        assert "Next try 11-23 10:30" in static_text(screen, "#detail")
        await press(pilot, "6")
        (declined,) = stored(db, Callback, status="declined")
        assert stored(db, Customer, id=declined.customer_id)[0].name == "明天再打"
        assert len(table_rows(screen)) == 2
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        assert table_rows(screen)[1].startswith("15:00再打 | 今天稍后")


async def test_header_counts_the_carried_over_callbacks_the_dashboard_counts(
        db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    add_callback(db, team, "[red]明天再打[/red]", "13800002222", attempts=2, due_offset=-3,
                 next_try="2026-11-23T00:23:00")
    with db.read() as session:
        glance = today_at_a_glance(session)
    assert glance.callbacks_due == 2
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        header = static_text(screen, "#header")
        assert "2 due, 1 to call now, 1 for later (next at 11-23 00:23)" in header
        assert screen.query_one("#header").region.width == 80
        assert cell_len(header) <= 78
        assert "[red]明天再打[/red]" in table_text(screen)


async def test_zh_header_and_dashboard_line_say_the_same(db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    add_callback(db, team, "今天稍后", "13800002222", attempts=1,
                 next_try="2026-11-22T13:00:00")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        header = static_text(screen, "#header")
        assert "今日待回访 2 位\uff1a现在可打 1\uff0c稍后再打 1\uff08下一位 13:00\uff09" in header
        assert cell_len(header) <= 78


async def test_zh_texts_on_the_list(db, team, make_app):
    add_customer(db, "王小红", "13800001111")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        assert "待回访 1 位" in static_text(screen, "#header")
        assert "新客次日回访" in table_text(screen)


async def test_zh_detail_line_uses_full_width_punctuation(db, team, make_app):
    hostile = "[red]x[/red] 王小红 😀"
    add_callback(db, team, hostile, "13800001111", attempts=1,
                 next_try="2026-11-22T09:00:00")
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        detail = static_text(screen, "#detail")
        assert hostile in detail
        assert "次数 1\uff0c上次结果\uff1a无人接听" in detail
        await press(pilot, "5")
        title = str(app.screen.query_one(".form-title", Static).render())
        assert title.startswith(f"稍后再打\uff1a{hostile}")


async def test_manager_keys_in_the_hint_and_in_f1(db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        hint = static_text(screen, "#list-hint")
        assert "m callback rules" in hint and "f low scores" in hint
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one(Static).render())
        assert "Callback rules (manager)" in help_text
        assert "Low scores (manager)" in help_text
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_list(app, pilot)
        hint = static_text(screen, "#list-hint")
        assert "s summary" in hint and "m callback" not in hint and "f low" not in hint


async def test_hint_lines_fit_at_80_columns_in_both_languages(db, team, make_app):
    add_callback(db, team, "从未打过", "13800001111")
    for language in ("en", "zh"):
        i18n.set_language(language)
        app = make_app(team.manager)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_list(app, pilot)
            hint = screen.query_one("#list-hint", Static)
            lines = str(hint.render()).splitlines()
            assert len(lines) == 2 and hint.region.height == 2
            assert all(cell_len(line) <= hint.content_region.width for line in lines)
            assert hint.region.bottom <= 22  # above the status line and the footer
            shown = "\n".join(screen_lines(app))
            for line in lines:
                assert line.strip() in shown, (language, line)
            # The header with the biggest counts fits on its line too.
            header = i18n.t("callbacks.header", day="2026-11-22", total=999, ready=999,
                            waiting=999) + i18n.t("callbacks.header.next", time="11-23 10:00")
            assert cell_len(header) <= 78, language


MARKUP_BREAKERS = ["[/]", "[/foo] x", "[@click=app.quit]点我[/]", "[red]x[/red]"]


@pytest.mark.parametrize("name", MARKUP_BREAKERS)
async def test_callback_notice_shows_a_customer_name_literally(db, team, make_app, name):
    """The 'recorded: <name> …' notice was markup: a customer named '[/]' ended the app."""
    add_customer(db, name, "13800001111")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_list(app, pilot)
        await press(pilot, "2")
        assert notifications(app) == [f"Recorded: {name} No answer · Next try 13:00"]
        assert app.is_running
