"""``reception demo --db URL --branch CODE`` on a chain: each branch gets its own clinic and
days, on top of the chain's shared customers and the day's case numbers."""

from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from models import CaseNumberDay, Customer, Staff, Visit
from reception import cli, customers, reconcile
from reception.clock import clock
from reception.db import open_database


@pytest.fixture
def address(postgres_server, postgres_template):
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine")
    name = postgres_server.create_database(template=postgres_template)
    yield postgres_server.url(name)
    postgres_server.drop_database(name)


def run_cli(capsys, *args):
    code = cli.main(["--lang", "en", *[str(arg) for arg in args]])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_second_branch_gets_its_own_days_and_shares_the_customers(capsys, address):
    today = clock.today()
    assert run_cli(capsys, "demo", "--db", address, "--days", "8", "--customers", "60",
                   "--visits", "150")[0] == 0
    assert run_cli(capsys, "branch", "add", "east", "东店", "--db", address)[0] == 0
    # With two branches the demo must be told which one it fills.
    code, out, err = run_cli(capsys, "demo", "--db", address, "--days", "8")
    assert (code, out) == (2, "") and err.count("\n") == 1 and "east" in err
    code, _out, err = run_cli(capsys, "demo", "--db", address, "--branch", "east",
                              "--days", "8", "--customers", "40", "--visits", "120",
                              "--seed", "2")
    assert code == 0, err

    main = open_database(address, branch="main")
    east = open_database(address, branch="east")
    chain = open_database(address, branch="all")
    try:
        seen = {}
        for code, database in (("main", main), ("east", east)):
            with database.read() as session:
                staff = set(session.execute(select(Staff.id)).scalars())
                visits = session.execute(select(Visit.customer_id, Visit.day)).all()
                # Each branch its own staff, visits and today in progress.
                assert len(staff) == 12
                assert sum(1 for _customer, day in visits if day == today) > 0
                assert {finding.kind for finding in reconcile.day_report(
                    session, today).findings} >= {"visit_incomplete"}
                # Its past days are complete: the night check finds nothing.
                for back in (1, 3):
                    report = reconcile.day_report(session, today - timedelta(days=back))
                    assert report.findings == [], (code, back, report.findings[:3])
                # Every customer of the chain is in sight.
                assert session.execute(select(func.count(Customer.id))).scalar() == 100
            seen[code] = (staff, {customer for customer, _day in visits}, len(visits))
        assert not seen["main"][0] & seen["east"][0]
        assert (seen["main"][2], seen["east"][2]) == (150, 120)
        # East's returning visitors include customers first registered at main.
        assert any(customer <= 60 for customer in seen["east"][1])

        with chain.read() as session:
            phones = session.execute(select(Customer.phone)).scalars().all()
            numbered = session.execute(select(Customer.case_number).where(
                Customer.case_number.is_not(None))).scalars().all()
            last_seq = dict(session.execute(select(CaseNumberDay.day,
                                                   CaseNumberDay.last_seq)).all())
            by_branch = dict(session.execute(text(
                "SELECT b.code, count(*) FROM visit v JOIN branch b ON b.id = v.branch_id "
                "GROUP BY b.code")).all())
        assert by_branch == {"main": 150, "east": 120}
        assert len(phones) == len(set(phones)) == 100  # one customer per phone
        # The day's case numbers: unique and gapless across both branches.
        by_day = defaultdict(list)
        for number in numbered:
            by_day[number[:8]].append(int(number[8:]))
        assert len(set(numbered)) == len(numbered)
        for day, seqs in by_day.items():
            assert sorted(seqs) == list(range(1, len(seqs) + 1)), day
        assert {f"{day:%Y%m%d}": seq for day, seq in last_seq.items()} == {
            day: len(seqs) for day, seqs in by_day.items()}

        # The desk writes on after both demos: the next customer comes after every one.
        with east.read() as session:
            manager = session.execute(select(Staff.id).where(Staff.role == "manager")).scalar()
        with east.write() as session:
            customer, created = customers.register(session, name="新来", phone="19912345678",
                                                   by=manager)
        assert created and customer.id == 101
    finally:
        for database in (main, east, chain):
            database.close()
    # Each branch, once filled, is refused a second demo.
    for branch in ("main", "east"):
        code, out, err = run_cli(capsys, "demo", "--db", address, "--branch", branch)
        assert (code, out) == (2, "") and err.count("\n") == 1 and "empty" in err
