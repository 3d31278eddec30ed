"""Four processes closing deals at the same moment never share a case number.

A module of its own named ``*_race.py``: the waiting lane runs it (``tests/helpers/lanes.py``),
one thing at a time, so its processes never add to an app in a terminal.
"""

from sqlmodel import select

from models import CaseNumberDay, Customer
from reception.db import open_database
from tests.helpers.launcher import AT_THE_LINE, race
from tests.helpers.moment import child_env, today
from tests.unit.triage.test_triage import new_customer

CLOSE_DEALS = """
import sys
from reception import triage
from reception.db import open_database
database = open_database(sys.argv[2], migrate=False)
""" + AT_THE_LINE + """
for visit_id in sys.argv[4:]:
    with database.write() as session:
        triage.record_outcome(session, int(visit_id), outcome="deal", items="项目",
                              by=int(sys.argv[3]))
database.close()
print(len(sys.argv[4:]))
"""


def test_four_processes_racing_never_share_a_case_number(db, db_address, team, tmp_path):
    visit_ids = []
    for number in range(60):
        visit, _, _ = new_customer(db, team, name=f"顾客{number}", phone=f"139{number:08d}")
        visit_ids.append(str(visit.id))
    env = child_env()
    workers = race(CLOSE_DEALS, [[db_address, str(team.receptionist.id), *visit_ids[part::4]]
                                 for part in range(4)], tmp_path / "go", env=env)
    for worker in workers:
        assert worker.wait(60) == 0, worker.errors()
    assert sum(int(worker.lines()[-1]) for worker in workers) == 60
    check = open_database(db_address)
    with check.read() as session:
        numbers = session.exec(select(Customer.case_number)).all()
        assert session.get(CaseNumberDay, today()).last_seq == 60
    check.close()
    assert len(set(numbers)) == 60
    assert sorted(int(n[8:]) for n in numbers) == list(range(1, 61))
