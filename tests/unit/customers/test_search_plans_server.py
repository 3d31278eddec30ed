"""PostgreSQL's counterpart of test_search_store's query-plan tests: at a clinic's size
(tens of thousands of customers and visits, the planner's statistics up to date), every
statement of the search reads indexes — pg_trgm's GIN trigram indexes, the reversed phone,
the pieces' primary key — and never a whole customer, visit or appointment table."""

import re

import pytest
from sqlalchemy import event, text

from reception import customers, search_index

pytestmark = pytest.mark.big_store

CUSTOMERS = 20_000
VISITS = 40_000
# A full read of a table the search must never scan.
TABLE_SCAN = re.compile(r"Seq Scan on (customer|visit|appointment|customer_search_gram)\b")

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
SURNAME_INITIALS = "wlzlcyhzwzxsmzhghgll"
GIVEN = "芳彤丽娜静敏燕艳娟霞秀英华慧巧美玉兰云莲"
GIVEN_INITIALS = "ftlnjmyyjxxyhhqmylyl"


def fill(db, customers_count: int = CUSTOMERS, visits: int = VISITS) -> None:
    """Customers with two- and three-character names and 11-digit phones, visits spread over
    a year (some today, not left) and appointments (some today and later), loaded set-based
    as a bulk load is."""
    with db.write() as session:
        search_index.pause(session)
        session.execute(text(
            "INSERT INTO customer (created_at, name, phone, gender, name_initials, source, "
            "interest, note) SELECT now(), "
            "substr(:s, 1 + i % 20, 1) || substr(:g, 1 + (i / 20) % 20, 1) "
            "  || CASE WHEN i % 3 = 0 THEN '' ELSE substr(:g, 1 + (i / 400) % 20, 1) END, "
            "'13' || lpad(((i::bigint * 7919) % 1000000000)::text, 9, '0'), '', "
            "substr(:si, 1 + i % 20, 1) || substr(:gi, 1 + (i / 20) % 20, 1) "
            "  || CASE WHEN i % 3 = 0 THEN '' ELSE substr(:gi, 1 + (i / 400) % 20, 1) END, "
            "'', '', '' FROM generate_series(1, :n) AS i"),
            {"s": SURNAMES, "g": GIVEN, "si": SURNAME_INITIALS, "gi": GIVEN_INITIALS,
             "n": customers_count})
        session.execute(text(
            "INSERT INTO visit (created_at, day, customer_id, is_new, path, purpose, status, "
            "status_since, arrived_at, items) "
            "SELECT at, (at AT TIME ZONE 'Asia/Shanghai')::date, c, false, 'C1', '', "
            "CASE WHEN i % 500 = 0 THEN 'waiting' ELSE 'left' END, at, at, '' "
            "FROM (SELECT i, 1 + (i::bigint * 104729) % :customers AS c, "
            "      timestamptz '2026-11-22 01:00+00' - (i % 365) * interval '1 day' AS at "
            "      FROM generate_series(1, :n) AS i) AS v"),
            {"customers": customers_count, "n": visits})
        # One appointment for every four visits, over the same year and the next month.
        session.execute(text(
            "INSERT INTO appointment (created_at, number, customer_id, name, phone, "
            "scheduled_at, day, purpose, status) "
            "SELECT at, to_char(at, 'YYMMDD') || '-' || lpad(i::text, 6, '0'), c.id, c.name, "
            "c.phone, at, (at AT TIME ZONE 'Asia/Shanghai')::date, '', "
            "CASE WHEN at > timestamptz '2026-11-22 01:00+00' THEN 'booked' ELSE 'arrived' END "
            "FROM (SELECT i, 1 + (i::bigint * 7727) % :customers AS c, "
            "      timestamptz '2026-12-22 01:00+00' - (i % 395) * interval '1 day' AS at "
            "      FROM generate_series(1, :n) AS i) AS a JOIN customer c ON c.id = a.c"),
            {"customers": customers_count, "n": visits // 4})
        search_index.resume(session)


def statements_of(db, query: str) -> list[tuple[str, dict]]:
    seen: list[tuple[str, dict]] = []

    def remember(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        with db.read() as session:
            customers.search(session, query)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return [(s, p) for s, p in seen if "FROM customer" in s]


def plan(db, statement: str, parameters: dict) -> list[str]:
    """EXPLAIN of ``statement`` planned for these values, as the search plans it."""
    with db.engine.connect() as connection:
        return [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}",
                                                             parameters)]


@pytest.fixture(scope="module")
def big(postgres_server, postgres_template):
    """One filled database for the module (filling it takes a few seconds)."""
    from reception.db import open_database

    name = postgres_server.create_database(template=postgres_template)
    database = open_database(postgres_server.url(name))
    fill(database)
    yield database
    database.close()
    postgres_server.drop_database(name)


QUERIES = ["芳", "芳彤", "王芳彤", "王芳", "zx", "wft", "8", "78", "5678", "0001234",
           "13000012345", "261122-01", "100%_x"]


@pytest.mark.parametrize("query", QUERIES)
def test_every_statement_reads_indexes_never_a_whole_table(big, query):
    statements = statements_of(big, query)
    assert statements, "the search ran no statement"
    for statement, parameters in statements:
        lines = plan(big, statement, parameters)
        assert not [line for line in lines if TABLE_SCAN.search(line)], "\n".join(lines)
        assert any("Index" in line for line in lines), "\n".join(lines)


def test_parts_of_names_and_phones_read_the_trigram_indexes(big):
    for query, indexes in (("王芳彤", ("customer_search_name", "customer_search_initials")),
                           ("5678", ("customer_search_phone", "customer_search_case"))):
        lines = [line for statement, parameters in statements_of(big, query)
                 for line in plan(big, statement, parameters)]
        for index in indexes:
            assert any(f"Bitmap Index Scan on {index} " in f"{line} " for line in lines), (
                "\n".join(lines))


def test_short_queries_read_the_most_recent_straight_from_the_pieces_key(big):
    (statement, parameters), = statements_of(big, "芳彤")
    lines = plan(big, statement, parameters)
    pieces = [line for line in lines if "customer_search_gram_pkey" in line]
    # The start of a name, and the rest: each read backwards along the key, no sort.
    assert len(pieces) == 2 and all("Index Scan Backward" in line or "Index Only Scan Backward"
                                    in line for line in pieces), "\n".join(lines)


def test_phone_endings_read_the_reversed_phone_index(big):
    lines = [line for statement, parameters in statements_of(big, "5678")
             for line in plan(big, statement, parameters)]
    assert any("customer_search_phone_end" in line for line in lines), "\n".join(lines)


def test_the_filled_store_searches_like_the_small_one(big):
    with big.read() as session:
        found = customers.search(session, "芳彤")
    assert len(found) == customers.SEARCH_LIMIT
    assert all("芳彤" in row.name for row in found)
    visited = [row.last_visit_at for row in found if row.rank == found[0].rank]
    assert visited == sorted(visited, reverse=True)


def test_each_search_is_planned_for_the_values_typed(big):
    # psycopg prepares a statement run often, and a prepared statement's generic plan
    # cannot use a trigram index well (the pattern is unknown when it is planned).
    with big.read() as session:
        assert session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"


def test_a_search_is_one_round_trip_that_reads_other_positions_only_when_needed(big):
    # Twenty phones end in 000 (i * 7919 ends in 000 for every thousandth i): a limit of
    # five is filled by the endings and the trigram indexes are never read; a limit of 50
    # needs the phones with 000 elsewhere, read by the same statement.
    for limit, read in ((5, False), (50, True)):
        seen: list[tuple[str, dict]] = []

        def remember(_conn, _cursor, statement, parameters, _context, _many, seen=seen):
            seen.append((statement, parameters))

        event.listen(big.engine, "before_cursor_execute", remember)
        try:
            with big.read() as session:
                found = customers.search(session, "000", limit=limit)
        finally:
            event.remove(big.engine, "before_cursor_execute", remember)
        searches = [(s, p) for s, p in seen if "FROM customer" in s]
        assert len(searches) == 1, searches
        assert len(found) == limit
        assert [row.why for row in found[:5]] == ["phone_end"] * 5
        (statement, parameters), = searches
        with big.engine.connect() as connection:
            lines = [row[0] for row in connection.exec_driver_sql(
                f"EXPLAIN (ANALYZE, COSTS OFF) {statement}", parameters)]
        trigram = [line for line in lines
                   if "Bitmap Index Scan on customer_search_phone " in f"{line} "]
        assert trigram, "\n".join(lines)
        assert all(("never executed" in line) is not read for line in trigram), "\n".join(lines)
