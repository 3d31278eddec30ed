"""On a PostgreSQL server too, a busy store or a server that goes away never freezes a form,
ends the app or loses typing: the save waits, the status line says why, and it lands once
the server answers again."""

import psycopg
import pytest

from reception import auth, settings
from reception.db import open_database
from reception.server_store import WRITE_LOCK
from screens.app import ReceptionApp
from tests.conftest import MANAGER_PIN
from tests.helpers.pilot import settle
from tests.helpers.postgres import start_server
from tests.helpers.pressing import typed
from tests.ui.forms.test_form_base import ClinicNameForm, burst, open_form
from tests.ui.forms.test_store_trouble import wait_for_text

pytestmark = pytest.mark.own_server


@pytest.fixture
def own_server(postgres_server):
    """A server of this test's own (it is stopped and started again)."""
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine")
    server = start_server()
    yield server
    server.stop()


def clinic_on(server):
    name = server.create_database()
    database = open_database(server.url(name))
    with database.write() as session:
        manager = auth.first_run_setup(session, clinic_name="店", manager_name="王经理",
                                       pin=MANAGER_PIN)
    return database, manager


async def test_a_held_write_lock_on_the_server_is_busy_then_saved(own_server):
    database, manager = clinic_on(own_server)
    other = psycopg.connect(own_server.url(database.url.database), autocommit=True)
    app = ReceptionApp(database, watch=False, sign_in_as=manager)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot)
        other.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))  # another counter writes
        await burst(app, "Held\tfirst")
        await typed(pilot, "ctrl+s")
        waited = await wait_for_text(pilot, "The store is busy", 3)
        assert waited < 1.5
        assert isinstance(app.screen, ClinicNameForm) and results == []
        other.execute("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK,))
        await settle(pilot, timeout=15)
        assert results == ["Held|first"]
        with database.read() as session:
            assert settings.get(session, "clinic_name") == "Held"
    other.close()
    database.close()


async def test_a_server_that_goes_away_and_comes_back_keeps_the_save(own_server):
    database, manager = clinic_on(own_server)
    app = ReceptionApp(database, watch=False, sign_in_as=manager)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await open_form(app, pilot)
        own_server.pause()
        await burst(app, "Back\tagain")
        await typed(pilot, "ctrl+s")
        await wait_for_text(pilot, "Server unreachable", 10)
        assert isinstance(app.screen, ClinicNameForm) and results == []
        assert app.is_running
        own_server.resume()
        await settle(pilot, timeout=20)
        assert results == ["Back|again"]
        assert "Server unreachable" not in "".join(app.store.status())
        with database.read() as session:
            assert settings.get(session, "clinic_name") == "Back"
    database.close()
