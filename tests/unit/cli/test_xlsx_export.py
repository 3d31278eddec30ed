"""The desk's lists as .xlsx: a bold frozen header, widths that fit Chinese text, text cells
that stay text (never a formula), numbers that stay numbers, one sheet per part."""

import os
import stat

import pytest
from openpyxl import load_workbook

from reception import cli
from reception.workbook import display_width
from tests.conftest import today
from tests.helpers.records import add_customer, add_visit

HOSTILE = "=HYPERLINK(\"http://x\",\"点我\")"


@pytest.fixture
def store(db, db_address, team):
    with db.write() as session:
        wide = add_customer(session, team.receptionist.id, name="欧阳娜娜" * 3,
                            phone="13812345678")
        deal = add_visit(session, team.receptionist.id, wide,
                         consultant_id=team.consultants[0].id, outcome="deal")
        deal.items, deal.amount_cents = "光子嫩肤 1 次", -125050  # a refund: negative
        hostile = add_customer(session, team.receptionist.id, name=HOSTILE,
                               phone="13912345678")
        add_visit(session, team.receptionist.id, hostile, consultant_id=team.consultants[1].id,
                  outcome="no_deal", is_new=False)
    db.close()
    return db_address


def export(capsys, store, target, *args):
    code = cli.main(["--lang", "zh", "--db", str(store), "export", "--date",
                     today().isoformat(), "--format", "xlsx", "-o", str(target), *args])
    assert code == 0, capsys.readouterr().err
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    return load_workbook(target)


def test_deals_have_a_header_numbers_and_widths_for_chinese(capsys, store, tmp_path):
    book = export(capsys, store, tmp_path / "deals.xlsx", "--list", "deals", "--full-phone")
    sheet = book.worksheets[0]
    assert sheet.title == "已成交顾客" and sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header == ["日期", "姓名", "性别", "电话", "治疗项目", "金额", "咨询师", "病案号"]
    assert all(cell.font.bold for cell in sheet[1])
    row = [cell.value for cell in sheet[2]]
    assert row[1] == "欧阳娜娜" * 3 and row[3] == "13812345678"
    assert row[5] == -1250.5 and sheet.cell(2, 6).data_type == "n"  # a number
    assert sheet.column_dimensions["B"].width >= display_width("欧阳娜娜" * 3) == 24


def test_text_a_spreadsheet_would_run_is_stored_as_text(capsys, store, tmp_path):
    book = export(capsys, store, tmp_path / "no.xlsx", "--list", "no-deals")
    sheet = book.worksheets[0]
    cell = sheet.cell(2, 2)
    assert cell.value == HOSTILE  # exactly the customer's text …
    assert cell.data_type == "s" and cell.quotePrefix  # … as text, never a formula
    assert sheet.cell(2, 4).value == "139****5678"  # masked unless --full-phone


def test_register_book_months_callbacks_and_day_records(capsys, store, tmp_path):
    day = export(capsys, store, tmp_path / "day.xlsx", "--list", "day")
    assert day.sheetnames == ["新顾客", "老顾客"]
    month = export(capsys, store, tmp_path / "month.xlsx", "--list", "month")
    assert set(month.sheetnames) >= {"张咨询", "陈咨询"}
    summary = export(capsys, store, tmp_path / "cb.xlsx", "--list", "callbacks")
    assert summary.worksheets[0].cell(2, 3).value == "全部"
    records = export(capsys, store, tmp_path / "records.xlsx")
    assert {"visit", "customer", "staff"} <= set(records.sheetnames)
    rows = list(records["customer"].iter_rows(values_only=True))
    column = rows[0].index("name")
    assert HOSTILE in [row[column] for row in rows[1:]]


def test_xlsx_needs_a_file(capsys, store):
    code = cli.main(["--lang", "en", "--db", str(store), "export", "--date",
                     today().isoformat(), "--list", "deals", "--format", "xlsx"])
    assert code == 2
    assert capsys.readouterr().err == "error: xlsx needs a file: -o FILE.xlsx\n"
