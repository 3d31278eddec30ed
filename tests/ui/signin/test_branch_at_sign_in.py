"""A chain's counter started without a branch works for the branch of whoever signs in
(PostgreSQL): the sign-in list has every branch's staff, the dashboard and every write are
hers, and signing out leaves no branch chosen."""

import pytest
from sqlalchemy import text

from models import Role
from reception import auth, staff
from reception.db import open_database
from screens.app import ReceptionApp
from screens.dashboard import DashboardScreen
from tests.conftest import MANAGER_PIN, PIN
from tests.helpers.pilot import settle


@pytest.fixture
def chain(postgres_server, postgres_template):
    """Two branches, each with a manager and a receptionist; the owner's address."""
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine")
    name = postgres_server.chain_database(postgres_template, {"EAST": "东店"})
    address = postgres_server.url(name)
    for code, prefix in (("main", "总"), ("EAST", "东")):
        database = open_database(address, branch=code)
        with database.write() as session:
            manager = auth.first_run_setup(session, clinic_name="连锁",
                                           manager_name=f"{prefix}经理", pin=MANAGER_PIN)
            staff.add_staff(session, name=f"{prefix}前台", role=Role.RECEPTIONIST, pin=PIN,
                            by=manager.id)
        database.close()
    yield address
    postgres_server.drop_database(name)


async def test_the_counter_takes_the_branch_of_whoever_signs_in(chain):
    app = ReceptionApp(db_path=chain, watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        names = {name for _id, name, _role in app.screen.staff_rows}
        assert {"总前台", "东前台", "总经理", "东经理"} <= names
        await pilot.press(*"东前台")
        await pilot.press("enter")
        await pilot.press(*PIN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.staff.name == "东前台" and app.db.branch_code == "EAST"
        with app.db.read() as session:
            assert set(session.execute(text("SELECT name FROM staff")).scalars()) == {
                "东经理", "东前台"}
            signed = session.execute(text(
                "SELECT b.code FROM sign_in s JOIN branch b ON b.id = s.branch_id")).scalars()
            assert list(signed) == ["EAST"]
        app.sign_out()
        await settle(pilot)
        assert app.db.branch_id == "all"
