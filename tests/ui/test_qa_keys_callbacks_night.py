"""QA of F4 keys, F5 callbacks, F6 night check and the manager screens at 80×24.

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
from tests.helpers.pilot import notifications
from tests.unit.test_reconcile import add_customer, add_visit

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
    "paper_mismatch": "ReconcileScreen",
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
    await pilot.pause()
    await pilot.press("f6")
    await pilot.pause()
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
            assert type(app.screen).__name__ == KIND_SCREENS[kind], kind
            for _ in range(4):
                if app.screen is screen and not screen.query_one("#prompt").display:
                    break
                await pilot.press("escape")
                await pilot.pause()
            assert app.screen is screen, kind
            assert not screen.query_one("#prompt").display
        assert "Traceback" not in shown(screen, "#findings-title")


async def test_night_check_days_stay_in_range_no_overflow(make_app, team):
    """Typing year 9999 (or 0001) then ] (or [) ended the program with OverflowError."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        for typed in ("9999-12-31", "0001-01-01", "2026-02-30", ""):
            await pilot.press("d")
            field = screen.query_one("#prompt-input", Input)
            field.value = ""
            await pilot.press(*typed, "enter")
            await pilot.pause()
            assert screen.day == today(), typed
            assert screen.query_one("#prompt").display, typed
            await pilot.press("escape")
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


# --- F4 keys -----------------------------------------------------------------------------


async def open_area(app, pilot, key: str, screen_class):
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, screen_class)
    return app.screen


async def test_lend_keeps_a_typed_customer_that_matches_nobody(make_app, team, db):
    """With a purpose given, a customer typed but not in the list was silently dropped."""
    from reception import keys
    from screens.keys import KeysScreen

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"陈咨", "enter", *"取病历", "enter")
        await pilot.press(*"[red]x[/red]王", "enter")
        await pilot.pause()
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.loan.purpose == "取病历 · [red]x[/red]王"
        assert out.loan.customer_id is None
        table = app.screen.query_one("#keys-table", DataTable)
        assert "取病历 · [red]x[/red]王" in " ".join(str(c) for c in table.get_row_at(0))


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_correction_prompt_label_is_shown_whole(make_app, team, db, language):
    """The label 'Correct #1, reason:' was cut to 14 columns ('更正第 1')."""
    from rich.cells import cell_len
    from textual.widgets import Label

    from screens.keys import KeysScreen

    i18n.set_language(language)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"刘咨", "enter", *"wrong person", "ctrl+s")
        await pilot.pause()
        await pilot.press("h", "c")
        await pilot.pause()
        label = screen.query_one("#correction-row Label", Label)
        text = str(label.render())
        assert text == i18n.t("keys.field.correction_of", entry=1)
        assert label.size.width >= cell_len(text)
        assert screen.focused.id == "correction-note"


# --- F5 callbacks ------------------------------------------------------------------------


def test_later_time_must_be_the_whole_text_and_a_sane_date():
    """'0001-01-01 00:00' crashed (OverflowError); 'abc 10:00' and '99-99 10:00' were read
    as tomorrow 10:00; a mistyped year 9999 hid the callback for ever."""
    from reception import callbacks
    from reception.errors import ValidationError
    from tests.conftest import at

    for bad in ["0001-01-01 00:00", "9999-12-31 10:00", "abc 10:00", "99-99 10:00",
                "02-30 10:00", "10:00 [red]x[/red]", "24:00", "2020-01-01 10:00",
                "12:30\x1b[2J", "🙂"]:
        with pytest.raises(ValidationError):
            callbacks.parse_later(bad)
    assert clock.local(callbacks.parse_later("１５：３０")) == at("2026-11-22T15:30:00")
    assert clock.local(callbacks.parse_later("1-2 9:00")) == at("2027-01-02T09:00:00")


async def test_later_prompt_refuses_a_year_one_time_without_crashing(db, team, make_app):
    from models import CallbackAttempt, Customer
    from screens.callbacks import CallbacksScreen

    with db.write() as session:
        session.add(Customer(name="王小红", phone="13800001111", created_at=clock.now_utc(),
                             first_visit_day=today() - timedelta(days=1)))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f5", CallbacksScreen)
        await pilot.press("5")
        await pilot.pause()
        for typed in ("0001-01-01 10:00", "abc 10:00"):
            screen.query_one("#later-time", Input).value = ""
            await pilot.press(*typed, "enter")
            await pilot.pause()
            assert "HH:MM" in shown(screen, "#later-error") or "passed" in shown(
                screen, "#later-error"), typed
            assert screen.focused.id == "later-time"
        assert app.is_running
    with db.read() as session:
        from sqlmodel import select

        assert session.exec(select(CallbackAttempt)).all() == []


def toasts(app) -> list[str]:
    """The notices as notified (the app never reads them as markup)."""
    return notifications(app)


MARKUP_BREAKERS = ["[/]", "[/foo] x", "[@click=app.quit]点我[/]", "[red]x[/red]"]


@pytest.mark.parametrize("name", MARKUP_BREAKERS)
async def test_callback_notice_shows_a_customer_name_literally(db, team, make_app, name):
    """The 'recorded: <name> …' notice was markup: a customer named '[/]' ended the app."""
    from models import Customer
    from screens.callbacks import CallbacksScreen

    with db.write() as session:
        session.add(Customer(name=name, phone="13800001111", created_at=clock.now_utc(),
                             first_visit_day=today() - timedelta(days=1)))
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_area(app, pilot, "f5", CallbacksScreen)
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        assert toasts(app) == [f"Recorded: {name} No answer · Next try 13:00"]
        assert app.is_running


async def test_key_notices_show_names_literally(db, team, make_app):
    """Lend and return notices carried the staff and key names as markup ('[/]' crashed)."""
    from models import Role
    from reception import staff as staff_service
    from screens.keys import KeysScreen

    with db.write() as session:
        staff_service.add_staff(session, name="[/]咨询", role=Role.CONSULTANT, pin="1234",
                                by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"[/]咨", "enter", *"取病历", "ctrl+s")
        await pilot.pause()
        clock.advance(minutes=5)
        screen.query_one("#keys-table", DataTable).move_cursor(row=0)
        await pilot.press("r")
        await pilot.pause()
        notices = toasts(app)
        assert any("[/]咨询" in notice for notice in notices), notices
        assert len(notices) == 2
        assert app.is_running


async def test_summary_export_file_name_follows_a_new_range(db, team, make_app):
    """The offered file kept the first range's name (callbacks-20261101-20261122.csv)
    after the dates were changed, so the file's name lied about what it held."""
    from screens.callbacks import CallbacksScreen

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f5", CallbacksScreen)
        await pilot.press("s")
        await pilot.pause()
        path = screen.query_one("#summary-path", Input)
        assert path.value.endswith("callbacks-20261101-20261122.csv")
        screen.query_one("#summary-from", Input).value = ""
        await pilot.press(*"2026-10-01", "enter")
        await pilot.pause()
        assert path.value.endswith("callbacks-20261001-20261122.csv")
        # A path the user typed is kept.
        path.value = "/tmp/mine.csv"
        screen.query_one("#summary-from", Input).focus()
        screen.query_one("#summary-from", Input).value = ""
        await pilot.press(*"2026-09-01", "enter")
        await pilot.pause()
        assert path.value == "/tmp/mine.csv"
        # A bad range says so and keeps the last good name.
        screen.query_one("#summary-from", Input).value = ""
        await pilot.press(*"2026-12-31", "enter")
        await pilot.pause()
        assert shown(screen, "#summary-line") == "The end date is before the start"
        assert path.value == "/tmp/mine.csv"


# --- manager screens ---------------------------------------------------------------------


async def test_staff_form_error_does_not_linger_and_an_empty_pin_is_not_saved(
        db, team, make_app):
    from sqlmodel import select

    from models import AuditEntry, Staff

    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_area("staff")
        await pilot.pause()
        screen = app.screen
        error = screen.query_one("#error", Static)
        await pilot.press("a", *"新人", "enter", "enter", "down", "enter")
        await pilot.pause()
        await pilot.press("1", "2", "enter")
        await pilot.pause()
        # The role chosen is known: its own PIN rule is said.
        assert str(error.render()) in ("A staff PIN is 4 to 8 digits",
                                       "A manager's PIN is 6 to 12 digits")
        assert screen.query_one("#staff-name", Input).value == "新人"  # typed text kept
        await pilot.press("escape")
        await pilot.pause()
        assert str(error.render()) == ""
        with db.read() as session:
            audits = len(session.exec(select(AuditEntry)).all())
        await pilot.press("p")
        await pilot.pause()
        assert screen.focused.id == "staff-pin"
        assert screen.query_one("#staff-pin", Input).value == ""
        await pilot.press("enter")
        await pilot.pause()
        assert str(error.render()) == "The PIN is 4 to 12 digits"
        assert toasts(app) == []
        with db.read() as session:
            assert len(session.exec(select(AuditEntry)).all()) == audits
            assert session.exec(select(Staff).where(Staff.name == "新人")).first() is None


async def test_rota_copy_of_an_empty_day_keeps_this_days_rota(db, team, make_app):
    """'c' on a day whose previous day had no rota wiped the day's rota silently."""
    from reception import staff as staff_service

    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_area("rota")
        await pilot.pause()
        screen = app.screen
        before = list(screen.on_duty_ids)
        assert len(before) == len(team.all)
        await pilot.press("c")
        await pilot.pause()
        assert screen.on_duty_ids == before
        assert toasts(app) == ["2026-11-21 has no rota: nothing copied"]
        with db.read() as session:
            assert [s.id for s in staff_service.on_duty(session, today())] == before
        # Next day: copying today's rota works.
        await pilot.press("full_stop", "c")
        await pilot.pause()
        assert screen.day == today() + timedelta(days=1)
        assert screen.on_duty_ids == before


async def test_paper_count_too_large_says_so_and_keeps_the_prompt(make_app, team, db):
    """'9999999' was refused as 'Type a whole number, 0 or more' — which it is."""
    from sqlmodel import select

    from models import PaperCount

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_check(app, pilot)
        await pilot.press("p", *"9999999", "enter")
        await pilot.pause()
        assert toasts(app) == ["9999999 is too large: at most 1000000"]
        assert screen.query_one("#prompt").display
        assert screen.query_one("#prompt-input", Input).value == "9999999"
        # Hostile text cannot even be typed into a count.
        screen.query_one("#prompt-input", Input).value = ""
        await pilot.press(*"[red]x", "enter")
        await pilot.pause()
    with db.read() as session:
        assert [(row.name, row.value) for row in session.exec(select(PaperCount))] == []


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_signed_off_title_does_not_invite_signing_off(make_app, team, db, language):
    """A clean signed-off day said '… read-only · No findings: the day can be signed off.'"""
    from reception import days

    i18n.set_language(language)
    with db.write() as session:
        days.sign_off(session, today(), by=team.receptionist.id)
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
