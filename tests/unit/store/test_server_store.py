"""The PostgreSQL store on a real server: its schema, the branches' row-level security, the
live view by LISTEN/NOTIFY, the refusals of an address, and a server that goes away."""

import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

from models import Role
from reception import auth, migrations, staff
from reception.db import open_database
from reception.errors import DatabaseError
from reception.migrations.dialect import SCOPED_TABLES
from tests.conftest import MANAGER_PIN, PIN
from tests.helpers.postgres import OWNER_PASSWORD, start_server


@pytest.fixture
def server(postgres_server):
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine")
    return postgres_server


@pytest.fixture
def chain(server, postgres_template):
    """A chain's database with two branches, A and B, and a counter role for each."""
    name = server.chain_database(postgres_template, {"A": "东店", "B": "西店"})
    with server.admin(name) as connection:
        for code in ("A", "B"):
            role = f"counter_{code.lower()}_{name}"
            connection.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'pw-{code}'")
            connection.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
                               f"public TO {role}")
            connection.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
            connection.execute("INSERT INTO branch_role (role_name, branch_id) "
                               "SELECT %s, id FROM branch WHERE code = %s", (role, code))
    yield server, name
    server.drop_database(name)


def counter(server, name: str, code: str):
    role = f"counter_{code.lower()}_{name}"
    return open_database(server.url(name, user=role, password=f"pw-{code}"), branch=code)


def set_up_branch(database, manager_name: str) -> None:
    with database.write() as session:
        manager = auth.first_run_setup(session, clinic_name="连锁", manager_name=manager_name,
                                       pin=MANAGER_PIN)
        staff.add_staff(session, name=manager_name + "前台", role=Role.RECEPTIONIST, pin=PIN,
                        by=manager.id)


def test_a_new_server_database_has_the_schema_of_the_models(server):
    name = server.create_database()
    database = open_database(server.url(name))
    try:
        assert migrations.current_revision(database) == migrations.HEAD
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_name": migrations.include_name})
            assert compare_metadata(context, SQLModel.metadata) == []
    finally:
        database.close()
        server.drop_database(name)


def test_a_counter_sees_and_writes_only_its_own_branch_even_by_hand(chain):
    server, name = chain
    east, west = counter(server, name, "A"), counter(server, name, "B")
    try:
        set_up_branch(east, "东经理")
        set_up_branch(west, "西经理")
        for database, mine in ((east, {"东经理", "东经理前台"}), (west, {"西经理", "西经理前台"})):
            with database.read() as session:
                names = set(session.execute(text("SELECT name FROM staff")).scalars())
                assert names == mine
        west_branch = west.branch_id
        with east.write() as session:
            # Hand-written SQL on the counter's own connection: nothing of B's moves.
            assert session.execute(text("UPDATE staff SET name = 'x' WHERE branch_id = :b"),
                                   {"b": west_branch}).rowcount == 0
            assert session.execute(text("DELETE FROM sign_in")).rowcount == 0
            # Choosing B's branch by hand selects nothing: the role is A's only.
            session.execute(text("SELECT set_config('reception.branch', :b, true)"),
                            {"b": str(west_branch)})
            assert session.execute(text("SELECT count(*) FROM staff")).scalar() == 0
        with pytest.raises(DatabaseError) as refused:
            with east.write() as session:
                session.execute(text(
                    "INSERT INTO staff (created_at, name, role, pin_hash, phone, active, "
                    "branch_id) VALUES (now(), '冒充', 'manager', '', '', true, :b)"),
                    {"b": west_branch})
        assert refused.value.message_key == "db.not_allowed"
        with pytest.raises(DBAPIError):  # not the owner: cannot switch the policies off
            with east.engine.begin() as connection:
                connection.exec_driver_sql("ALTER TABLE staff DISABLE ROW LEVEL SECURITY")
        with west.read() as session:
            assert "冒充" not in set(session.execute(text("SELECT name FROM staff")).scalars())
    finally:
        east.close()
        west.close()


def test_a_chain_manager_reads_every_branch_and_writes_none(chain):
    server, name = chain
    for code in ("A", "B"):
        database = counter(server, name, code)
        set_up_branch(database, f"{code}经理")
        database.close()
    everything = open_database(server.url(name), branch="all")
    try:
        with everything.read() as session:
            assert session.execute(text("SELECT count(*) FROM staff")).scalar() == 4
        with pytest.raises(DatabaseError):
            with everything.write():
                pass
    finally:
        everything.close()


def test_each_counter_sees_another_counters_write_within_a_second(db, team, store_kind):
    other = open_database(db.url.render_as_string(hide_password=False)) \
        if store_kind == "postgresql" else open_database(db.path)
    probe = db.data_version_probe()
    try:
        assert not probe.changed()
        with other.write() as session:
            staff.add_staff(session, name="新来的", role=Role.RECEPTIONIST, pin=PIN,
                            by=team.manager.id)
        deadline = time.monotonic() + 1.0
        while not probe.changed():
            assert time.monotonic() < deadline, "the other counter's write was not seen"
            time.sleep(0.05)
        assert not probe.changed()
    finally:
        probe.close()
        other.close()


@pytest.mark.parametrize("address", ["mysql://u@h/clinic", "sqlite+pysqlite:///x.db",
                                     "postgresql://host-without-a-database"])
def test_an_unsupported_address_is_refused_in_one_line(address):
    with pytest.raises(DatabaseError) as refused:
        open_database(address)
    assert refused.value.message_key == "db.unsupported_url"
    assert "\n" not in str(refused.value)


def test_a_wrong_password_is_refused_without_echoing_it(server, postgres_template):
    wrong = "not-" + OWNER_PASSWORD
    with pytest.raises(DatabaseError) as refused:
        open_database(server.url(postgres_template, password=wrong))
    assert refused.value.message_key == "db.auth_failed"
    assert wrong not in str(refused.value) and OWNER_PASSWORD not in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.own_server
def test_a_server_that_goes_away_is_unavailable_then_works_again(postgres_server):
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine")
    own = start_server()  # a server of its own: this one is stopped and started again
    try:
        name = own.create_database()
        database = open_database(own.url(name))
        with database.write() as session:
            auth.first_run_setup(session, clinic_name="店", manager_name="王",
                                 pin=MANAGER_PIN)
        own.pause()
        with pytest.raises(DatabaseError) as gone:
            with database.read() as session:
                session.execute(text("SELECT count(*) FROM staff")).scalar()
        assert gone.value.message_key == "db.unavailable"
        assert OWNER_PASSWORD not in str(gone.value)
        own.resume()
        with database.read() as session:
            assert session.execute(text("SELECT count(*) FROM staff")).scalar() == 1
        database.close()
    finally:
        own.stop()


def asked_per_row(database) -> list[str]:
    """The branch tables whose plan asks for the transaction's branch at every row (a
    filter calling the function), rather than once (the planner's InitPlan)."""
    with database.read() as session:
        tables = session.execute(text(SCOPED_TABLES)).scalars().all()
        assert len(tables) > 30
        plans = {table: "\n".join(session.execute(text(f"EXPLAIN SELECT * FROM {table}"))
                                  .scalars()) for table in tables}
    return [table for table, plan in plans.items() if "InitPlan" not in plan]


def test_the_branch_is_asked_once_per_statement_not_per_row(server):
    """0010: a count over a million visits asked the branch a million times. The same rows
    are kept to the branch (the chain tests above); going back to 0009 and up again."""
    from alembic import command

    name = server.create_database()
    database = open_database(server.url(name))
    try:
        assert asked_per_row(database) == []
        with database.engine.connect() as connection, connection.begin():
            command.downgrade(migrations.alembic_config(connection), "0009")
        assert "visit" in asked_per_row(database)
        database.close()
        database = open_database(server.url(name))
        assert migrations.current_revision(database) == migrations.HEAD
        assert asked_per_row(database) == []
    finally:
        database.close()
        server.drop_database(name)
