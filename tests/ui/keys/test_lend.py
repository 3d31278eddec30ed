"""F4 lend at 80×24: the form over the board, refusals under their field, the manager's
PIN, one draft per key, bursts of keys, the case file asked for at triage."""

import sqlite3

import pytest
from sqlmodel import select
from textual.widgets import DataTable, Input, OptionList

from models import CaseFileRequest, Draft
from reception import customers, i18n, keys
from reception.clock import clock
from screens.keys import KeysScreen
from screens.keys.lend import LendForm
from tests.conftest import MANAGER_PIN
from tests.helpers.pilot import notifications, screen_text, settle
from tests.helpers.pressing import typed
from tests.ui.keys.helpers import burst, cells, open_keys, shown

HOSTILE = "[red]x[/red] 王小红😀" + "长" * 60


def field(app, field_id: str) -> Input:
    return app.screen.query_one(f"#{field_id}", Input)


def error(app, field_id: str) -> str:
    return shown(app.screen, f"#{field_id}-error")


async def test_lend_then_return_the_archive_key(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        table = screen.query_one("#keys-table", DataTable)
        assert [row[0] for row in cells(table)] == [keys.ARCHIVE_NAME, keys.VIP_NAME]
        assert cells(table)[0][1] == "At the desk"
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LendForm)
        assert app.focused.id == "staff"
        # Keystroke budget: l, two letters, Enter, the purpose, Enter, Enter.
        await pilot.press(*"陈咨", "enter", *"case file", "enter", "enter")
        await settle(pilot)
        assert app.screen is screen
        assert cells(table)[0][1] == "out 0m"
        assert cells(table)[0][2] == "陈咨询"
        assert cells(table)[0][3] == "10:00"
        assert "Lent to 陈咨询 at 10:00" in notifications(app)
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.holder.id == team.consultants[1].id and out.loan.purpose == "case file"
        assert out.loan.created_by_id == team.receptionist.id

        clock.advance(minutes=7)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("r")
        await settle(pilot)
        assert cells(table)[0][1] == "At the desk"
        with db.read() as session:
            assert keys.keys_out(session) == []
            (line,) = [line for line in keys.history(session) if line.event.kind == "back"]
        assert line.event.loan_id == out.loan.id
        assert line.event.at == clock.now_utc()


async def test_lend_typed_while_the_seed_keys_wait_for_the_lock_opens_once_they_are_in(
        make_app, team, db, db_path):
    """On first use the board adds the seed's two keys through the store. An ``l`` typed
    before they are in (the store busy, or just slow) opens the lend form once they are;
    it was lost."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("holds a SQLite file's write lock from another connection")
    other = sqlite3.connect(db_path, isolation_level=None)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
        await typed(pilot, "f4", "l")
        assert isinstance(app.screen, KeysScreen)  # the keys are not in yet
        other.execute("COMMIT")
        await settle(pilot, timeout=15)
        assert isinstance(app.screen, LendForm)
    other.close()
    with db.read() as session:
        assert len(keys.list_keys(session)) == 2


async def test_a_burst_fills_each_field_and_lends(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await burst(app, ["l", *"陈咨", "tab", *"病例", "tab", *"nobody", "enter"])
        await settle(pilot)
        assert app.screen is screen
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.holder.id == team.consultants[1].id
        assert out.loan.purpose == "病例 · nobody"


async def test_a_burst_through_the_manager_pin_lends_the_vip_key(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await burst(app, ["l", *"sm", "\r", *"VIP care", "\r", "\r", *MANAGER_PIN, "\r"])
        await settle(pilot)
        assert app.screen is screen
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.key.name == keys.VIP_NAME and out.loan.approved_by_id == team.manager.id
        assert out.holder.id == team.beautician.id and out.loan.purpose == "VIP care"
        # The PIN was never in a visible field, nor in a draft.
        assert MANAGER_PIN not in screen_text(app)
        with db.read() as session:
            assert session.exec(select(Draft)).all() == []


async def test_the_staff_list_of_a_lend_knows_pinyin_initials(make_app, team):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_keys(app, pilot)
        await pilot.press("l", *"lzx")
        await settle(pilot)
        options = app.screen.query_one("#staff-list", OptionList)
        assert options.option_count == 1
        assert "刘咨询" in str(options.get_option_at_index(0).prompt)
        # Enter takes the one highlighted: the field then shows the whole name.
        await pilot.press("enter")
        assert field(app, "staff").value == "刘咨询"
        assert app.focused.id == "purpose"


async def test_refusal_is_shown_under_its_field_and_typing_goes_there(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await pilot.press("l", *"李前台", "enter", *"找资料", "enter", "enter")
        await settle(pilot)
        assert "Only Consultant, Cashier may take the 档案室 key; 李前台 is Receptionist" in (
            error(app, "staff"))
        with db.read() as session:
            assert keys.keys_out(session) == []
        # The cursor is on the field to put right: what is typed lands there.
        assert app.focused.id == "staff"
        field(app, "staff").value = ""
        await pilot.press(*"zzx", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.holder.id == team.consultants[0].id and out.loan.purpose == "找资料"


async def test_escape_keeps_the_lend_as_a_draft_of_its_key(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await pilot.press("l", *"李前台", "enter", *"找资料", "escape")
        await settle(pilot)
        assert app.screen is screen
        assert "Lend begun and kept: 档案室" in shown(screen, "#drafts-line")
        await pilot.press("l")
        await settle(pilot)
        assert field(app, "purpose").value == "找资料"


async def test_each_key_keeps_its_own_half_filled_lend(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        table = screen.query_one("#keys-table", DataTable)
        await pilot.press("l", *"张咨", "enter", *"档案资料", "escape")
        await settle(pilot)
        table.move_cursor(row=1)
        await pilot.press("l")
        await settle(pilot)
        assert field(app, "purpose").value == ""
        await pilot.press(*"孙美", "enter", *"贵宾护理", "escape")
        await settle(pilot)
        clock.advance(minutes=1)
        table.move_cursor(row=0)
        await pilot.press("l")
        await settle(pilot)
        # The first key's lend is back as it was left (the second did not replace it).
        assert field(app, "purpose").value == "档案资料"
        assert app.focused.id == "customer"  # the first field still empty
        await pilot.press("x", "escape")
        await settle(pilot)
        with db.read() as session:
            forms = sorted(draft.form for draft in session.exec(select(Draft)))
        assert forms == ["keys.lend.1", "keys.lend.2"]
    # Next start: the most recent one is offered; the other waits on its own key.
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, LendForm)
        assert field(app, "purpose").value == "档案资料"
        assert field(app, "customer").value == "x"
        await pilot.press("escape")
        await settle(pilot)
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await settle(pilot)
        assert field(app, "purpose").value == "贵宾护理"


async def test_half_typed_lend_is_offered_back_after_a_quit(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4", "down", "l")
        await settle(pilot)
        await pilot.press(*"张咨", "enter", *"[b]王小红[/b] 的病例")
        await pilot.pause()
        await app.action_quit()
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, LendForm)
        assert field(app, "purpose").value == "[b]王小红[/b] 的病例"
        assert keys.VIP_NAME in screen_text(app)
        assert screen is not app.screen


async def test_vip_key_with_manager_pin(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await settle(pilot)
        assert app.screen.query("#pin") and app.screen.query("#approver")
        await pilot.press(*"孙美", "enter", *"VIP 顾客护理", "enter", "enter")
        assert app.focused.id == "pin"  # the only manager is already chosen
        await pilot.press(*"0000", "enter")
        await settle(pilot)
        assert "PIN of the approving manager 王经理 is wrong" in error(app, "pin")
        # The cursor is back in the PIN field, emptied: the right PIN is typed again.
        assert app.focused.id == "pin" and field(app, "pin").value == ""
        await pilot.press(*MANAGER_PIN, "enter")
        await settle(pilot)
        assert app.screen is screen
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.key.name == keys.VIP_NAME and out.loan.approved_by_id == team.manager.id


async def test_tab_from_the_manager_pin_goes_to_a_visible_field(make_app, team, db):
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one("#pin").focus()
        seen = []
        for _ in range(6):
            await pilot.press("tab")
            seen.append(app.focused.id)
            assert app.focused.region.height > 0 and app.focused.display
        assert seen == ["staff", "purpose", "customer", "approver", "pin", "staff"]


async def test_a_manager_lends_the_vip_key_without_a_pin(make_app, team, db):
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await settle(pilot)
        assert not app.screen.query("#pin")
        await pilot.press(*"孙美", "enter", *"VIP", "enter", "enter")
        await settle(pilot)
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.loan.approved_by_id == team.manager.id


async def test_pending_case_file_request_is_fulfilled_by_lending(make_app, team, db):
    with db.write() as session:
        customer, _ = customers.register(session, name=HOSTILE, phone="13800001111",
                                         by=team.receptionist.id)
        request = keys.request_case_file(session, customer_id=customer.id,
                                         consultant_id=team.consultants[0].id,
                                         by=team.receptionist.id)
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        requests = screen.query_one("#requests-table", DataTable)
        assert cells(requests) == [[HOSTILE, "张咨询", "10:00"]]
        await pilot.press("f")
        await settle(pilot)
        assert field(app, "staff").value == "张咨询"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert not requests.display
        with db.read() as session:
            stored = session.get(CaseFileRequest, request.id)
            (out,) = keys.keys_out(session)
        assert stored.key_event_id == out.loan.id and stored.fulfilled_at is not None
        assert out.loan.customer_id == customer.id
        assert out.holder.id == team.consultants[0].id
        # Customer text is shown literally, markup and all.
        assert cells(screen.query_one("#keys-table", DataTable))[0][4].startswith(
            "Case file of [red]x[/red]")


async def test_lend_keeps_a_typed_customer_that_matches_nobody(make_app, team, db):
    """With a purpose given, a customer typed but not in the list was silently dropped."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_keys(app, pilot)
        await pilot.press("l", *"陈咨", "enter", *"取病历", "enter")
        await pilot.press(*"[red]x[/red]王", "enter")
        await settle(pilot)
        with db.read() as session:
            (out,) = keys.keys_out(session)
        assert out.loan.purpose == "取病历 · [red]x[/red]王"
        assert out.loan.customer_id is None
        table = app.screen.query_one("#keys-table", DataTable)
        assert "取病历 · [red]x[/red]王" in " ".join(str(c) for c in table.get_row_at(0))


async def test_purpose_hint_and_refusal_fit_the_key(make_app, team, db):
    i18n.set_language("zh")
    app = make_app(team.manager)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        screen.query_one("#keys-table", DataTable).move_cursor(row=1)
        await pilot.press("l")
        await settle(pilot)
        assert field(app, "purpose").placeholder == "借钥匙做什么"
        assert "病例" not in screen_text(app)
        await pilot.press(*"孙美", "ctrl+s")
        await settle(pilot)
        assert error(app, "purpose") == "请填写借钥匙做什么"
        assert app.focused.id == "purpose"
        await pilot.press("ctrl+d", "escape")
        await settle(pilot)
        screen.query_one("#keys-table", DataTable).move_cursor(row=0)
        await pilot.press("l")
        await settle(pilot)
        assert field(app, "purpose").placeholder == "调哪位顾客的病例"
        await pilot.press(*"张咨", "ctrl+s")
        await settle(pilot)
        assert error(app, "purpose") == "请填写调哪位顾客的病例"
    with db.read() as session:
        assert keys.keys_out(session) == []


async def test_zh_lend_form_reads_with_full_width_punctuation(make_app, team, db):
    i18n.set_language("zh")
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_keys(app, pilot)
        await pilot.press("l")
        await settle(pilot)
        assert "借出 档案室（可领：咨询师、收银；时限 30 分钟）" in screen_text(app)
        await pilot.press(*"zzx", "enter", *"调病例", "enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, KeysScreen)
        assert "已借给 张咨询，10:00 借出" in notifications(app)


async def test_a_lend_leaves_no_draft(make_app, team, db):
    """Saving the form leaves no draft behind (nor one saved after the form closed)."""
    app = make_app(team.receptionist)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_keys(app, pilot)
        await pilot.press("l", *"张咨", "enter", *"王小红的病例", "ctrl+s")
        await settle(pilot)
        await pilot.pause(0.6)  # past the draft delay
        await settle(pilot)
        assert app.screen is screen
    with db.read() as session:
        assert session.exec(select(Draft)).all() == []
        assert len(keys.keys_out(session)) == 1
