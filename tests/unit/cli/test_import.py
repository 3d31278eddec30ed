"""``reception import customers``: Chinese or English headers, each row checked, one line
per rejected row, all or nothing, hostile cells stored as text, an xlsx round trip, and
imported customers are returning ones."""

import json
from datetime import date

import pytest
from sqlmodel import select

from models import AuditEntry, Customer, Visit
from reception import cli, triage
from reception.db import open_database
from tests.conftest import today
from tests.helpers.sheets import many_customers, write_csv


def run_import(capsys, db_address, file, *flags):
    code = cli.main(["--lang", "en", "--db", str(db_address), "import", "customers", str(file),
                     *flags])
    out, err = capsys.readouterr()
    return code, out, err


def customers(db_address):
    database = open_database(db_address)
    try:
        with database.read() as session:
            return {c.phone: c for c in session.exec(select(Customer)).all()}
    finally:
        database.close()


@pytest.fixture
def store(db, db_address, team):
    db.close()
    return db_address


GOOD = [
    ["王小红", "138 0013 8000", "女", "2026/3/5", "2026030501", "张咨询", "光子嫩肤", "", "wx1"],
    ["=HYPERLINK(\"http://x\",\"点我\")", "13900139000", "F", "2026-03-06", "", "", "", "", ""],
    ["李\x1b[31m红\u202e", "+852 6123 4567", "", "", "", "", "-2+3", "长" * 10_000, ""],
]


def test_mapping_printed_rows_stored_as_text(capsys, store, tmp_path):
    code, out, err = run_import(capsys, store, write_csv(tmp_path / "c.csv", GOOD))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == ("columns: 姓名 → name, 手机 → phone, 性别 → gender, "
                                   "首次到店 → first visit, 病历号 → case number, 咨询师 → "
                                   "consultant, 治疗项目 → items, 未成交原因 → notes")
    assert "columns not used: 微信" in out
    assert "3 rows: 3 fine, 0 rejected" in out and "imported 3 customers" in out
    stored = customers(store)
    wang = stored["13800138000"]
    assert (wang.name, wang.gender, wang.first_visit_day, wang.case_number) == (
        "王小红", "f", date(2026, 3, 5), "2026030501")
    assert wang.consultant_id is not None and wang.interest == "光子嫩肤"
    assert wang.name_initials == "wxh"
    # Hostile cells are the customer's text, stored as it is.
    assert stored["13900139000"].name == "=HYPERLINK(\"http://x\",\"点我\")"
    li = stored["+85261234567"]
    assert li.name == "李\x1b[31m红\u202e" and li.interest == "-2+3"
    assert li.note == "长" * 10_000
    database = open_database(store)
    with database.read() as session:
        (row,) = session.exec(select(AuditEntry).where(
            AuditEntry.action == "customers_imported")).all()
    database.close()
    assert json.loads(row.detail)["count"] == 3


BAD = [
    ["", "13800000001", "", "", "", "", "", "", ""],  # row 2: no name
    ["坏电话", "1234", "", "", "", "", "", "", ""],  # 3
    ["重复", "13800138000", "", "", "", "", "", "", ""],  # 4: same phone as row 6… below
    ["坏日期", "13800000004", "", "2026-02-30", "", "", "", "", ""],  # 5
    ["同号", "138-0013-8000", "", "", "", "", "", "", ""],  # 6: same as row 4
    ["未来", "13800000006", "", "2099-01-01", "", "", "", "", ""],  # 7
    ["坏病历", "13800000007", "", "", "12345", "", "", "", ""],  # 8
    ["性别", "13800000008", "unknown", "", "", "", "", "", ""],  # 9
    ["咨询", "13800000009", "", "", "", "没这人", "", "", ""],  # 10
    ["好人", "13800000010", "男", "", "", "", "", "", ""],  # 11: fine
]


def test_rejected_rows_are_listed_and_nothing_is_written(capsys, store, tmp_path):
    file = write_csv(tmp_path / "bad.csv", BAD)
    code, out, err = run_import(capsys, store, file)
    assert (code, err) == (1, "")
    rejected = [line for line in out.splitlines() if line.startswith("row ")]
    assert [line.split(":")[0] for line in rejected] == [
        "row 2", "row 3", "row 5", "row 6", "row 7", "row 8", "row 9", "row 10"]
    assert "row 6: phone: phone 13800138000 is also on row 4" in out
    assert "row 10: consultant: no consultant named 没这人" in out
    assert "10 rows: 2 fine, 8 rejected" in out
    assert "nothing was written" in out
    assert customers(store) == {}
    # --dry-run writes nothing either; --skip-bad writes the fine rows.
    assert run_import(capsys, store, file, "--dry-run")[0] == 1
    assert customers(store) == {}
    code, out, _err = run_import(capsys, store, file, "--skip-bad")
    assert code == 1 and "imported 2 customers" in out
    assert set(customers(store)) == {"13800138000", "13800000010"}
    # Against the store now: the same phones are refused.
    code, out, _err = run_import(capsys, store, file, "--skip-bad")
    assert "row 4: phone: a customer with this phone is on file already: 13800138000" in out


def test_dry_run_checks_everything_and_writes_nothing(capsys, store, tmp_path):
    code, out, _err = run_import(capsys, store, write_csv(tmp_path / "c.csv", GOOD),
                                 "--dry-run")
    assert code == 0 and "dry run: nothing was written" in out
    assert customers(store) == {}


def test_english_and_mixed_headers_and_gbk(capsys, store, tmp_path):
    file = write_csv(tmp_path / "en.csv", [["Ann", "13700137000", "female", "2026-01-02"],
                                           ["Bo", "13700137001", "男", "2026年1月3日"]],
                     header=["Name ", "PHONE", "性别", "First visit"], encoding="gb18030")
    code, out, _err = run_import(capsys, store, file)
    assert code == 0, out
    assert "columns: Name  → name, PHONE → phone, 性别 → gender, First visit → first visit" in out
    stored = customers(store)
    assert stored["13700137001"].first_visit_day == date(2026, 1, 3)
    assert stored["13700137000"].gender == "f"


def test_a_file_without_name_and_phone_columns_is_an_error(capsys, store, tmp_path):
    code, out, err = run_import(capsys, store, write_csv(tmp_path / "x.csv", [["a"]],
                                                         header=["foo"]))
    assert code == 2 and out == ""
    assert err == "error: no name and phone columns found (headers: foo)\n"


def test_xlsx_round_trip_gives_the_same_customers(capsys, db, db_address, team, tmp_path):
    from tests.helpers.records import add_customer, add_visit

    with db.write() as session:
        for number, (name, outcome) in enumerate([("王一", "deal"), ("=李二", "no_deal"),
                                                  ("张三", "deal")]):
            customer = add_customer(session, team.receptionist.id, name=name,
                                    phone=f"1380000{number:04d}",
                                    case_number=f"{today():%Y%m%d}{number + 1:02d}"
                                    if outcome == "deal" else None)
            customer.gender = "fm"[number % 2]
            add_visit(session, team.receptionist.id, customer, outcome=outcome,
                      consultant_id=team.consultants[0].id)
        before = {c.phone: (c.name, c.gender, c.case_number)
                  for c in session.exec(select(Customer)).all()}
    db.close()
    for kind in ("deals", "no-deals"):
        assert cli.main(["--lang", "zh", "--db", str(db_address), "export", "--date",
                         today().isoformat(), "--list", kind, "--full-phone", "--format",
                         "xlsx", "-o", str(tmp_path / f"{kind}.xlsx")]) == 0
    fresh = tmp_path / "fresh.db"
    database = open_database(fresh)
    with database.write() as session:
        from reception import auth
        from reception import staff as staff_service

        manager = auth.first_run_setup(session, clinic_name="新", manager_name="经理",
                                       pin="123456")
        staff_service.add_staff(session, name="张咨询", role="consultant", pin="1234",
                                by=manager.id)
    database.close()
    capsys.readouterr()
    for kind in ("deals", "no-deals"):
        code, out, _err = run_import(capsys, fresh, tmp_path / f"{kind}.xlsx")
        assert code == 0, out
    after = {phone: (c.name, c.gender, c.case_number) for phone, c in customers(fresh).items()}
    assert after == before


def test_imported_customers_come_back_as_returning(capsys, store, tmp_path):
    run_import(capsys, store, write_csv(tmp_path / "c.csv", GOOD[:1]))
    database = open_database(store)
    try:
        with database.write() as session:
            visit, customer, created = triage.triage_new_customer(
                session, name="王小红", phone="13800138000", by=None)
        assert not created and not visit.is_new
        with database.read() as session:
            assert session.get(Visit, visit.id).is_new is False
    finally:
        database.close()


@pytest.mark.big_store
def test_a_big_sheet_is_imported_whole(capsys, store, tmp_path):
    # Its time (50,000 rows in under a minute) is measured by tests/bench/import_speed.py.
    file = write_csv(tmp_path / "big.csv", many_customers(5_000))
    code, out, _err = run_import(capsys, store, file)
    assert code == 0 and "imported 5000 customers" in out
    assert len(customers(store)) == 5_000


def test_a_file_that_is_not_a_sheet_is_one_line(capsys, store, tmp_path):
    fake = tmp_path / "renamed.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    code, out, err = run_import(capsys, store, fake)
    assert (code, out) == (2, "")
    assert err == f"error: not a readable .xlsx or .csv sheet: {fake}\n"
