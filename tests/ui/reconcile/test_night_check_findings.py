"""QA of the F6 night check at 80×24 (moved from the QA round of F4, F5 and F6).

Each test here proves one fix (or guards one path no other test went down): every
finding kind rendered through the screen in both languages and jumped to, hostile text,
empty and invalid input in every prompt.
"""

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input, Static

from models import Appointment, Callback, CallbackRule, KeyEvent, Message, RoomKey
from reception import i18n, reconcile
from reception.clock import clock
from screens.reconcile import ReconcileScreen
from tests.conftest import today
from tests.helpers.pilot import screen_text, settle
from tests.helpers.records import add_customer, add_visit

HOSTILE = "[red]x[/red] 🙂 {key} {0} \x1b[2J"
LONG = "长" * 300


def visible(text: str) -> str:
    """Control characters are shown as their symbols (ESC as ␛), never sent raw."""
    return text.replace("\x1b", "\u241b")

#: Every kind of finding reconcile can produce, and the screen Enter leads to.
KIND_SCREENS = {
    "visit_incomplete": "TriageScreen",
    "deal_no_case_number": "TriageScreen",
    "case_number_gap": "TriageScreen",
    "case_number_duplicate": "TriageScreen",
    "case_number_malformed": "TriageScreen",
    "no_show": "TriageScreen",
    "not_triaged": "TriageScreen",
    "message_not_relayed": "CallScreen",
    "key_out": "KeysScreen",
    "callback_not_attempted": "CallbacksScreen",
    "paper_mismatch": "PaperCountsForm",  # the counts, at the one that differs
    "more": "ReconcileScreen",
}


def cells(table: DataTable) -> list[str]:
    return [" | ".join(str(cell) for cell in table.get_row_at(index))
            for index in range(table.row_count)]


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


@pytest.fixture
def every_finding(db, team):
    """A day after closing time with one (or more) of every finding kind."""
    clock.set("2026-11-22T21:30:00+08:00", frozen=True)
    by = team.receptionist.id
    with db.write() as session:
        add_visit(session, by, add_customer(session, by, name=HOSTILE), outcome=None,
                  consultant_id=team.consultants[0].id)
        add_visit(session, by, add_customer(session, by, name=LONG), outcome="deal",
                  consultant_id=team.consultants[1].id)
        prefix = today().strftime("%Y%m%d")
        add_customer(session, by, name="一号", case_number=prefix + "01")
        add_customer(session, by, name="重号" + HOSTILE, case_number=prefix + "001")
        add_customer(session, by, name="坏号", case_number=prefix + "3")
        add_customer(session, by, name="四号", case_number=prefix + "04")
        session.add(Appointment(number="A0001", name=HOSTILE, day=today(),
                                scheduled_at=clock.now_utc() - timedelta(hours=3),
                                status="booked", created_at=clock.now_utc()))
        session.add(Appointment(number="A0002", name="到了没分诊", day=today(),
                                scheduled_at=clock.now_utc(), status="arrived",
                                arrived_at=clock.now_utc(), created_at=clock.now_utc()))
        for index in range(reconcile.FINDINGS_LIMIT + 1):
            session.add(Message(day=today(), recipient_id=team.manager.id,
                                caller_name=HOSTILE if index == 0 else f"来电{index}",
                                created_at=clock.now_utc()))
        key = RoomKey(name="钥匙" + HOSTILE, roles_allowed="consultant",
                      created_at=clock.now_utc())
        session.add(key)
        session.flush()
        session.add(KeyEvent(key_id=key.id, kind="out", day=today(), at=clock.now_utc(),
                             staff_id=team.consultants[0].id, created_at=clock.now_utc()))
        rule = CallbackRule(name="次日回访", event="first_visit", created_at=clock.now_utc())
        session.add(rule)
        session.flush()
        customer = add_customer(session, by, name="回访" + HOSTILE)
        session.add(Callback(customer_id=customer.id, rule_id=rule.id,
                             event_day=today() - timedelta(days=1), due_day=today(),
                             created_at=clock.now_utc()))
        reconcile.set_paper_count(session, today(), "visits", 99, by=by)
    with db.read() as session:
        found = {finding.kind for finding in reconcile.day_report(session).findings}
    assert found == set(KIND_SCREENS), found
    return db


async def open_check(app, pilot) -> ReconcileScreen:
    await settle(pilot)
    await pilot.press("f6")
    await settle(pilot)
    assert isinstance(app.screen, ReconcileScreen)
    return app.screen


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_every_finding_kind_renders_and_jumps_in_both_languages(
        make_app, team, every_finding, language):
    i18n.set_language(language)
    with every_finding.read() as session:
        report = reconcile.day_report(session)
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        table = screen.query_one("#findings", DataTable)
        rows = cells(table)
        assert rows == [visible(finding.text()) for finding in report.findings]
        for row in rows:
            # Every parameter filled in, every key translated, customer text literal.
            assert "reconcile." not in row and "{time}" not in row and "{name}" not in row
        assert any(visible(HOSTILE) in row for row in rows)
        assert any(LONG in row for row in rows)
        more = rows[[f.kind for f in report.findings].index("more")]
        assert "message_not_relayed" not in more
        assert ("留言未转达" if language == "zh" else "Messages not relayed") in more
        # Enter on the first finding of every kind opens the place to fix it; Escape
        # comes back to the night check.
        first = {}
        for index, finding in enumerate(report.findings):
            first.setdefault(finding.kind, index)
        for kind, index in first.items():
            table.focus()
            table.move_cursor(row=index)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            # The area's screen, or the form it opened at the record (F2's fix form).
            opened = [type(shown_screen).__name__ for shown_screen in app.screen_stack[-2:]]
            assert KIND_SCREENS[kind] in opened, kind
            for _ in range(4):
                if app.screen is screen:
                    break
                await pilot.press("escape")
                await settle(pilot)
            assert app.screen is screen, kind
        assert "Traceback" not in shown(screen, "#findings-title")


async def test_night_check_days_stay_in_range_no_overflow(make_app, team):
    """Typing year 9999 (or 0001) then ] (or [) ended the program with OverflowError."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        for typed in ("9999-12-31", "0001-01-01", "2026-02-30", ""):
            await pilot.press("d")
            await settle(pilot)
            field = app.screen.query_one("#day", Input)
            field.value = ""
            await pilot.press(*typed, "enter")
            await settle(pilot)
            assert screen.day == today(), typed
            assert app.screen is not screen and field.is_attached, typed  # the form stays
            assert str(app.screen.query_one("#day-error").render()), typed
            await pilot.press("escape")
            await settle(pilot)
        screen.show_day(reconcile.LAST_DAY)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.day == reconcile.LAST_DAY
        screen.show_day(reconcile.FIRST_DAY)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.day == reconcile.FIRST_DAY
        await pilot.press("t")
        assert screen.day == today()
        assert app.is_running


def test_more_case_number_gaps_than_listed_are_counted(db, team):
    from models import CaseNumberDay

    with db.write() as session:
        session.add(CaseNumberDay(day=today(), last_seq=reconcile.FINDINGS_LIMIT + 5))
    with db.read() as session:
        findings = reconcile.day_report(session).findings
    kinds = [finding.kind for finding in findings]
    assert kinds.count("case_number_gap") == reconcile.FINDINGS_LIMIT
    assert findings[-1].kind == "more"
    assert findings[-1].text() == "Case number gaps: only the first 200 are listed"


async def test_paper_count_too_large_says_so_and_keeps_the_prompt(make_app, team, db):
    """'9999999' was refused as 'Type a whole number, 0 or more' — which it is."""
    from sqlmodel import select

    from models import PaperCount

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        await pilot.press("p", *"9999999", "ctrl+s")
        await settle(pilot)
        form = app.screen
        assert form is not screen  # the form stays open, the count kept to put right
        assert str(form.query_one("#visits-error").render()) == \
            "9999999 is too large: at most 1000000"
        assert "9999999 is too large: at most 1000000" in screen_text(app)
        assert app.focused is form.query_one("#visits", Input)
        assert form.query_one("#visits", Input).value == "9999999"
        # Hostile text is refused as a count, under it.
        form.query_one("#visits", Input).value = ""
        await pilot.press(*"[red]x", "ctrl+s")
        await settle(pilot)
        assert "[red]x" in str(form.query_one("#visits-error").render())
    with db.read() as session:
        assert [(row.name, row.value) for row in session.exec(select(PaperCount))] == []


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_signed_off_title_does_not_invite_signing_off(make_app, team, db, language):
    """A clean signed-off day said '… read-only · No findings: the day can be signed off.'"""

    i18n.set_language(language)
    with db.write() as session:
        reconcile.sign_off(session, today(), by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        title = shown(screen, "#findings-title")
        assert title == i18n.t("reconcile.read_only") + " · " + i18n.t("reconcile.signed_clean")
        assert i18n.t("reconcile.clean") not in title
        assert screen.check_action("sign_off", ()) is False


async def test_jump_from_the_night_check_lands_on_the_callback_and_the_key(
        make_app, team, db):
    """Enter on 'callback not attempted: C' or 'key not returned' opened F5 / F4 with the
    cursor on the first row, not on the record the finding was about."""
    from sqlmodel import select

    from screens.callbacks import CallbacksScreen
    from screens.keys import KeysScreen

    by = team.receptionist.id
    with db.write() as session:
        rule = CallbackRule(name="次日回访", event="first_visit", created_at=clock.now_utc())
        session.add(rule)
        for name in ("甲", "乙", "丙" + HOSTILE):
            customer = add_customer(session, by, name=name)
            session.add(Callback(customer_id=customer.id, rule_id=rule.id,
                                 event_day=today() - timedelta(days=1), due_day=today(),
                                 created_at=clock.now_utc()))
        for name in ("一号柜", "二号柜"):
            session.add(RoomKey(name=name, roles_allowed="consultant",
                                created_at=clock.now_utc()))
        session.flush()
        second = session.exec(select(RoomKey).where(RoomKey.name == "二号柜")).one()
        session.add(KeyEvent(key_id=second.id, kind="out", day=today(), at=clock.now_utc(),
                             staff_id=team.consultants[0].id, created_at=clock.now_utc()))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        table = screen.query_one("#findings", DataTable)
        kinds = [finding.kind for finding in screen.report.findings]
        table.move_cursor(row=kinds.index("key_out"))
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        keys_table = app.screen.query_one("#keys-table", DataTable)
        assert str(keys_table.get_row_at(keys_table.cursor_row)[0]) == "二号柜"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        table.move_cursor(row=len(kinds) - 1)  # the last callback: 丙…
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CallbacksScreen)
        assert app.screen.selected().customer_name == "丙" + HOSTILE
        assert visible("丙" + HOSTILE) in shown(app.screen, "#detail")
