"""What the store tests on a server share: a chain of two branches."""

import pytest

from reception import auth
from reception.db import open_database
from tests.conftest import MANAGER_PIN


@pytest.fixture
def chain(postgres_server, postgres_template):
    """Two branches of one chain, each a counter of its own with a manager; yields the
    counters, the server and the database's name."""
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine")
    name = postgres_server.chain_database(postgres_template, {"east": "东店", "west": "西店"})
    counters = {}
    for code in ("east", "west"):
        database = open_database(postgres_server.url(name), branch=code)
        with database.write() as session:
            manager = auth.first_run_setup(session, clinic_name="连锁", manager_name=code,
                                           pin=MANAGER_PIN)
        counters[code] = (database, manager.id)
    yield counters, postgres_server, name
    for database, _manager in counters.values():
        database.close()
    postgres_server.drop_database(name)
