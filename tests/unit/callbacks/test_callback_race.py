"""Two processes generating the day's callbacks at once never make one twice.

A module of its own named ``*_race.py``: the waiting lane runs it (``tests/helpers/lanes.py``).
"""

from models import Callback, CallbackRule
from tests.helpers.launcher import AT_THE_LINE, race
from tests.helpers.moment import child_env
from tests.unit.callbacks.test_callbacks import add_customer, count

GENERATOR = """
import sys
from reception.db import open_database
from reception import callbacks
database = open_database(sys.argv[2])
""" + AT_THE_LINE + """
made = 0
for _ in range(5):
    with database.write() as session:
        made += callbacks.generate(session, by=None)
print(made)
"""


def test_two_processes_generating_at_once_never_duplicate(db, db_address, tmp_path, team):
    for number in range(30):
        add_customer(db, f"客人{number}", f"138000{number:05d}", first_visit_offset=-1)
    env = child_env()
    workers = race(GENERATOR, [[db_address]] * 2, tmp_path / "go", env=env)
    codes = [worker.wait(timeout=60) for worker in workers]
    outputs = [(worker.output(), worker.errors()) for worker in workers]
    assert codes == [0, 0], outputs
    made = [int(out.splitlines()[-1]) for out, _err in outputs]
    assert sum(made) == 30
    assert count(db, Callback) == 30
    assert count(db, CallbackRule) == 1
