"""A database made by the previous schema version, with data in every table, upgrades with
nothing lost (and a copy of the old file kept)."""

import datetime as dt

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, Numeric, insert, select

from reception import migrations
from reception.db import make_engine, open_database


def previous_revision() -> str | None:
    script = ScriptDirectory.from_config(migrations.alembic_config(None))
    return script.get_revision(migrations.HEAD).down_revision


def sample_value(column, text_value: str):
    if column.foreign_keys:
        return None if column.nullable else 1
    kind = column.type
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, DateTime):
        return dt.datetime(2026, 11, 21, 2, 0)
    if isinstance(kind, Date):
        return dt.date(2026, 11, 21)
    if isinstance(kind, Integer | Numeric):
        return 1 if column.primary_key else 7
    return text_value


def fill_every_table(connection) -> dict[str, dict]:
    """One row in every table (parents first), with hostile text in every text column."""
    metadata = MetaData()
    metadata.reflect(connection)
    rows = {}
    for table in metadata.sorted_tables:
        if table.name.startswith("customer_search") or table.name == "alembic_version":
            continue
        if connection.execute(select(table)).first() is not None:
            continue  # the schema's own rows (the first branch)
        # A generated column (customer.phone_reversed) is computed, never written.
        row = {column.name: sample_value(column, f"[red]{table.name}.{column.name}[/red] 张三 🎉")
               for column in table.columns if column.computed is None}
        connection.execute(insert(table).values(**row))
        rows[table.name] = row
    return rows


@pytest.mark.parametrize("start", ["previous", "base"])
def test_upgrade_keeps_every_row(tmp_path, start):
    revision = previous_revision() if start == "previous" else migrations.HEAD
    if revision is None:
        pytest.skip("only one schema version so far")
    path = tmp_path / "old.db"
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), revision)
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        written = fill_every_table(connection)
    engine.dispose()

    database = open_database(path)
    assert migrations.current_revision(database) == migrations.HEAD
    metadata = MetaData()
    with database.engine.connect() as connection:
        metadata.reflect(connection)
        for name, row in written.items():
            stored = connection.execute(select(metadata.tables[name])).mappings().all()
            assert len(stored) == 1, name
            for column, value in row.items():
                assert stored[0][column] == value, (name, column)
    copies = [p for p in tmp_path.iterdir() if ".before-" in p.name]
    assert len(copies) == (1 if revision != migrations.HEAD else 0)


def test_0002_turns_the_archive_setting_and_reserved_rule_name_into_flags(tmp_path):
    path = tmp_path / "v1.db"
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), "0001")
        for statement in (
            "INSERT INTO room_key (id, created_at, name, roles_allowed, needs_manager_approval,"
            " limit_minutes, active) VALUES (1, '2026-11-01', 'VIP室', '', 1, 30, 1),"
            " (2, '2026-11-01', 'Archive', 'consultant', 0, 30, 1)",
            "INSERT INTO setting (key, value, updated_at) VALUES ('archive_key_id', '2',"
            " '2026-11-01')",
            "INSERT INTO callback_rule (created_at, name, event, days_after, active) VALUES"
            " ('2026-11-01', 'builtin:new_customer_next_day', 'first_visit', 1, 1),"
            " ('2026-11-01', '出院三天', 'check_out', 3, 1)",
        ):
            connection.exec_driver_sql(statement)
    engine.dispose()
    database = open_database(path)
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT name FROM room_key WHERE is_archive").scalars().all() == ["Archive"]
        assert connection.exec_driver_sql(
            "SELECT name FROM callback_rule WHERE builtin").scalars().all() == [
            "builtin:new_customer_next_day"]
        assert connection.exec_driver_sql(
            "SELECT count(*) FROM setting WHERE key = 'archive_key_id'").scalar() == 0
