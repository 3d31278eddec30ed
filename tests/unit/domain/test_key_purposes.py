"""A key's built-in purpose is stored as a code and shown in the reader's language."""

from sqlalchemy import text

from models import KeyEvent
from reception import customers, keys
from reception.i18n import set_language
from reception.key_purposes import Purpose, code_of


def _setup(db, team):
    with db.write() as session:
        made = {key.name: key.id for key in keys.ensure_default_keys(session, by=team.manager.id)}
        customer, _ = customers.register(session, name="王小红", phone="13800001111",
                                         by=team.receptionist.id)
    return made, customer


def test_code_of_recognises_a_built_in_purpose_in_either_language():
    assert code_of("王小红 的病例", "王小红") == Purpose.CASE_FILE
    assert code_of("Case file of 王小红", "王小红") == Purpose.CASE_FILE
    assert code_of("  VIP 客户接待 ") == Purpose.VIP_GUEST
    assert code_of("Filing") == Purpose.FILING
    assert code_of("对账") == "" and code_of("王小红 的病例", "李四") == ""


def test_a_case_file_lent_in_chinese_reads_in_english(db, team):
    made, customer = _setup(db, team)
    set_language("zh")
    with db.write() as session:
        loan = keys.lend(session, key_id=made[keys.ARCHIVE_NAME],
                         staff_id=team.consultants[0].id, by=team.receptionist.id,
                         purpose="王小红 的病例", customer_id=customer.id)
    with db.read() as session:
        stored = session.get(KeyEvent, loan.id)
        assert (stored.purpose_code, stored.purpose) == ("case_file", "")
        (out,) = keys.keys_out(session)
        assert out.purpose == "王小红 的病例"
        set_language("en")
        (out,) = keys.keys_out(session)
        assert out.purpose == "Case file of 王小红"
        (line,) = keys.history(session)
        assert line.purpose == "Case file of 王小红"


def test_free_text_stays_text_and_a_code_can_be_given(db, team):
    made, _ = _setup(db, team)
    with db.write() as session:
        free = keys.lend(session, key_id=made[keys.ARCHIVE_NAME], staff_id=team.cashier.id,
                         by=team.receptionist.id, purpose="对账")
        vip = keys.lend(session, key_id=made[keys.VIP_NAME], staff_id=team.doctor.id,
                        by=team.manager.id, purpose_code="vip_guest")
    with db.read() as session:
        assert (session.get(KeyEvent, free.id).purpose_code, free.purpose) == ("", "对账")
        shown = {out.loan.id: out.purpose for out in keys.keys_out(session)}
    assert shown == {free.id: "对账", vip.id: "VIP guest"}


def test_a_loan_written_before_codes_keeps_its_text(db, db_address, team):
    made, _ = _setup(db, team)
    # Written as an older program did: no purpose code, only its text.
    with db.write() as session:
        session.execute(text(
            "INSERT INTO key_event (key_id, kind, day, at, staff_id, purpose, note, created_at) "
            "VALUES (:key, 'out', '2026-11-22', '2026-11-22 01:00:00.000000', :staff, "
            "'王小红 的病例', '', '2026-11-22 01:00:00.000000')"),
            {"key": made[keys.ARCHIVE_NAME], "staff": team.consultants[0].id})
    db.close()
    from reception.db import open_database

    database = open_database(db_address)
    try:
        with database.read() as session:
            (out,) = keys.keys_out(session)
    finally:
        database.close()
    assert out.purpose == "王小红 的病例"
