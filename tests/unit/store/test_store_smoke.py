from reception import staff
from tests.conftest import today


def test_team_fixture_builds_a_rota(db, team):
    with db.read() as session:
        on_duty = staff.on_duty(session, today(), role="consultant")
    assert [s.name for s in on_duty] == ["张咨询", "陈咨询", "刘咨询"]
