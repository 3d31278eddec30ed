"""F4 history at 80×24: filters, the entry in full, corrections through their form."""

import re

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from reception import i18n, keys
from reception.clock import clock
from screens.keys.history import CorrectForm, KeyHistoryScreen
from tests.conftest import at
from tests.helpers.pilot import notifications, screen_text, settle
from tests.ui.keys.helpers import burst, cells, default_keys, lend, open_keys, shown

HOSTILE = "[red]x[/red] 王小红😀" + "长" * 60


async def open_history(app, pilot) -> KeyHistoryScreen:
    await open_keys(app, pilot)
    await pilot.press("h")
    await settle(pilot)
    assert isinstance(app.screen, KeyHistoryScreen)
    return app.screen


async def test_history_shows_the_highlighted_entry_in_full(make_app, team, db):
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.receptionist, purpose=HOSTILE)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        # The row cuts the purpose at the screen's edge; the line below has all of it.
        detail = screen.query_one("#history-detail")
        assert HOSTILE in shown(screen, "#history-detail")
        assert shown(screen, "#history-detail").startswith("#1 11-22 10:00 档案室 · Out · 周收银")
        assert detail.region.height >= 2 and detail.region.bottom <= 22


async def test_correcting_a_loan_adds_a_linked_entry(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        board = await open_keys(app, pilot)
        await pilot.press("l", *"刘咨", "enter", *"wrong person", "ctrl+s")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        screen = app.screen
        history = screen.query_one("#history-table", DataTable)
        assert [row[3] for row in cells(history)] == ["Out"]
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CorrectForm)
        assert app.focused.id == "note"
        await pilot.press("enter")
        await settle(pilot)
        assert "needs a reason" in shown(app.screen, "#note-error")
        await pilot.press(*"登记错了人", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert "Correction of #1 entered" in notifications(app)
        rows = cells(history)
        assert [row[3] for row in rows] == ["Correction", "Out ✗"]
        assert "corrects #1: 登记错了人" in rows[0][5]
        with db.read() as session:
            entries = [line.event for line in reversed(keys.history(session))]
            assert keys.keys_out(session) == []
        assert [(e.kind, e.corrects_id, e.loan_id) for e in entries] == [
            ("out", None, None), ("correction", 1, 1)]
        assert entries[0].purpose == "wrong person"  # the loan itself is untouched
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is board
        assert cells(board.query_one("#keys-table", DataTable))[0][1] == "At the desk"


async def test_a_correction_typed_in_a_burst_is_saved_whole(make_app, team, db):
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.receptionist)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        await burst(app, ["c", *"wrong key", "\r"])
        await settle(pilot)
        assert app.screen is screen
        with db.read() as session:
            (fix, _loan) = [line.event for line in keys.history(session)]
        assert fix.note == "wrong key" and fix.corrects_id == 1


async def test_a_correction_left_with_escape_is_kept_for_its_entry(make_app, team, db):
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.receptionist)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        await pilot.press("c", *"half", "escape")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.query_one("#note").value == "half"


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_correction_title_is_shown_whole(make_app, team, db, language):
    """The label 'Correct #1, reason:' was cut to 14 columns ('更正第 1')."""
    i18n.set_language(language)
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.receptionist)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(app, pilot)
        await pilot.press("c")
        await settle(pilot)
        title = i18n.t("keys.field.correction_of", entry=1)
        assert title in screen_text(app)
        assert cell_len(title) < 80
        assert app.focused.id == "note"


async def test_correcting_an_entry_already_corrected_is_refused_up_front(make_app, team, db):
    archive, _ = default_keys(db, team)
    loan_id = lend(db, archive, team.cashier, team.receptionist)
    with db.write() as session:
        keys.correct(session, event_id=loan_id, note="登记错了人", by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        screen.query_one("#history-table", DataTable).move_cursor(row=1)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is screen
        assert shown(screen, "#history-error") == f"Loan #{loan_id} is already void"


async def test_history_filter_keeps_the_staff_and_key_names_on_an_empty_day(
        make_app, team, db):
    archive, _ = default_keys(db, team)
    lend(db, archive, team.cashier, team.receptionist)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press("s", "k")
        await pilot.pause()
        assert shown(screen, "#history-filter") == (
            "Day 2026-11-22 ([ ] change, a all days) · Key 档案室 (k clears) · "
            "Staff 周收银 (s clears) · 1 entries · c corrects")
        await pilot.press("a", "left_square_bracket")
        await pilot.pause()
        assert shown(screen, "#history-filter") == (
            "Day 2026-11-21 ([ ] change, a all days) · Key 档案室 (k clears) · "
            "Staff 周收银 (s clears) · 0 entries · c corrects")
        assert screen.query_one("#history-table", DataTable).row_count == 0
        await pilot.press("s")
        await pilot.pause()
        assert "Staff" not in shown(screen, "#history-filter")
        assert "Key 档案室 (k clears)" in shown(screen, "#history-filter")


async def test_history_filters_by_staff_and_day(make_app, team, db):
    archive, _ = default_keys(db, team)
    clock.set(at("2026-11-21 15:00"))
    with db.write() as session:
        keys.lend(session, key_id=archive, staff_id=team.cashier.id, purpose="昨天",
                  by=team.manager.id)
        keys.return_key(session, key_id=archive, by=team.manager.id)
    clock.set(at("2026-11-22 10:00"))
    lend(db, archive, team.consultants[0], team.manager, purpose="今天")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        history = screen.query_one("#history-table", DataTable)
        assert [row[5].split(" ·")[0] for row in cells(history)] == ["今天"]
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert [row[3] for row in cells(history)] == ["Back", "Out"]
        assert "2026-11-21" in shown(screen, "#history-filter")
        await pilot.press("a")
        await pilot.pause()
        assert len(cells(history)) == 3
        history.move_cursor(row=0)
        await pilot.press("s")
        await pilot.pause()
        assert [row[4] for row in cells(history)] == ["张咨询"]
        assert "Staff 张咨询" in shown(screen, "#history-filter")


async def test_zh_history_reads_with_full_width_punctuation(make_app, team, db):
    i18n.set_language("zh")
    archive, vip = default_keys(db, team)
    loan_id = lend(db, vip, team.cashier, team.manager, purpose="贵宾护理")
    with db.write() as session:
        keys.correct(session, event_id=loan_id, note="登记错了人", by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        history = cells(screen.query_one("#history-table", DataTable))
        assert "更正第 1 条：登记错了人" in history[0][5]
        assert "（经理 王经理 许可）" in history[1][5]
        assert not re.search(r"[,:;()]", history[0][5] + history[1][5])
