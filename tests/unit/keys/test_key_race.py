"""Two processes take the same key at the same moment: exactly one gets it."""

from sqlmodel import select

from models import KeyEvent, KeyEventKind
from reception import keys
from tests.helpers.launcher import AT_THE_LINE, race
from tests.helpers.moment import child_env

#: In a process of its own: open the store, wait for the start, lend; say who won.
TAKE_KEY = """
import sys
from reception import keys
from reception.db import open_database
key_id, staff_id, by = (int(value) for value in sys.argv[3:6])
database = open_database(sys.argv[2], migrate=False)
""" + AT_THE_LINE + """
try:
    with database.write() as session:
        keys.lend(session, key_id=key_id, staff_id=staff_id, by=by, purpose="病例")
    print("won", staff_id)
except keys.KeyLogError as refused:
    print(refused.message_key, staff_id)
finally:
    database.close()
"""


def test_two_processes_lend_the_same_key_exactly_one_wins(db, db_address, team, tmp_path):
    with db.write() as session:
        archive = keys.ensure_default_keys(session, by=team.manager.id)[0]
    rivals = [team.consultants[0], team.cashier]
    env = child_env()
    workers = race(TAKE_KEY, [[db_address, str(archive.id), str(person.id),
                               str(team.receptionist.id)] for person in rivals],
                   tmp_path / "go", env=env)
    for worker in workers:
        assert worker.wait(60) == 0, worker.errors()
    outcomes = sorted((outcome, int(staff_id)) for outcome, staff_id in
                      (worker.lines()[-1].split() for worker in workers))
    assert [outcome for outcome, _ in outcomes] == ["keys.already_out", "won"]
    winner = next(staff_id for outcome, staff_id in outcomes if outcome == "won")
    with db.read() as session:
        loans = session.exec(
            select(KeyEvent).where(KeyEvent.kind == KeyEventKind.OUT)).all()
        assert [loan.staff_id for loan in loans] == [winner]
        (out,) = keys.keys_out(session)
        assert out.holder.id == winner
