"""``reception move-store``: a clinic's file onto an empty PostgreSQL database, every row of
every table, hostile text and all; all or nothing; one line for each refusal."""

import datetime as dt
import random
import shutil
import sqlite3

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String, insert, select, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from reception import cli, customers, export, migrations
from reception.db import make_engine, open_database
from reception.server_store import NUL_PICTURE, parse, shown
from reception.server_store import make_engine as server_engine
from tests.helpers.postgres import OWNER_PASSWORD

pytestmark = pytest.mark.sqlite_only  # the source is a file; the target, a server of its own

HOSTILE = [
    "[red]markup[/red] [link=x]<b>&amp;</b>",
    "\x1b[2J\x07ctrl\ttab\nline\r\x7f\x00nul\u0085",
    "\u202eمرحبا עברית\u200f",
    "🎉👩‍⚕️ 张三 𠀋",
    "=cmd|' /C calc'!A0",
    "+1+1 @SUM(A1) -2",
]
ROWS = 3
DAY = dt.date(2026, 11, 21)


def run_cli(capsys, *args):
    code = cli.main(["--lang", "en", *[str(arg) for arg in args]])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def server(postgres_server):
    if postgres_server is None:
        pytest.skip("no PostgreSQL server on this machine")
    return postgres_server


@pytest.fixture
def target(server):
    """An empty database on the server (not even migrated): its address, with password."""
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


def value(column, row: int, table: str):
    """Row ``row``'s value: hostile text (the row number first: unique), a reference to the
    parent's row of the same number, that row's day and time."""
    if column.foreign_keys:
        (key,) = column.foreign_keys
        return 1 if key.column.table.name == "branch" else row
    kind = getattr(column.type, "impl_instance", column.type)  # a time: UTCDateTime's
    if isinstance(kind, Boolean):
        return row % 2 == 1
    if isinstance(kind, DateTime):
        return dt.datetime(2026, 11, 20 + row, 2, row, tzinfo=dt.UTC)
    if isinstance(kind, Date):
        return DAY + dt.timedelta(days=row - 1)
    if isinstance(kind, Integer | Numeric):
        return row if column.primary_key else 7 * row
    written = f"{row}{HOSTILE[(row + len(table)) % len(HOSTILE)]} {table}.{column.name}"
    length = kind.length if isinstance(kind, String) else None
    return written[:length] if length else written


def fill_every_table(path) -> int:
    """ROWS rows in every table of the models (the one branch renamed), hostile text in
    every text column; the number of rows in the file afterwards."""
    engine = make_engine(path)
    total = 0
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            for table in SQLModel.metadata.sorted_tables:
                if table.name == "branch":
                    connection.execute(table.update().values(
                        name=value(table.c.name, 1, "branch"),
                        created_at=value(table.c.created_at, 1, "branch")))
                    total += 1
                    continue
                rows = [{column.name: value(column, row, table.name)
                         for column in table.columns} for row in range(1, ROWS + 1)]
                connection.execute(insert(table), rows)
                total += len(rows)
    finally:
        engine.dispose()
    return total


def every_row(connection) -> dict[str, list[dict]]:
    return {table.name: [dict(row) for row in connection.execute(
        select(table).order_by(*table.primary_key.columns)).mappings()]
        for table in SQLModel.metadata.sorted_tables}


def as_on_a_server(rows):
    """What a server keeps of the text: NUL is stored as its symbol."""
    if isinstance(rows, dict):
        return {key: as_on_a_server(item) for key, item in rows.items()}
    if isinstance(rows, list | tuple):
        return type(rows)(as_on_a_server(item) for item in rows)
    return rows.replace("\x00", NUL_PICTURE) if isinstance(rows, str) else rows


@pytest.fixture
def clinic(tmp_path, migrated_store):
    path = tmp_path / "clinic.db"
    shutil.copy(migrated_store, path)
    rows = fill_every_table(path)
    return path, rows


def test_a_clinic_with_hostile_text_in_every_table_moves_whole(capsys, clinic, target):
    path, total = clinic
    before = path.read_bytes()
    code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", target)
    assert (code, err) == (0, "")
    tables = len(SQLModel.metadata.sorted_tables)
    assert out == (f"Copied {total} rows of {path} to {shown(target)} ({tables} tables, each "
                   "table's rows counted and compared)\n")
    assert OWNER_PASSWORD not in out
    assert path.read_bytes() == before  # the file is only read

    source = open_database(path)
    moved = open_database(target)
    try:
        with source.read() as session:
            expected = every_row(session.connection())
            expected_day = export.day_records(session, DAY)
            expected_visits = [
                (customer_id, dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC))
                for customer_id, at in session.execute(text(
                    "SELECT id, last_visit_at FROM customer ORDER BY id")).all()]
        with moved.read() as session:
            # Every row of every table, each value as it was (NUL: its symbol).
            assert every_row(session.connection()) == as_on_a_server(expected)
            # Through the domain: the day's export reads the same records.
            assert export.day_records(session, DAY) == as_on_a_server(expected_day)
            # The store-kept last visits were made up after the copy.
            assert session.execute(text(
                "SELECT id, last_visit_at FROM customer ORDER BY id")).all() == expected_visits
            assert session.execute(text("SELECT count(*) FROM customer_search_paused")
                                   ).scalar() == 0
            markup = session.execute(text(
                "SELECT id FROM customer WHERE lower(name) LIKE '%markup%'")).scalars().all()
            assert markup == [row["id"] for row in expected["customer"]
                              if "markup" in row["name"]]
        # The next rows are numbered after the copied ones.
        with moved.write() as session:
            customer, created = customers.register(session, name="新客", phone="13912345678",
                                                   by=1)
        assert created and customer.id == ROWS + 1
    finally:
        source.close()
        moved.close()
    code, out, err = run_cli(capsys, "check", "--db", target)
    assert (code, err) == (0, "") and out.startswith("No problems")


def snapshot(server, address) -> dict:
    """Everything a refused move must leave as it was: each table (any schema) with its
    row count, read as the server's superuser (row-level security aside), and the
    extensions installed."""
    with server.admin(make_url(address).database) as connection:
        names = connection.execute(
            "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
            "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND left(n.nspname, 3) <> 'pg_' ORDER BY 1").fetchall()
        counts = {name: connection.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                  for (name,) in names}
        extensions = [row[0] for row in connection.execute(
            "SELECT extname FROM pg_extension ORDER BY 1")]
    return {"tables": counts, "extensions": extensions}


def test_a_target_that_is_not_empty_is_refused_and_kept(capsys, clinic, server, target):
    path, _total = clinic
    assert run_cli(capsys, "move-store", "--from", path, "--to", target)[0] == 0
    before = snapshot(server, target)
    code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", target)
    assert (code, out) == (2, "")
    assert err == ("error: the target database is not empty (table case_number_day has "
                   f"{ROWS} rows); nothing was copied: {shown(target)}\n")
    assert snapshot(server, target) == before
    moved = open_database(target)
    try:
        with moved.read() as session:
            assert session.execute(text("SELECT count(*) FROM visit")).scalar() == ROWS
    finally:
        moved.close()


def target_is_empty(address) -> bool:
    from reception.move_store import first_not_empty

    database = open_database(address, branch="all")
    try:
        with database.read() as session:
            return first_not_empty(session.connection()) is None
    finally:
        database.close()


def test_all_or_nothing_a_row_the_server_refuses_keeps_nothing(capsys, clinic, target):
    path, _total = clinic
    with sqlite3.connect(path) as connection:  # SQLite does not hold text to its length
        connection.execute("UPDATE room_key SET name = ? WHERE id = 3", ("长" * 500,))
    code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", target)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"error: Database error on {shown(target)}")
    assert "too long" in err and OWNER_PASSWORD not in err
    assert target_is_empty(target)


def previous_revision() -> str:
    script = ScriptDirectory.from_config(migrations.alembic_config(None))
    return script.get_revision(migrations.HEAD).down_revision


def test_a_target_at_another_revision_is_refused_untouched(capsys, clinic, server, target):
    path, _total = clinic
    engine = server_engine(parse(target))
    try:
        with engine.begin() as connection:
            command.upgrade(migrations.alembic_config(connection), previous_revision())
    finally:
        engine.dispose()
    before = snapshot(server, target)
    assert "public.alembic_version" in before["tables"] and "public.visit" in before["tables"]
    code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", target)
    assert (code, out) == (2, "")
    assert err == (f"error: the target database is a reception store at schema "
                   f"{previous_revision()} (the program needs {migrations.HEAD}), not an "
                   f"empty database; nothing was copied or changed: {shown(target)}\n")
    assert OWNER_PASSWORD not in err
    assert snapshot(server, target) == before  # not migrated, nothing written


def test_a_target_with_tables_of_its_own_is_refused_untouched(capsys, clinic, server, target):
    path, _total = clinic
    with server.admin(make_url(target).database) as connection:
        connection.execute("CREATE TABLE notes (id int, body text)")
        connection.execute("INSERT INTO notes VALUES (1, 'keep me')")
        connection.execute("CREATE SCHEMA accounts")
        connection.execute("CREATE TABLE accounts.ledger (id int)")
    before = snapshot(server, target)
    code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", target)
    assert (code, out) == (2, "")
    assert err == ("error: the target database has tables of its own (accounts.ledger), it "
                   "is not an empty database; nothing was copied or changed: "
                   f"{shown(target)}\n")
    assert snapshot(server, target) == before == {
        "tables": {"accounts.ledger": 0, "public.notes": 1}, "extensions": ["plpgsql"]}


def test_a_source_at_another_revision_is_refused(capsys, tmp_path, target):
    path = tmp_path / "older.db"
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), previous_revision())
    engine.dispose()
    code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", target)
    assert (code, out) == (2, "")
    assert err == (f"error: the source is at schema {previous_revision()}, the program needs "
                   f"{migrations.HEAD}: open it once with reception --db {path} to upgrade "
                   "it, then move it\n")
    assert target_is_empty(target)


def test_a_damaged_source_is_refused(capsys, clinic, target):
    path, _total = clinic
    data, noise = bytearray(path.read_bytes()), random.Random(5)
    for page in range(1, len(data) // 4096):
        start = page * 4096 + noise.randrange(0, 4096 - 256)
        data[start:start + 256] = noise.randbytes(256)
    path.write_bytes(bytes(data))
    code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", target)
    assert (code, out) == (2, "")
    assert err == (f"error: the source database is damaged; nothing was copied: {path}; run "
                   "'reception check' for details\n")
    assert target_is_empty(target)


@pytest.mark.parametrize("argv, expected", [
    (["--from", "{file}", "--to", "mysql://clinic:hunter2@db/clinic"],
     "error: Unsupported database address mysql://clinic@db/clinic: use "
     "postgresql://user@host:port/dbname or a file path\n"),
    (["--from", "postgresql://clinic:hunter2@db/clinic", "--to", "{file}"],
     "error: move-store copies from a database file (--from) to a postgresql:// address "
     "(--to)\n"),
    (["--from", "{tmp}/none.db", "--to", "postgresql://clinic:hunter2@db/clinic"],
     "error: no such database: {tmp}/none.db\n"),
])
def test_addresses_are_refused_in_one_line(capsys, clinic, tmp_path, argv, expected):
    path, _total = clinic
    argv = [arg.replace("{file}", str(path)).replace("{tmp}", str(tmp_path)) for arg in argv]
    code, out, err = run_cli(capsys, "move-store", *argv)
    assert (code, out, err) == (2, "", expected.replace("{tmp}", str(tmp_path)))
    assert "hunter2" not in err


def test_a_wrong_password_is_one_line_without_it(capsys, clinic, server, target):
    path, _total = clinic
    wrong = target.replace(OWNER_PASSWORD, "wrong-" + OWNER_PASSWORD)
    code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", wrong)
    assert (code, out) == (2, "")
    assert err == ("error: The database server refused the user name or password: "
                   f"{shown(wrong)}\n")
    assert OWNER_PASSWORD not in err


def test_a_clinic_open_in_the_app_is_moved_as_it_stands(capsys, clinic, target):
    path, total = clinic
    live = open_database(path)  # the app has it open: a -wal file beside it
    try:
        with live.write() as session:
            customers.register(session, name="刚登记", phone="13700000001", by=1)
        assert path.with_name(path.name + "-wal").exists()
        code, out, err = run_cli(capsys, "move-store", "--from", path, "--to", target)
        assert (code, err) == (0, "") and f"Copied {total + 2} rows" in out  # and its audit
    finally:
        live.close()
    moved = open_database(target)
    try:
        with moved.read() as session:
            assert customers.find_by_phone(session, "13700000001").name == "刚登记"
    finally:
        moved.close()
