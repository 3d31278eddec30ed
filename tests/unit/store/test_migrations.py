"""Schema versions: from empty to head, the schema matches the models, upgrades keep a copy."""

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from reception import migrations
from reception.db import make_engine, open_database


def test_head_constant_matches_the_scripts():
    script = ScriptDirectory.from_config(migrations.alembic_config(None))
    assert script.get_heads() == [migrations.HEAD]


def test_empty_file_migrates_to_a_schema_equal_to_the_models(tmp_path):
    database = open_database(tmp_path / "fresh.db")
    assert migrations.current_revision(database) == migrations.HEAD
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": migrations.include_name})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


@pytest.mark.sqlite_only  # FTS5 and SQLite's triggers; a server's: the test below
def test_the_search_index_and_append_only_triggers_exist(db, team):
    with db.engine.connect() as connection:
        found = connection.execute(
            text("SELECT rowid FROM customer_search WHERE customer_search MATCH '\"123\"'")
        ).all()
        assert found == []
    with sqlite3.connect(db.path) as connection:
        connection.execute("INSERT INTO audit_entry (at, action, record_type, detail) "
                           "VALUES ('2026-01-01', 'x', '', '{}')")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("UPDATE audit_entry SET action = 'y'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("DELETE FROM audit_entry")


def test_the_trigram_indexes_and_append_only_triggers_exist_on_a_server(db, team, store_kind):
    if store_kind != "postgresql":
        pytest.skip("SQLite's: the test above")
    from sqlalchemy.exc import IntegrityError

    from reception.server_check import SEARCH_INDEXES

    with db.engine.connect() as connection:
        indexes = set(connection.execute(text(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'customer'")).scalars())
    assert set(SEARCH_INDEXES) <= indexes
    with db.write() as session:
        session.execute(text("INSERT INTO audit_entry (at, action, record_type, detail) "
                             "VALUES ('2026-01-01', 'x', '', '{}')"))
    for statement in ("UPDATE audit_entry SET action = 'y'", "DELETE FROM audit_entry"):
        with pytest.raises(IntegrityError, match="append-only"):
            with db.write() as session:
                session.execute(text(statement))
    with db.read() as session:
        assert session.execute(text("SELECT action FROM audit_entry WHERE action = 'x'")
                               ).scalars().all() == ["x"]


def test_opening_a_current_file_keeps_no_copy(tmp_path):
    path = tmp_path / "r.db"
    open_database(path).close()
    open_database(path).close()
    assert [p.name for p in tmp_path.iterdir() if ".before-" in p.name] == []


def test_an_unversioned_file_is_copied_before_it_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('kept')")
    database = open_database(path)
    assert migrations.current_revision(database) == migrations.HEAD
    copies = [p for p in tmp_path.iterdir() if ".before-unversioned-" in p.name]
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as connection:
        assert connection.execute("SELECT body FROM notes").fetchall() == [("kept",)]


def test_previous_revision_upgrades_with_data_kept(tmp_path):
    script = ScriptDirectory.from_config(migrations.alembic_config(None))
    previous = script.get_revision(migrations.HEAD).down_revision
    if previous is None:
        pytest.skip("only one schema version so far")
    path = tmp_path / "previous.db"
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), previous)
        connection.execute(text(
            "INSERT INTO staff (created_at, name, role, pin_hash, phone, active) "
            "VALUES ('2026-01-01 00:00:00', '王经理', 'manager', '', '', 1)"))
    engine.dispose()
    database = open_database(path)
    assert migrations.current_revision(database) == migrations.HEAD
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM staff")).scalars().all() == ["王经理"]
    assert any(f".before-{previous}-" in p.name for p in tmp_path.iterdir())
