"""What keeps the search instant: every statement reads indexes (no table scan), and the
store keeps the last visit and the pieces of names with every write (on both stores; the
query plans here are SQLite's, PostgreSQL's are in test_search_plans_server.py)."""

import re
import sqlite3
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import event, text

from models import Customer, Visit
from reception import customers, migrations
from reception.db import make_engine, open_database

# A full read of a table (not of the FTS index's own virtual table, nor of a subquery's
# few rows already read by index).
TABLE_SCAN = re.compile(r"\bSCAN (customer|c|visit|v|appointment|a|staff|s|"
                        r"customer_search_gram|g)\b")


def statements_of(db, query: str) -> list[tuple[str, tuple]]:
    """The SQL the search runs for ``query``, with its parameters."""
    seen: list[tuple[str, tuple]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        with db.read() as session:
            customers.search(session, query)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return [(s, p) for s, p in seen if "FROM customer" in s or "customer_search" in s]


def plan(db, statement: str, parameters) -> list[str]:
    with sqlite3.connect(db.path) as connection:
        return [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}",
                                                     parameters)]


@pytest.mark.sqlite_only  # SQLite's query plans: test_search_plans_server.py for a server's
@pytest.mark.parametrize("query", ["芳", "芳彤", "付芳彤", "zx", "8", "78", "5678",
                                   "13812345678", "261122-01"])
def test_every_statement_reads_indexes_never_a_whole_table(clinic, db, query):
    for i in range(30):
        person = clinic.customer(f"付芳彤{i}", f"1381234{i:04d}")
        clinic.visit(person, f"2026-11-{1 + i % 20:02d}T10:00")
    statements = statements_of(db, query)
    assert statements, "the search ran no statement"
    for statement, parameters in statements:
        lines = plan(db, statement, parameters)
        assert not [line for line in lines if TABLE_SCAN.search(line)], "\n".join(lines)
        assert any(line.startswith("SEARCH") for line in lines)


@pytest.mark.sqlite_only  # SQLite's query plans: test_search_plans_server.py for a server's
def test_short_queries_read_the_most_recent_straight_from_the_pieces_key(clinic, db):
    clinic.customer("付芳彤", "13812345678")
    (statement, parameters), = statements_of(db, "芳彤")
    lines = plan(db, statement, parameters)
    # One block per part of the statement (each a co-routine of its own).
    blocks, block = [], []
    for line in lines:
        if line.startswith("CO-ROUTINE") and block:
            blocks.append(block)
            block = []
        block.append(line)
    blocks.append(block)
    pieces = [block for block in blocks if any(line.startswith("SEARCH g ") for line in block)]
    assert len(pieces) == 2, "\n".join(lines)  # the start of a name, and the rest
    for block in pieces:
        assert "SEARCH g USING PRIMARY KEY (gram=? AND edge=?)" in block, "\n".join(lines)
        # Ordered by the key itself: no sort of every match before the limit.
        assert not [line for line in block if "TEMP B-TREE" in line], "\n".join(lines)


@pytest.mark.sqlite_only  # SQLite's query plans: test_search_plans_server.py for a server's
def test_phone_endings_read_the_reversed_phone_index(clinic, db):
    clinic.customer("付芳彤", "13812345678")
    statements = statements_of(db, "5678")
    lines = [line for statement, parameters in statements
             for line in plan(db, statement, parameters)]
    assert any("customer_search_phone_end (phone_reversed>? AND phone_reversed<?)" in line
               for line in lines), "\n".join(lines)


def test_the_last_visit_follows_every_visit_written_changed_or_removed(clinic, db):
    person = clinic.customer("付芳彤", "13812345678")
    first = clinic.visit(person, "2026-11-01T10:00")
    second = clinic.visit(person, "2026-11-20T10:00")
    clinic.visit(person, "2026-11-10T10:00")  # written late, earlier: the latest stays

    def last_visit():
        with db.read() as session:
            return session.get(Customer, person.id).last_visit_at

    assert last_visit() == second.arrived_at
    with db.write() as session:
        session.delete(session.get(Visit, second.id))
    assert last_visit().date().isoformat() == "2026-11-10"
    with db.write() as session:
        moved = session.get(Visit, first.id)
        moved.arrived_at = moved.arrived_at + timedelta(days=25)
        session.add(moved)
    assert last_visit() == first.arrived_at + timedelta(days=25)
    # The search orders by it too.
    other = clinic.customer("付芳", "13912345678")
    clinic.visit(other, "2026-11-21T10:00")
    assert [f.id for f in clinic.search("付芳")] == [other.id, person.id]


def test_upgrading_a_store_fills_the_last_visit_and_the_pieces(tmp_path):
    path = tmp_path / "before.db"
    engine = make_engine(path)
    with engine.begin() as connection:
        command.upgrade(migrations.alembic_config(connection), "0003")
        connection.execute(text(
            "INSERT INTO customer (id, created_at, name, phone, gender, name_initials, source, "
            "interest, note) VALUES (1, '2026-01-01 00:00:00', '付芳彤', '13812345678', '', "
            "'fft', '', '', ''), (2, '2026-01-01 00:00:00', '王芳', '13912345678', '', 'wf', "
            "'', '', '')"))
        for customer_id, arrived in ((1, "2026-10-01 02:00:00.000000"),
                                     (1, "2026-11-01 02:00:00.000000"),
                                     (2, "2026-11-21 02:00:00.000000")):
            connection.execute(text(
                "INSERT INTO visit (created_at, day, customer_id, is_new, path, purpose, "
                "status, status_since, arrived_at, items) VALUES (:at, substr(:at, 1, 10), "
                ":customer, 0, 'C1', '', 'left', :at, :at, '')"),
                {"at": arrived, "customer": customer_id})
    engine.dispose()
    database = open_database(path)
    try:
        with database.read() as session:
            assert [c.last_visit_at.date().isoformat()
                    for c in session.exec(customers.select(Customer).order_by(Customer.id))
                    ] == ["2026-11-01", "2026-11-21"]
            assert [f.id for f in customers.search(session, "芳")] == [2, 1]
            assert [f.id for f in customers.search(session, "5678")] == [2, 1]
            assert [f.why for f in customers.search(session, "彤")] == ["name_part"]
    finally:
        database.close()


def test_a_bulk_load_rebuilds_what_the_triggers_would_have_kept(clinic, db):
    from reception import search_index

    kept = clinic.customer("付芳彤", "13812345678")
    clinic.visit(kept, "2026-11-01T10:00")

    def pieces():
        with db.read() as session:
            return session.execute(text(
                "SELECT gram, edge, visited, customer_id FROM customer_search_gram "
                "ORDER BY 1, 2, 3, 4")).all()

    with db.write() as session:
        search_index.pause(session)
    paused = clinic.customer("王芳彤", "13912345678")
    clinic.visit(paused, "2026-11-20T10:00")
    clinic.visit(kept, "2026-11-21T10:00")
    # While paused, the new customer has no pieces yet.
    assert [f.id for f in clinic.search("芳彤")] == [kept.id]
    with db.write() as session:
        search_index.resume(session)
    rebuilt = pieces()
    assert [f.id for f in clinic.search("芳彤")] == [kept.id, paused.id]
    assert [f.id for f in clinic.search("5678")] == [kept.id, paused.id]
    # What the triggers make, one customer at a time, is what the rebuild made.
    with db.write() as session:
        session.execute(text("UPDATE customer SET name = name"))
    assert pieces() == rebuilt
    another = clinic.customer("李芳彤", "13712345678")
    assert [f.id for f in clinic.search("芳彤")] == [kept.id, paused.id, another.id]
