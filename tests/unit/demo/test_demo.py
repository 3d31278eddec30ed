"""``reception demo``: every table filled, deterministic, consistent, refuses a used file."""

import json
import shutil
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select, text

from models import (
    Appointment,
    Call,
    Callback,
    CallbackRule,
    CaseNumberDay,
    Customer,
    DayEvent,
    KeyEvent,
    Message,
    RoomKey,
    RotaEntry,
    Staff,
    Visit,
)
from models import stay as models_stay
from reception import auth, days, keys, phones, reconcile, stay_schedule, stays
from reception import customers as customers_domain
from reception.callbacks import BUILTIN_RULE_NAME
from reception.case_numbers import case_number
from reception.clock import clock
from reception.db import open_database
from reception.demo import DemoError, fill
from reception.demo_data import apportion
from tests.helpers import launcher
from tests.helpers.moment import child_env

EMPTY_TABLES = {"branch_role", "draft", "alembic_version"}


def demo_month(database) -> None:
    fill(database, seed=7, days=30, customers=None, visits=None)


@pytest.fixture
def demo_db(built_store):
    """The demo's month, written once per store kind and copied for each test."""
    return built_store(demo_month)


def table_counts(database) -> dict[str, int]:
    # As the branch reads them (on a server, row-level security hides the others').
    with database.read() as session:
        connection = session.connection()
        names = [name for name in inspect(connection).get_table_names()
                 if not name.startswith(("sqlite_", "customer_search"))]
        return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
                for name in names}


def test_every_table_is_filled(demo_db):
    counts = table_counts(demo_db)
    empty = {name for name, count in counts.items() if count == 0}
    assert empty <= EMPTY_TABLES, empty
    assert counts["customer"] == 300
    assert counts["visit"] == 750


def test_staff_of_every_role_sign_in_with_1234_the_manager_with_123456(demo_db):
    with demo_db.read() as session:
        staff = session.execute(select(Staff)).scalars().all()
        assert len(staff) == 12
        roles = [member.role for member in staff]
        for role, count in [("manager", 1), ("receptionist", 2), ("doctor", 2),
                            ("beautician", 2), ("cashier", 1)]:
            assert roles.count(role) == count
        assert 3 <= roles.count("consultant") <= 4
        # A salt (so a hash) of each one's own; the PIN is 1234, a manager's 123456.
        assert len({member.pin_hash for member in staff}) == len(staff)
        assert len({member.pin_hash.split("$")[4] for member in staff}) == len(staff)
        for member in staff:
            pin = "123456" if member.role == "manager" else "1234"
            assert auth.verify_pin(pin, member.pin_hash), member.name
        clinic = session.execute(text("SELECT value FROM setting WHERE key = 'clinic_name'"))
        assert json.loads(clinic.scalar())


def test_the_published_demo_pins_are_hashed_cheaply_and_at_the_clinics_cost_once_used(
        demo_db, monkeypatch):
    """The README prints the demo's PINs: a costly hash would guard nothing there, and cost
    1.5 s of every demo. The first sign-in hashes a PIN again at the clinic's cost."""
    cheap = auth.PUBLISHED_PIN_COST
    assert cheap.n * cheap.r < auth.PRODUCTION_COST.n * auth.PRODUCTION_COST.r
    with demo_db.read() as session:
        staff = session.execute(select(Staff)).scalars().all()
    for member in staff:
        assert member.pin_hash.split("$")[1:4] == [str(cheap.n), str(cheap.r), str(cheap.p)]
    monkeypatch.setattr(auth, "hash_cost", auth.PRODUCTION_COST)
    member = next(member for member in staff if member.role == "receptionist")
    auth.sign_in_with_pin(demo_db, staff_id=member.id, pin="1234", terminal="tty1")
    with demo_db.read() as session:
        stored = session.get(Staff, member.id).pin_hash
    assert stored.startswith("scrypt$32768$10$1$") and auth.verify_pin("1234", stored)


def test_customers_have_chinese_names_valid_unique_phones_and_initials(demo_db):
    from pypinyin import Style, lazy_pinyin  # 0.6 s to load: only in the test that uses it
    with demo_db.read() as session:
        customers = session.execute(select(Customer)).scalars().all()
    assert len({c.phone for c in customers}) == len(customers)
    for customer in customers:
        assert 2 <= len(customer.name) <= 4
        assert all("\u4e00" <= char <= "\u9fff" for char in customer.name)
        assert phones.normalise(customer.phone) == customer.phone
        assert len(customer.phone) == 11 and customer.phone[:2] in ("13", "15", "18")
        expected = "".join(lazy_pinyin(customer.name, style=Style.FIRST_LETTER)).lower()
        assert customer.name_initials == expected
        # The codes the forms and the register book know (they show 女/男, not a key).
        assert customer.gender in customers_domain.GENDERS


def test_case_numbers_unique_and_gapless_per_day(demo_db):
    with demo_db.read() as session:
        numbered = session.execute(
            select(Customer.case_number, Customer.first_visit_day)
            .where(Customer.case_number.is_not(None))).all()
        last_seq = dict(session.execute(select(CaseNumberDay.day, CaseNumberDay.last_seq)).all())
        first_deals = session.execute(
            select(Visit.day, func.count()).where(Visit.is_new, Visit.outcome == "deal")
            .group_by(Visit.day)).all()
    assert numbered
    by_day = defaultdict(list)
    for number, day in numbered:
        assert number[:8] == f"{day:%Y%m%d}"
        by_day[day].append(int(number[8:]))
    assert len({number for number, _ in numbered}) == len(numbered)
    for day, seqs in by_day.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), day
        assert last_seq[day] == len(seqs)
    assert dict(first_deals) == {day: len(seqs) for day, seqs in by_day.items()}


def test_case_numbers_are_issued_in_order_of_departure(demo_db):
    with demo_db.read() as session:
        rows = session.execute(
            select(Visit.day, Visit.departed_at, Customer.case_number)
            .join(Customer, Customer.id == Visit.customer_id)
            .where(Visit.is_new, Visit.outcome == "deal")
            .order_by(Visit.day, Visit.departed_at)).all()
    by_day = defaultdict(list)
    for day, _departed, number in rows:
        by_day[day].append(number)
    for numbers in by_day.values():
        assert numbers == sorted(numbers)


def test_past_days_complete_today_in_progress(demo_db):
    today = clock.today()
    with demo_db.read() as session:
        past_open = session.execute(select(func.count()).select_from(Visit).where(
            Visit.day < today,
            (Visit.status != "left") | Visit.outcome.is_(None) | Visit.departed_at.is_(None),
        )).scalar()
        statuses = set(session.execute(
            select(Visit.status).where(Visit.day == today)).scalars())
        paths = set(session.execute(select(Visit.path)).scalars())
        history_days = set(session.execute(select(Visit.day).distinct()).scalars())
        rota_days = set(session.execute(select(RotaEntry.day).distinct()).scalars())
        out = keys.keys_out(session)
        unrelayed_today = session.execute(select(func.count()).select_from(Message).where(
            Message.day == today, Message.relayed_at.is_(None))).scalar()
        unrelayed_before = session.execute(select(func.count()).select_from(Message).where(
            Message.day < today, Message.relayed_at.is_(None))).scalar()
        appointments = set(session.execute(
            select(Appointment.day, Appointment.status)).all())
        calls = session.execute(select(Call.path).limit(50)).scalars().all()
    assert past_open == 0
    assert {"waiting", "with_consultant", "in_treatment"} <= statuses
    assert paths == {"A", "B", "C1", "C2"}
    assert history_days == {today - timedelta(days=back) for back in range(30)}
    assert rota_days == history_days | {today + timedelta(days=1)}
    assert len(out) == 1 and out[0].key.name == "档案室"
    assert unrelayed_today >= 2 and unrelayed_before == 0
    assert (today, "booked") in appointments
    assert (today + timedelta(days=1), "booked") in appointments
    assert any(status == "arrived" for _day, status in appointments)
    assert all(isinstance(json.loads(path), list) and json.loads(path) for path in calls)


def test_keys_loans_never_overlap_and_rules_are_set(demo_db):
    with demo_db.read() as session:
        keys_by_name = {key.name: key for key in session.execute(select(RoomKey)).scalars()}
        events = session.execute(select(KeyEvent).order_by(KeyEvent.key_id, KeyEvent.at))
        events = events.scalars().all()
    archive, vip = keys_by_name["档案室"], keys_by_name["VIP室"]
    assert archive.roles_allowed == "consultant,cashier" and archive.limit_minutes == 30
    assert vip.needs_manager_approval
    open_loan: dict[int, int | None] = defaultdict(lambda: None)
    for event in events:
        if event.kind == "out":
            assert open_loan[event.key_id] is None, "two loans of one key at once"
            open_loan[event.key_id] = event.id
            if event.key_id == vip.id:
                assert event.approved_by_id is not None
        else:
            assert event.loan_id == open_loan[event.key_id]
            open_loan[event.key_id] = None


def test_callbacks_for_past_first_visits(demo_db):
    today = clock.today()
    with demo_db.read() as session:
        # The built-in rule, and beside it the stays' due-date schedule (one rule a call).
        rules = session.execute(select(CallbackRule)).scalars().all()
        [rule] = [rule for rule in rules if not rule.name.startswith("stays:")]
        assert {r.name for r in rules} - {rule.name} == {
            "stays:" + topic for topic in stay_schedule.TOPICS}
        new_before_today = session.execute(select(func.count()).select_from(Customer).where(
            Customer.first_visit_day < today)).scalar()
        callbacks = session.execute(select(Callback).where(
            Callback.rule_id == rule.id)).scalars().all()
        surveys = session.execute(text("SELECT count(*) FROM callback_survey")).scalar()
    # The callbacks module's built-in rule, so generating the list adds no second callback.
    assert (rule.name, rule.event, rule.days_after) == (BUILTIN_RULE_NAME, "first_visit", 1)
    assert len(callbacks) == new_before_today
    assert all(cb.due_day == cb.event_day + timedelta(days=1) for cb in callbacks)
    due_today = [cb for cb in callbacks if cb.due_day == today]
    assert due_today and all(cb.status == "open" for cb in due_today)
    assert {cb.status for cb in callbacks} >= {"open", "reached", "unreached"}
    assert surveys == sum(1 for cb in callbacks if cb.status == "reached")


def test_a_centre_of_contracts_in_every_state(demo_db):
    with demo_db.read() as session:
        desk = stays.desk(session)
        states = [line.status for line in desk.contracts]
        assert desk.arrivals == 1 and states.count("in_stay") == 2
        assert states.count("signed") == 5  # three waiting for the birth, two arriving
        assert {room.state for room in desk.rooms} >= {"free", "booked", "occupied"}
        assert desk.open_requests == 2 and desk.overdue == 0  # a meal change each
        left = [c for c in session.execute(select(models_stay.Contract)).scalars()
                if c.status == "checked_out"]
        assert len(left) == 1 and stays.held(session, left[0].id).deposit_held == 20_000


def test_old_days_signed_off(demo_db):
    today = clock.today()
    with demo_db.read() as session:
        signed = session.execute(select(DayEvent).where(DayEvent.kind == "signoff")).scalars().all()
        assert signed and all(event.day < today - timedelta(days=1) for event in signed)
        assert days.is_signed_off(session, signed[0].day)
        assert not days.is_signed_off(session, today)


def test_past_days_pass_the_night_check(demo_db):
    """Past days are complete: the night check finds nothing; today is still in progress."""
    today = clock.today()
    with demo_db.read() as session:
        for back in (1, 2, 10, 29):
            report = reconcile.day_report(session, today - timedelta(days=back))
            assert report.findings == [], (back, report.findings[:3])
        signed = session.execute(select(DayEvent)).scalars().all()
        for event in signed:
            snapshot = json.loads(event.snapshot)
            assert snapshot["findings"] == [] and snapshot["counts"]["visits"] > 0
            assert reconcile.paper_counts(session, event.day)["visits"] == (
                snapshot["counts"]["visits"])
        today_kinds = {finding.kind for finding in reconcile.day_report(session, today).findings}
    assert {"visit_incomplete", "message_not_relayed", "key_out"} <= today_kinds


def snapshot(database):
    with database.read() as session:
        customers = session.execute(select(
            Customer.id, Customer.name, Customer.phone, Customer.case_number,
            Customer.first_visit_day).order_by(Customer.id)).all()
        visits = session.execute(select(
            Visit.id, Visit.customer_id, Visit.path, Visit.status, Visit.outcome,
            Visit.arrived_at).order_by(Visit.id)).all()
    return customers, visits


def test_same_seed_same_data(tmp_path, migrated_store):
    first, second, third = (open_database(shutil.copy(migrated_store, tmp_path / name))
                            for name in ("a.db", "b.db", "c.db"))
    try:
        fill(first, seed=3, days=10, customers=80, visits=200)
        fill(second, seed=3, days=10, customers=80, visits=200)
        fill(third, seed=4, days=10, customers=80, visits=200)
        assert snapshot(first) == snapshot(second)
        assert snapshot(first)[0] != snapshot(third)[0]
    finally:
        for database in (first, second, third):
            database.close()


def test_refuses_a_database_with_data(demo_db):
    with pytest.raises(DemoError) as refused:
        fill(demo_db, seed=7, days=30, customers=None, visits=None)
    assert "empty" in str(refused.value)
    assert table_counts(demo_db)["customer"] == 300


def test_the_desk_writes_on_after_the_demo(demo_db):
    # The demo gives its rows their ids; a server's sequences go on after them.
    with demo_db.read() as session:
        highest = session.execute(select(func.max(Customer.id))).scalar()
        staff_id = session.execute(select(func.min(Staff.id))).scalar()
    with demo_db.write() as session:
        customer, created = customers_domain.register(session, name="付芳彤",
                                                      phone="13900001111", by=staff_id)
    assert created and customer.id == highest + 1
    with demo_db.read() as session:
        assert [f.id for f in customers_domain.search(session, "13900001111")] == [customer.id]


def test_refuses_a_set_up_clinic(db, team):
    with pytest.raises(DemoError):
        fill(db, seed=1, days=5, customers=10, visits=20)
    assert table_counts(db)["customer"] == 0


def test_refuses_bad_numbers(db):
    with pytest.raises(DemoError):
        fill(db, seed=1, days=0, customers=None, visits=None)
    with pytest.raises(DemoError):
        fill(db, seed=1, days=5, customers=0, visits=None)


def test_apportion_and_case_number_format():
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(apportion(1_000_000, [1.0] * 3334)) == 1_000_000
    assert apportion(5, [0, 0]) == [0, 0]
    assert case_number(clock.today(), 1) == "2026112201"
    assert case_number(clock.today(), 100) == "20261122100"


def run_cli(*args, db_path):
    # A server's address (with its password) is passed as it is: the CLI runs as a program.
    env = child_env(LANG="en_US.UTF-8")
    env.pop("LC_ALL", None)
    return launcher.cli("demo", "--db", str(db_path), *args, env=env, timeout=240)


@pytest.mark.big_store
def test_big_run_through_the_cli(db_address, store_kind):
    path = db_address
    # Past the default month's size, and past the days asked for: 3,000 visits at about
    # 300 a day are 10 days of history, not 7.
    done = run_cli("--customers", "1000", "--visits", "3000", "--days", "7", "--seed", "5",
                   db_path=path)
    assert done.returncode == 0, done.stderr
    assert "Demo data written" in done.stderr
    database = open_database(path)
    try:
        counts = table_counts(database)
        assert counts["customer"] == 1000 and counts["visit"] == 3000
        with database.read() as session:
            history = session.execute(select(func.min(Visit.day), func.max(Visit.day))).one()
            busiest = session.execute(select(func.count()).select_from(Visit).group_by(
                Visit.day).order_by(func.count().desc()).limit(1)).scalar()
            duplicates = session.execute(text(
                "SELECT count(*) FROM (SELECT case_number FROM customer WHERE case_number "
                "IS NOT NULL GROUP BY case_number HAVING count(*) > 1) AS twice")).scalar()
            unvisited = session.execute(text(
                "SELECT count(*) FROM customer c WHERE c.last_visit_at IS NULL AND EXISTS "
                "(SELECT 1 FROM visit v WHERE v.customer_id = c.id)")).scalar()
            latest = session.execute(text(
                "SELECT count(*) FROM customer c WHERE c.last_visit_at <> (SELECT "
                "max(v.arrived_at) FROM visit v WHERE v.customer_id = c.id)")).scalar()
        assert (history[1] - history[0]).days + 1 == 10
        assert busiest < 600
        assert duplicates == 0
        # The search's upkeep, paused while the demo was written, caught up once at the end.
        assert unvisited == 0 and latest == 0
        with database.write() as session:
            # Rows the store numbers come after the ids the demo gave (a server's sequences).
            customer, created = customers_domain.register(session, name="新来",
                                                          phone="19912345678", by=1)
            assert created and customer.id == 1001
        if store_kind == "sqlite":
            with database.engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                found = connection.execute(text(
                    "SELECT count(*) FROM customer_search WHERE customer_search MATCH :q"),
                    {"q": '"138"'}).scalar()
                assert found > 0
    finally:
        database.close()
    again = run_cli(db_path=path)
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "empty" in again.stderr
