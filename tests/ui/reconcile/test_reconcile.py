"""F6 night check at 80×24: findings, jumping to the record, paper counts, sign-off, reopen."""

from datetime import timedelta

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from models import DayEvent, Message, PaperCount
from reception import days, keys, reconcile
from reception.clock import clock
from screens.dashboard import DashboardScreen
from screens.reconcile import ReconcileScreen
from screens.reconcile_forms import DayForm, PaperCountsForm, ReopenForm
from tests.conftest import today
from tests.helpers.pilot import burst, cells, notifications, screen_text, settle, shown
from tests.helpers.records import add_customer, add_visit

HOSTILE = "[red]x[/red] 🙂" + "长" * 100


@pytest.fixture
def messy_day(db, team):
    with db.write() as session:
        by = team.receptionist.id
        add_visit(session, by, add_customer(session, by, name="完整"),
                  consultant_id=team.consultants[0].id)
        add_visit(session, by, add_customer(session, by, name=HOSTILE), outcome=None,
                  consultant_id=team.consultants[1].id)
        session.add(Message(day=today(), recipient_id=team.manager.id, caller_name="陈先生",
                            created_at=clock.now_utc()))
    return db


async def open_check(app, pilot):
    await settle(pilot)
    await pilot.press("f6")
    await settle(pilot)
    assert isinstance(app.screen, ReconcileScreen)
    return app.screen


def value(app, field_id: str) -> str:
    return app.screen.query_one(f"#{field_id}", Input).value


async def test_findings_and_counts_are_shown_literally(make_app, team, messy_day):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        findings = cells(screen.query_one("#findings", DataTable))
        assert len(findings) == 2
        assert findings[0].startswith("Visit 09:00 [red]x[/red] 🙂长")
        assert findings[0].endswith("missing outcome")
        assert "not relayed" in findings[1]
        counts = cells(screen.query_one("#counts", DataTable))
        assert counts[0] == "Visits | 2 | - | "
        assert "张咨询 1" in shown(screen, "#consultants")
        assert "2026-11-22 Sun · open" in shown(screen, "#day-line")
        assert "2 findings" in shown(screen, "#findings-title")
        # The highlighted finding in full under the list: this one is wider than the screen.
        detail = screen.query_one("#finding-detail", Static)
        assert shown(screen, "#finding-detail").replace("\n", "") == findings[0]
        assert detail.region.height >= 2 and detail.region.bottom <= 22
        await pilot.press("down")
        await pilot.pause()
        assert "not relayed" in shown(screen, "#finding-detail")


async def test_enter_jumps_to_the_area_and_calls_show_record(make_app, team, messy_day,
                                                             monkeypatch):
    from screens.calls import CallScreen

    calls = []
    real_show_record = CallScreen.show_record

    def spy(self, kind, record_id):
        calls.append((kind, record_id))
        return real_show_record(self, kind, record_id)

    monkeypatch.setattr(CallScreen, "show_record", spy)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        with messy_day.read() as session:
            message = session.exec(select(Message)).one()
        assert calls == [("message", message.id)]
        # The record is fixed there; back on F6 the list re-checks itself.
        with messy_day.write() as session:
            message = session.get(Message, message.id)
            message.relayed_at = clock.now_utc()
            session.add(message)
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen is screen
        assert len(screen.query_one("#findings", DataTable).rows) == 1


async def test_a_fix_made_from_the_night_check_comes_back_to_it(make_app, team, messy_day):
    from screens.keys import KeysScreen
    from screens.triage import TriageScreen
    from screens.triage.visit_forms import FixForm

    with messy_day.write() as session:
        archive = keys.ensure_default_keys(session, by=team.manager.id)[0]
        keys.lend(session, key_id=archive.id, staff_id=team.cashier.id, purpose="对账",
                  by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        # F2 and F4 were opened before the night check: they are further down the stack.
        for key in ("f2", "f4"):
            await pilot.press(key)
            await pilot.pause()
        screen = await open_check(app, pilot)
        findings = cells(screen.query_one("#findings", DataTable))
        assert "missing outcome" in findings[0]
        await pilot.press("enter")
        await pilot.pause()
        fix = app.screen
        assert isinstance(fix, FixForm) and isinstance(app.screen_stack[-2], TriageScreen)
        assert fix.focused.id == "outcome"  # what the finding is about
        await pilot.press("2", "ctrl+s")
        await settle(pilot)
        # Saved: back on the night check's list, which no longer has that finding.
        assert app.screen is screen
        assert not any("missing outcome" in row for row in cells(
            screen.query_one("#findings", DataTable)))
        key_row = next(index for index, row in enumerate(cells(
            screen.query_one("#findings", DataTable))) if "档案室" in row)
        screen.query_one("#findings", DataTable).move_cursor(row=key_row)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def test_paper_counts_typed_in_a_row_and_differences_shown(make_app, team, messy_day):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PaperCountsForm)
        assert app.focused is form.query_one("#visits", Input)
        assert "records 2" in screen_text(app)  # beside each count, what the records say
        await pilot.press("3", "enter")
        await pilot.pause()
        await pilot.press("2", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        with messy_day.read() as session:
            stored = {row.name: row.value for row in session.exec(select(PaperCount))}
        assert stored == {"visits": 3, "new": 2}
        counts = cells(screen.query_one("#counts", DataTable))
        assert counts[0] == "Visits | 2 | 3 | +1"
        assert counts[1] == "New | 2 | 2 | ="
        findings = cells(screen.query_one("#findings", DataTable))
        assert "Paper register differs: Visits records 2, paper 3" in findings


async def test_paper_counts_typed_in_one_burst(make_app, team, messy_day):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        await burst(app, "p3\r2\r1\r0\r5\r1\r")
        await settle(pilot)
        assert app.screen is screen
        with messy_day.read() as session:
            stored = {row.name: row.value for row in session.exec(select(PaperCount))}
        assert stored == {"visits": 3, "new": 2, "returning": 1, "deals": 0, "calls": 5,
                          "messages": 1}


async def test_a_count_offered_whole_is_replaced_and_an_empty_one_clears(make_app, team,
                                                                         messy_day):
    with messy_day.write() as session:
        from reception import reconcile

        reconcile.set_paper_count(session, today(), "visits", 7, by=team.receptionist.id)
        reconcile.set_paper_count(session, today(), "new", 4, by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_check(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        assert value(app, "visits") == "7"
        await pilot.press("2", "enter", "backspace", "ctrl+s")
        await settle(pilot)
    with messy_day.read() as session:
        stored = {row.name: row.value for row in session.exec(select(PaperCount))}
    assert stored == {"visits": 2}


async def test_sign_off_asks_again_then_day_is_read_only(make_app, team, messy_day):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        await pilot.press("s")
        await settle(pilot)
        with messy_day.read() as session:
            assert not days.is_signed_off(session, today())
        await pilot.press("s")
        await settle(pilot)
        with messy_day.read() as session:
            event = days.latest_event(session, today())
        assert event.kind == "signoff" and event.created_by_id == team.receptionist.id
        assert "signed off by 李前台 at 11-22 10:00: read-only" in shown(screen, "#day-line")
        # Read-only: no paper key, no sign-off key; a receptionist cannot reopen.
        await pilot.press("p", "o")
        await settle(pilot)
        assert app.screen is screen  # no form opened
        assert screen.check_action("paper", ()) is False
        assert screen.check_action("reopen", ()) is False
        with messy_day.read() as session:
            assert session.exec(select(PaperCount)).all() == []


async def test_manager_reopens_with_a_reason(make_app, team, messy_day):
    with messy_day.write() as session:
        reconcile.sign_off(session, today(), by=team.receptionist.id)
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        assert "read-only" in shown(screen, "#day-line")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ReopenForm)
        await pilot.press("enter")  # no reason: refused
        await settle(pilot)
        assert "Give the reason for reopening" in screen_text(app)
        with messy_day.read() as session:
            assert days.is_signed_off(session, today())
        await pilot.press(*"missed one", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert "2026-11-22 reopened" in notifications(app)
        with messy_day.read() as session:
            events = session.exec(select(DayEvent).order_by(DayEvent.id)).all()
        assert [e.kind for e in events] == ["signoff", "reopen"]
        assert events[1].reason == "missed one" and events[1].created_by_id == team.manager.id
        assert "open" in shown(screen, "#day-line")


async def test_choose_another_day(make_app, team, messy_day):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.day == today() - timedelta(days=1)
        assert screen.query_one("#findings", DataTable).row_count == 0
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DayForm)
        # Offered with the day shown; typing replaces it (no need to delete it first).
        await pilot.press(*"2026-13-40", "enter")
        await settle(pilot)
        assert value(app, "day") == "2026-13-40"
        assert "A date is YYYY-MM-DD: 2026-13-40" in screen_text(app)
        assert screen.day == today() - timedelta(days=1)
        app.screen.query_one("#day", Input).value = ""
        await pilot.press(*"2026-11-22", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert screen.day == today()
        assert screen.query_one("#findings", DataTable).row_count == 2
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReconcileScreen)


async def test_zh_labels(make_app, team, messy_day):
    from reception import i18n

    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        assert "未签核" in shown(screen, "#day-line")
        assert cells(screen.query_one("#counts", DataTable))[0].startswith("来访 | 2")
        assert "缺结果" in cells(screen.query_one("#findings", DataTable))[0]


async def test_after_midnight_the_night_check_is_of_yesterday(make_app, team, messy_day):
    clock.set("2026-11-23T00:40:00+08:00", frozen=True)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        assert screen.day == today() - timedelta(days=1)
        assert "2026-11-22" in shown(screen, "#day-line")
        # The day just begun cannot be signed off before it opens.
        await pilot.press("t", "s", "s")
        await settle(pilot)
        assert screen.day == today()
    with messy_day.read() as session:
        assert not days.is_signed_off(session, today())


async def test_zh_paper_counts_form(make_app, team, messy_day):
    from reception import i18n

    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        await pilot.press("p")
        await settle(pilot)
        text = screen_text(app)
        assert "纸质登记数" in text and "来访" in text and "系统记录 2" in text
        await pilot.press("4", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert cells(screen.query_one("#counts", DataTable))[0] == "来访 | 2 | 4 | +2"
