"""The key log in the domain: every refusal, lending and returning, corrections, history."""

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SQLDatabaseError
from sqlmodel import select

from models import CaseFileRequest, KeyEvent, KeyEventKind, RoomKey, VisitPath
from reception import customers, keys, settings
from reception import staff as staff_service
from reception.clock import clock
from reception.errors import DayClosedError, ValidationError
from reception.i18n import set_language
from tests.conftest import MANAGER_PIN, at, today


@pytest.fixture
def key_ids(db, team):
    with db.write() as session:
        made = keys.ensure_default_keys(session, by=team.manager.id)
    return {key.name: key.id for key in made}


@pytest.fixture
def customer(db, team):
    with db.write() as session:
        found, _ = customers.register(session, name="王小红", phone="13800001111",
                                      by=team.receptionist.id)
    return found


def lend(db, team, key_id, staff, **extra):
    extra.setdefault("purpose", "王小红的病例")
    with db.write() as session:
        return keys.lend(session, key_id=key_id, staff_id=staff.id, by=team.receptionist.id,
                         **extra)


def refusal(db, team, key_id, staff, **extra) -> keys.KeyLogError:
    with pytest.raises(keys.KeyLogError) as raised:
        lend(db, team, key_id, staff, **extra)
    return raised.value


# --- keys and defaults ---------------------------------------------------------------


def test_defaults_are_made_once(db, team, key_ids):
    with db.write() as session:
        assert keys.ensure_default_keys(session, by=team.manager.id) == []
    with db.read() as session:
        made = keys.list_keys(session)
        assert [k.name for k in made] == [keys.ARCHIVE_NAME, keys.VIP_NAME]
        archive, vip = made
        assert keys.roles_of(archive) == ["consultant", "cashier"]
        assert archive.limit_minutes == 30 and not archive.needs_manager_approval
        assert vip.needs_manager_approval
        assert keys.archive_key(session).id == archive.id
        assert archive.created_by_id == team.manager.id


def test_manager_adds_and_edits_a_key_others_may_not(db, team, key_ids):
    with db.write() as session:
        added = keys.add_key(session, name="药房", roles=["doctor", "beautician"],
                             limit_minutes=15, by=team.manager.id)
    with db.write() as session:
        keys.update_key(session, added.id, roles=["doctor"], limit_minutes=45, active=False,
                        by=team.manager.id)
    with db.read() as session:
        stored = session.get(RoomKey, added.id)
        assert (stored.roles_allowed, stored.limit_minutes, stored.active) == ("doctor", 45,
                                                                              False)
    with db.write() as session, pytest.raises(keys.KeyLogError):
        keys.add_key(session, name="x", roles=["doctor"], by=team.receptionist.id)
    with db.write() as session, pytest.raises(ValidationError):
        keys.add_key(session, name=keys.ARCHIVE_NAME, roles=["doctor"], by=team.manager.id)
    with db.write() as session, pytest.raises(ValidationError):
        keys.add_key(session, name="y", roles=[], by=team.manager.id)
    with db.write() as session, pytest.raises(ValidationError):
        keys.add_key(session, name="y", roles=["doctor"], limit_minutes=0, by=team.manager.id)


# --- lending: every refusal ----------------------------------------------------------


def test_lend_archive_key_to_a_consultant_and_return_it(db, team, key_ids, customer):
    loan = lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0],
                customer_id=customer.id)
    assert loan.kind == KeyEventKind.OUT and loan.day == today()
    assert loan.created_by_id == team.receptionist.id
    assert loan.at == at("2026-11-22 10:00").datetime
    with db.read() as session:
        (out,) = keys.keys_out(session)
        assert out.holder.id == team.consultants[0].id
    clock.advance(minutes=12)
    with db.write() as session:
        back = keys.return_key(session, key_id=key_ids[keys.ARCHIVE_NAME],
                               by=team.receptionist.id)
    assert back.loan_id == loan.id and back.staff_id == team.consultants[0].id
    with db.read() as session:
        assert keys.keys_out(session) == []
        assert keys.open_loan(session, key_ids[keys.ARCHIVE_NAME]) is None


def test_cashier_may_take_the_archive_key(db, team, key_ids):
    assert lend(db, team, key_ids[keys.ARCHIVE_NAME], team.cashier).staff_id == team.cashier.id


@pytest.mark.parametrize("who", ["receptionist", "doctor", "beautician", "manager"])
def test_refused_for_a_role_not_allowed(db, team, key_ids, who):
    person = getattr(team, who)
    problem = refusal(db, team, key_ids[keys.ARCHIVE_NAME], person)
    assert problem.message_key == "keys.role_not_allowed"
    assert person.name in str(problem) and "Consultant, Cashier" in str(problem)


def test_refused_for_inactive_staff(db, team, key_ids):
    with db.write() as session:
        staff_service.update_staff(session, team.consultants[1].id, active=False,
                                   by=team.manager.id)
    problem = refusal(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[1])
    assert problem.message_key == "keys.staff_inactive"
    assert team.consultants[1].name in str(problem)


def test_refused_when_already_out_saying_who_since_when(db, team, key_ids):
    lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0])
    clock.advance(minutes=5)
    problem = refusal(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[1])
    assert problem.message_key == "keys.already_out"
    assert str(problem) == f"The {keys.ARCHIVE_NAME} key is already out: " \
                           f"{team.consultants[0].name} has had it since 10:00"
    set_language("zh")
    assert "张咨询 自 10:00 起持有" in str(problem)


def test_refused_for_a_deactivated_key(db, team, key_ids):
    with db.write() as session:
        keys.update_key(session, key_ids[keys.ARCHIVE_NAME], active=False, by=team.manager.id)
    assert refusal(db, team, key_ids[keys.ARCHIVE_NAME],
                   team.consultants[0]).message_key == "keys.key_inactive"


def test_refused_without_saying_what_for(db, team, key_ids):
    with pytest.raises(ValidationError) as raised:
        lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0], purpose="  ")
    assert raised.value.field == "purpose"


def test_vip_key_needs_a_managers_approval(db, team, key_ids):
    vip = key_ids[keys.VIP_NAME]
    assert refusal(db, team, vip, team.beautician).message_key == "keys.needs_approval"
    # Another staff member named as the approver is refused.
    assert refusal(db, team, vip, team.beautician,
                   approved_by_id=team.cashier.id).message_key == "keys.approver_not_manager"
    # The manager is not at this counter: their PIN proves the approval.
    assert refusal(db, team, vip, team.beautician, approved_by_id=team.manager.id,
                   approval_pin="9999").message_key == "keys.approval_pin_wrong"
    loan = lend(db, team, vip, team.beautician, approved_by_id=team.manager.id,
                approval_pin=MANAGER_PIN)
    assert loan.approved_by_id == team.manager.id


def test_manager_at_the_counter_approves_by_lending(db, team, key_ids):
    with db.write() as session:
        loan = keys.lend(session, key_id=key_ids[keys.VIP_NAME], staff_id=team.doctor.id,
                         by=team.manager.id, purpose="VIP 顾客面诊")
    assert loan.approved_by_id == team.manager.id and loan.created_by_id == team.manager.id


def test_lend_on_a_signed_off_day_is_refused(db, team, key_ids):
    from models import DayEvent

    with db.write() as session:
        session.add(DayEvent(day=today(), kind="signoff",
                             created_at=clock.now_utc(),
                             created_by_id=team.manager.id))
    with pytest.raises(DayClosedError):
        lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0])


def test_correction_of_an_entry_on_a_signed_off_day_is_refused(db, team, key_ids):
    from models import DayEvent

    clock.set(at("2026-11-21 15:00"))
    loan = lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0])
    with db.write() as session:
        session.add(DayEvent(day=loan.day, kind="signoff",
                             created_at=clock.now_utc(),
                             created_by_id=team.manager.id))
    clock.set(at("2026-11-22 10:00"))
    with db.write() as session, pytest.raises(DayClosedError):
        keys.correct(session, event_id=loan.id, note="x", by=team.receptionist.id)
    # The key itself can still come back today.
    with db.write() as session:
        keys.return_key(session, key_id=key_ids[keys.ARCHIVE_NAME], by=team.receptionist.id)


def test_return_of_a_key_not_out_is_refused(db, team, key_ids):
    with db.write() as session, pytest.raises(keys.KeyLogError) as raised:
        keys.return_key(session, key_id=key_ids[keys.ARCHIVE_NAME], by=team.receptionist.id)
    assert raised.value.message_key == "keys.not_out"


def test_customer_link_finds_todays_visit(db, team, key_ids, customer):
    from models import Visit

    with db.write() as session:
        visit = Visit(day=today(), customer_id=customer.id, is_new=False,
                      path=VisitPath.TREATMENT, status_since=clock.now_utc(),
                      arrived_at=clock.now_utc(), created_at=clock.now_utc())
        session.add(visit)
        session.flush()
        visit_id = visit.id
    loan = lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0], purpose="",
                customer_id=customer.id)
    assert (loan.customer_id, loan.visit_id) == (customer.id, visit_id)


# --- overdue and closing time --------------------------------------------------------


def test_overdue_after_the_limit(db, team, key_ids):
    lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0])
    clock.advance(minutes=30)
    with db.read() as session:
        assert keys.overdue(session) == []
    clock.advance(minutes=1)
    with db.read() as session:
        assert keys.overdue(session) == [keys.ARCHIVE_NAME]


def test_key_still_out_at_closing_time_is_flagged_and_a_night_finding(db, team, key_ids):
    with db.write() as session:
        keys.set_closing_time(session, "20:30", by=team.manager.id)
        keys.update_key(session, key_ids[keys.ARCHIVE_NAME], limit_minutes=600,
                        by=team.manager.id)
    with db.read() as session:
        assert settings.get(session, "closing_time") == "20:30"
    clock.set(at("2026-11-22 20:00"))
    loan = lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0])
    with db.read() as session:
        assert keys.overdue(session) == []
    clock.set(at("2026-11-22 20:31"))
    with db.read() as session:
        assert keys.overdue(session) == [keys.ARCHIVE_NAME]
        (finding,) = keys.out_at_closing(session, today())
        assert finding.loan.id == loan.id and finding.returned_at is None
    clock.set(at("2026-11-22 20:45"))
    with db.write() as session:
        keys.return_key(session, key_id=key_ids[keys.ARCHIVE_NAME], by=team.receptionist.id)
    with db.read() as session:
        (finding,) = keys.out_at_closing(session, today())
        assert finding.returned_at == at("2026-11-22 20:45").datetime
        assert keys.out_at_closing(session, today() - timedelta(days=1)) == []
    with db.write() as session, pytest.raises(ValidationError):
        keys.set_closing_time(session, "25:00", by=team.manager.id)


def test_one_state_and_label_per_loan(db, team, key_ids):
    """Out, overdue (past its own limit) or not back after closing: one word and one
    label, the same for F4, the dashboard and the status line."""
    archive = key_ids[keys.ARCHIVE_NAME]
    clock.set(at("2026-11-22 20:50"))
    lend(db, team, archive, team.consultants[0])

    def state():
        with db.read() as session:
            (out,) = keys.keys_out(session)
            return out.flag(), keys.loan_label(out), keys.status_alert(session)

    clock.set(at("2026-11-22 20:55"))
    assert state() == (keys.LoanFlag.OUT, "out 5m", "")
    clock.set(at("2026-11-22 21:01"))
    assert state() == (keys.LoanFlag.AFTER_CLOSING, "past closing 11m",
                       "Keys not back: 档案室 past closing 11m")
    clock.set(at("2026-11-22 21:30"))
    # Past closing wins over overdue (it is what the night check reports).
    assert state()[:2] == (keys.LoanFlag.AFTER_CLOSING, "past closing 40m")
    set_language("zh")
    assert state() == (keys.LoanFlag.AFTER_CLOSING, "下班未还 40分钟",
                       "钥匙未还\uff1a档案室 下班未还 40分钟")


def test_a_loan_made_after_closing_is_flagged_only_past_its_limit(db, team, key_ids):
    archive, vip = key_ids[keys.ARCHIVE_NAME], key_ids[keys.VIP_NAME]
    clock.set(at("2026-11-22 23:41"))
    lend(db, team, archive, team.cashier)
    with db.read() as session:
        (out,) = keys.keys_out(session)
        assert (out.flag(), keys.loan_label(out)) == (keys.LoanFlag.OUT, "out 0m")
        assert keys.overdue(session) == [] and keys.status_alert(session) == ""
    clock.set(at("2026-11-22 23:53"))
    with db.read() as session:
        (out,) = keys.keys_out(session)
        assert (out.flag(), keys.loan_label(out)) == (keys.LoanFlag.OUT, "out 12m")
        assert keys.overdue(session) == []
    clock.set(at("2026-11-23 00:12"))
    lend(db, team, vip, team.manager, approved_by_id=team.manager.id, approval_pin=MANAGER_PIN)
    with db.read() as session:
        first, second = keys.keys_out(session)
        assert (first.flag(), keys.loan_label(first)) == (keys.LoanFlag.OVERDUE, "overdue 31m")
        assert keys.loan_label(second) == "out 0m"
        assert keys.overdue(session) == [keys.ARCHIVE_NAME]
        assert keys.status_alert(session) == "Keys not back: 档案室 overdue 31m"
    # Still out at the next closing time: now it is "not back after closing".
    clock.set(at("2026-11-23 21:01"))
    with db.read() as session:
        first, second = keys.keys_out(session)
        assert keys.loan_label(first) == "past closing 21h20m"
        assert keys.loan_label(second) == "past closing 20h49m"
        # Two keys: the status line counts them (a list would be cut at 80 columns).
        assert keys.status_alert(session) == "2 keys not back (see F4)"
        set_language("zh")
        assert keys.status_alert(session) == "2 把钥匙未还（见 F4）"


@pytest.mark.parametrize(("minutes", "en", "zh"), [
    (0, "0m", "0分钟"), (4, "4m", "4分钟"), (59, "59m", "59分钟"), (60, "1h0m", "1小时0分钟"),
    (257, "4h17m", "4小时17分钟"), (24 * 60 + 61, "1d1h", "1天1小时"), (-3, "0m", "0分钟"),
])
def test_durations_are_compact_and_unambiguous(minutes, en, zh):
    assert keys.format_duration(minutes) == en
    set_language("zh")
    assert keys.format_duration(minutes) == zh


# --- the log is append-only; corrections ---------------------------------------------


def test_log_entries_cannot_be_updated_or_deleted(db, team, key_ids):
    loan = lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0])
    with pytest.raises(SQLDatabaseError, match="append-only"), db.write() as session:
        session.execute(text("UPDATE key_event SET purpose = 'x' WHERE id = :id"),
                        {"id": loan.id})
    with pytest.raises(SQLDatabaseError, match="append-only"), db.write() as session:
        session.execute(text("DELETE FROM key_event WHERE id = :id"), {"id": loan.id})
    with db.read() as session:
        assert session.get(KeyEvent, loan.id).purpose == "王小红的病例"


def test_correcting_a_loan_voids_it_with_a_new_linked_entry(db, team, key_ids):
    loan = lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[0])
    with db.write() as session:
        fix = keys.correct(session, event_id=loan.id, note="登记错了人", by=team.receptionist.id)
    assert (fix.kind, fix.corrects_id, fix.loan_id) == (KeyEventKind.CORRECTION, loan.id, loan.id)
    with db.read() as session:
        assert keys.keys_out(session) == []
        assert session.get(KeyEvent, loan.id).purpose == "王小红的病例"  # untouched
        assert len(session.exec(select(KeyEvent)).all()) == 2
    # The key is free again, and the voided loan cannot be voided twice.
    lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[1])
    with db.write() as session, pytest.raises(keys.KeyLogError) as raised:
        keys.correct(session, event_id=loan.id, note="again", by=team.receptionist.id)
    assert raised.value.message_key == "keys.already_voided"


def test_correcting_a_return_puts_the_key_out_again(db, team, key_ids):
    archive = key_ids[keys.ARCHIVE_NAME]
    loan = lend(db, team, archive, team.consultants[0])
    with db.write() as session:
        back = keys.return_key(session, key_id=archive, by=team.receptionist.id)
    with db.write() as session:
        keys.correct(session, event_id=back.id, note="按错了,钥匙还没还", by=team.receptionist.id)
    with db.read() as session:
        assert keys.open_loan(session, archive).id == loan.id
    with db.write() as session, pytest.raises(keys.KeyLogError) as raised:
        keys.correct(session, event_id=back.id, note="x", by=team.receptionist.id)
    assert raised.value.message_key == "keys.already_corrected"


def test_correction_rules(db, team, key_ids):
    archive = key_ids[keys.ARCHIVE_NAME]
    lend(db, team, archive, team.consultants[0])
    with db.write() as session:
        back = keys.return_key(session, key_id=archive, by=team.receptionist.id)
    lend(db, team, archive, team.consultants[1])
    # The entry's own rules come first (the screen asks them before the reason is typed).
    with db.write() as session, pytest.raises(keys.KeyLogError) as raised:
        keys.correct(session, event_id=back.id, note=" ", by=team.receptionist.id)
    assert raised.value.message_key == "keys.lent_since"
    with db.write() as session:
        loan = keys.open_loan(session, archive)
    with db.write() as session, pytest.raises(ValidationError):
        keys.correct(session, event_id=loan.id, note=" ", by=team.receptionist.id)
    with db.write() as session:
        fix = keys.correct(session, event_id=loan.id, note="x", by=team.receptionist.id)
    with db.write() as session, pytest.raises(keys.KeyLogError) as raised:
        keys.correct(session, event_id=fix.id, note="x", by=team.receptionist.id)
    assert raised.value.message_key == "keys.cannot_correct_correction"


# --- case-file requests (triage path C2) ---------------------------------------------


def test_lending_the_archive_key_for_a_request_fulfils_it(db, team, key_ids, customer):
    with db.write() as session:
        request = keys.request_case_file(session, customer_id=customer.id,
                                         consultant_id=team.consultants[2].id,
                                         by=team.receptionist.id)
    with db.read() as session:
        (pending,) = keys.pending_requests(session)
        assert pending.customer.name == "王小红"
        assert pending.consultant.id == team.consultants[2].id
    assert refusal(db, team, key_ids[keys.VIP_NAME], team.consultants[2], request_id=request.id,
                   approved_by_id=team.manager.id, approval_pin=MANAGER_PIN
                   ).message_key == "keys.request_needs_archive"
    loan = lend(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[2], purpose="",
                request_id=request.id)
    assert loan.customer_id == customer.id
    with db.read() as session:
        stored = session.get(CaseFileRequest, request.id)
        assert stored.key_event_id == loan.id and stored.fulfilled_at == clock.now_utc()
        assert keys.pending_requests(session) == []
    with db.write() as session:
        keys.return_key(session, key_id=key_ids[keys.ARCHIVE_NAME], by=team.receptionist.id)
    assert refusal(db, team, key_ids[keys.ARCHIVE_NAME], team.consultants[2],
                   request_id=request.id).message_key == "keys.request_done"
    # Voiding the loan puts the request back on the list.
    with db.write() as session:
        keys.correct(session, event_id=loan.id, note="拿错了", by=team.receptionist.id)
    with db.read() as session:
        assert [p.request.id for p in keys.pending_requests(session)] == [request.id]


# --- history -------------------------------------------------------------------------


def test_history_per_key_per_staff_and_per_day(db, team, key_ids, customer):
    archive, vip = key_ids[keys.ARCHIVE_NAME], key_ids[keys.VIP_NAME]
    clock.set(at("2026-11-21 15:00"))
    lend(db, team, archive, team.consultants[0], customer_id=customer.id)
    with db.write() as session:
        keys.return_key(session, key_id=archive, by=team.receptionist.id)
    clock.set(at("2026-11-22 09:00"))
    lend(db, team, archive, team.cashier)
    lend(db, team, vip, team.doctor, approved_by_id=team.manager.id, approval_pin=MANAGER_PIN)
    with db.read() as session:
        everything = keys.history(session)
        assert [line.event.kind for line in everything] == ["out", "out", "back", "out"]
        first = everything[-1]
        assert first.state.status == "returned" and first.customer_name == "王小红"
        assert first.staff_name == team.consultants[0].name
        assert first.by_name == team.receptionist.name
        assert [line.key_name for line in keys.history(session, key_id=vip)] == [keys.VIP_NAME]
        assert keys.history(session, key_id=vip)[0].approver_name == team.manager.name
        assert len(keys.history(session, staff_id=team.consultants[0].id)) == 2
        assert len(keys.history(session, day=today())) == 2
        yesterday = keys.history(session, day=today() - timedelta(days=1))
        assert [line.event.kind for line in yesterday] == ["back", "out"]
        assert keys.history(session, staff_id=team.cashier.id, key_id=vip) == []
