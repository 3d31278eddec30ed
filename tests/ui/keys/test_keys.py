"""F4 key log at 80×24: lend, refusals, return, overdue on the status line, corrections."""

from sqlmodel import select
from textual.widgets import DataTable, Input, Static

from models import CaseFileRequest, KeyEvent, KeyEventKind
from reception import customers, keys
from reception.clock import clock
from screens.dashboard import DashboardScreen
from screens.keys import KeysScreen
from screens.widgets.status import StatusLine
from tests.conftest import MANAGER_PIN
from tests.helpers.pilot import open_area

HOSTILE = "[red]x[/red] 王小红😀" + "长" * 60


def cell_texts(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]


def plain(widget: Static) -> str:
    return str(widget.render())


async def test_lend_then_return_the_archive_key(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        table = screen.query_one("#keys-table", DataTable)
        assert [row[0] for row in cell_texts(table)] == [keys.ARCHIVE_NAME, keys.VIP_NAME]
        assert cell_texts(table)[0][1] == "At the desk"
        await pilot.press("l")
        await pilot.pause()
        assert screen.focused.id == "lend-staff"
        await pilot.press(*"陈咨")
        await pilot.press("enter")
        await pilot.press(*"case file", "enter")
        await pilot.press("enter")
        await pilot.pause()
        assert cell_texts(table)[0][1] == "out 0m"
        assert cell_texts(table)[0][2] == "陈咨询"
        assert cell_texts(table)[0][3] == "10:00"
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.holder.id == team.consultants[1].id and out.loan.purpose == "case file"
        assert out.loan.created_by_id == team.receptionist.id

        clock.advance(minutes=7)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("r")
        await pilot.pause()
        assert cell_texts(table)[0][1] == "At the desk"
        with db.read() as session:
            assert keys.keys_out(session) == []
            back = session.exec(select(KeyEvent).where(KeyEvent.kind == KeyEventKind.BACK)).one()
        assert back.loan_id == out.loan.id
        assert back.at == clock.now_utc()


async def test_the_staff_list_of_a_lend_knows_pinyin_initials(make_app, team):
    from textual.widgets import OptionList

    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"lzx")
        await pilot.pause()
        options = screen.query_one("#lend-staff-list", OptionList)
        assert options.option_count == 1
        assert "刘咨询" in str(options.get_option_at_index(0).prompt)


async def test_refusal_is_shown_word_for_word(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l")
        await pilot.press(*"李前台", "enter")
        await pilot.press(*"找资料", "enter", "enter")
        await pilot.pause()
        error = plain(screen.query_one("#lend-error", Static))
        assert "Only Consultant, Cashier may take the 档案室 key; 李前台 is Receptionist" in error
        with db.read() as session:
            assert keys.keys_out(session) == []
        # Escape keeps what was typed as a draft.
        await pilot.press("escape")
        await pilot.pause()
        assert screen.view == "overview"
        assert screen.query_one("#lend-purpose", Input).value == "找资料"


async def test_each_key_keeps_its_own_half_filled_lend(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        table = screen.query_one("#keys-table", DataTable)
        purpose = screen.query_one("#lend-purpose", Input)
        await pilot.press("l", *"张咨", "enter", *"档案资料", "escape")
        await pilot.pause()
        table.move_cursor(row=1)
        await pilot.press("l")
        await pilot.pause()
        assert purpose.value == ""
        await pilot.press(*"孙美", "enter", *"贵宾护理", "escape")
        await pilot.pause()
        clock.advance(minutes=1)
        table.move_cursor(row=0)
        await pilot.press("l")
        await pilot.pause()
        # The first key's lend is back as it was left.
        assert purpose.value == "档案资料"
        await pilot.press("escape")
        await pilot.pause()
    # Next start: the most recent one is offered; the other waits on its own key.
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.view == "lend"
        assert screen.query_one("#lend-purpose", Input).value == "档案资料"
        await pilot.press("escape")
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await pilot.pause()
        assert screen.query_one("#lend-purpose", Input).value == "贵宾护理"


async def test_second_lend_is_refused_with_holder_and_time(make_app, team, db):
    with db.write() as session:
        archive = keys.ensure_default_keys(session, by=team.manager.id)[0]
        keys.lend(session, key_id=archive.id, staff_id=team.cashier.id, purpose="对账",
                  by=team.manager.id)
    clock.advance(minutes=5)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l")
        await pilot.pause()
        # Refused at once, with who has it and since when: no form to fill first.
        assert screen.view == "overview"
        assert plain(screen.query_one("#keys-error", Static)) == (
            "The 档案室 key is already out: 周收银 has had it since 10:00")


async def test_vip_key_with_manager_pin(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await pilot.pause()
        assert screen.query_one("#approval-row").display
        await pilot.press(*"孙美", "enter", *"VIP 顾客护理", "enter", "enter")
        await pilot.press(*"0000", "enter")
        await pilot.pause()
        assert "PIN of the approving manager 王经理 is wrong" in plain(
            screen.query_one("#lend-error", Static))
        pin = screen.query_one("#lend-approver-pin", Input)
        pin.value = MANAGER_PIN
        pin.focus()
        await pilot.press("enter")
        await pilot.pause()
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.key.name == keys.VIP_NAME and out.loan.approved_by_id == team.manager.id


async def test_overdue_key_shows_on_the_status_line_and_dashboard(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"张咨", "enter", *"王小红的病例", "ctrl+s")
        await pilot.pause()
        status = screen.query_one(StatusLine)
        assert "overdue" not in plain(status)
        clock.advance(minutes=31)
        screen.refresh_data()
        app.update_status_line()
        await pilot.pause()
        assert "Keys not back: 档案室 overdue 31m" in plain(status)
        assert status.has_class("-alert")
        assert cell_texts(screen.query_one("#keys-table", DataTable))[0][1] == "overdue 31m"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "Keys not back: 档案室" in plain(app.screen.query_one(StatusLine))
        (row,) = cell_texts(app.screen.query_one("#keys", DataTable))
        assert row[:2] == [keys.ARCHIVE_NAME, "overdue 31m"]


async def test_history_shows_the_highlighted_entry_in_full(make_app, team, db):
    with db.write() as session:
        archive = keys.ensure_default_keys(session, by=team.manager.id)[0]
        keys.lend(session, key_id=archive.id, staff_id=team.cashier.id, purpose=HOSTILE,
                  by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("h")
        await pilot.pause()
        # The row cuts the purpose at the screen's edge; the line below has all of it.
        detail = screen.query_one("#history-detail", Static)
        assert HOSTILE in plain(detail)
        assert plain(detail).startswith("#1 11-22 10:00 档案室 · Out · 周收银")
        assert detail.region.height >= 2 and detail.region.bottom <= 22


async def test_correcting_a_loan_adds_a_linked_entry(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("l", *"刘咨", "enter", *"wrong person", "ctrl+s")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        history = screen.query_one("#history-table", DataTable)
        assert [row[3] for row in cell_texts(history)] == ["Out"]
        await pilot.press("c")
        await pilot.pause()
        assert screen.focused.id == "correction-note"
        await pilot.press("enter")
        await pilot.pause()
        assert "needs a reason" in plain(screen.query_one("#history-error", Static))
        await pilot.press(*"登记错了人", "enter")
        await pilot.pause()
        rows = cell_texts(history)
        assert [row[3] for row in rows] == ["Correction", "Out ✗"]
        assert "corrects #1: 登记错了人" in rows[0][5]
        with db.read() as session:
            entries = session.exec(select(KeyEvent).order_by(KeyEvent.id)).all()
            assert keys.keys_out(session) == []
        assert [(e.kind, e.corrects_id, e.loan_id) for e in entries] == [
            ("out", None, None), ("correction", 1, 1)]
        assert entries[0].purpose == "wrong person"  # the loan itself is untouched
        await pilot.press("escape")
        await pilot.pause()
        assert cell_texts(screen.query_one("#keys-table", DataTable))[0][1] == "At the desk"


async def test_pending_case_file_request_is_fulfilled_by_lending(make_app, team, db):
    with db.write() as session:
        customer, _ = customers.register(session, name=HOSTILE, phone="13800001111",
                                         by=team.receptionist.id)
        request = keys.request_case_file(session, customer_id=customer.id,
                                         consultant_id=team.consultants[0].id,
                                         by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        requests = screen.query_one("#requests-table", DataTable)
        assert cell_texts(requests) == [[HOSTILE, "张咨询", "10:00"]]
        await pilot.press("f")
        await pilot.pause()
        assert screen.query_one("#lend-staff", Input).value == "张咨询"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.view == "overview"
        assert not requests.display
        with db.read() as session:
            stored = session.get(CaseFileRequest, request.id)
            (out,) = keys.keys_out(session)
        assert stored.key_event_id == out.loan.id and stored.fulfilled_at is not None
        assert out.loan.customer_id == customer.id
        assert out.holder.id == team.consultants[0].id
        # Customer text is shown literally, markup and all.
        assert cell_texts(screen.query_one("#keys-table", DataTable))[0][4].startswith(
            "Case file of [red]x[/red]")


async def test_history_filters_by_staff_and_day(make_app, team, db):
    from tests.conftest import at

    with db.write() as session:
        archive = keys.ensure_default_keys(session, by=team.manager.id)[0]
    clock.set(at("2026-11-21 15:00"))
    with db.write() as session:
        keys.lend(session, key_id=archive.id, staff_id=team.cashier.id, purpose="昨天",
                  by=team.manager.id)
        keys.return_key(session, key_id=archive.id, by=team.manager.id)
    clock.set(at("2026-11-22 10:00"))
    with db.write() as session:
        keys.lend(session, key_id=archive.id, staff_id=team.consultants[0].id, purpose="今天",
                  by=team.manager.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_area(app, pilot, "f4", KeysScreen)
        await pilot.press("h")
        await pilot.pause()
        history = screen.query_one("#history-table", DataTable)
        assert [row[5].split(" ·")[0] for row in cell_texts(history)] == ["今天"]
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert [row[3] for row in cell_texts(history)] == ["Back", "Out"]
        assert "2026-11-21" in plain(screen.query_one("#history-filter", Static))
        await pilot.press("a")
        await pilot.pause()
        assert len(cell_texts(history)) == 3
        history.move_cursor(row=0)
        await pilot.press("s")
        await pilot.pause()
        assert [row[4] for row in cell_texts(history)] == ["张咨询"]
        assert "Staff 张咨询" in plain(screen.query_one("#history-filter", Static))
