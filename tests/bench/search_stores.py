"""Benchmark: the customer search per keystroke on both stores, at the benchmark's size.

    python tests/bench/search_stores.py [--customers 200000 --visits 1000000] [--seed 1]

The same data on both: the benchmark's demo database (``bench.ensure_database``: made once
by ``reception demo``, cached), and a copy of every row of it on a PostgreSQL server started
for the run (``tests.helpers.postgres``: initdb into a temp folder, 127.0.0.1, fsync off —
nothing here writes), loaded with COPY and the search structures rebuilt as after a bulk
load (``search_index.resume``: last visits, pieces, the trigram indexes' pending lists, the
planner's statistics).

On each store, in one process, the clock at the data's "today":

- per keystroke: ``customers.search`` for every prefix of the bench's queries (phones, the
  last four digits, names, initials of customers spread over the table), as typed;
- the ranking look-ups of ``tests/bench/ranking.py`` (recent returning customers by the last
  four digits and by full name) and their timings;
- whether both stores give the same rows in the same order for every one of those queries.

Writes ``bench-results/search-stores.md``. A script, not a test.
"""

import argparse
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import bench, ranking  # noqa: E402

RESULTS = ROOT / "bench-results" / "search-stores.md"
TARGET_MS = 16.0
# Not copied: what the migrations made already, and SQLite's own search structures.
SKIPPED = ("sqlite_", "customer_search", "alembic_version")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path(bench.tempfile.gettempdir())
                        / "reception-bench")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    from reception.clock import clock
    from reception.db import open_database
    from tests.helpers.postgres import start_server

    cached, meta = bench.ensure_database(args.customers, args.visits, args.seed, args.cache)
    path = args.cache / "search-stores-work.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    bench.shutil.copyfile(cached, path)
    open_database(path).close()  # at the newest schema, as the server's copy will be
    clock.tz = bench.TZ
    clock.set(meta["now"], frozen=True)
    server = start_server()
    if server is None:
        sys.exit("no PostgreSQL server on this machine")
    try:
        print("copying the demo database to the server …", file=sys.stderr)
        started = time.perf_counter()
        url, counts = copy_to_server(path, server)
        meta["server_version"] = counts.pop("server_version")
        load_seconds = time.perf_counter() - started
        results = {}
        for kind, address in (("sqlite", str(path)), ("postgresql", url)):
            print(f"searching on {kind} …", file=sys.stderr)
            database = open_database(address)
            try:
                results[kind] = measure(database)
            finally:
                database.close()
    finally:
        server.stop()
    text = render(args, meta, results, counts, load_seconds)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"written to {args.output}", file=sys.stderr)
    return 0


def copy_to_server(path: Path, server) -> tuple[str, dict]:
    """A new database on ``server`` with every row of the SQLite file at ``path``."""
    from sqlalchemy import text

    from reception import search_index
    from reception.db import open_database

    name = server.create_database()
    url = server.url(name)
    open_database(url).close()  # migrated: the schema, and the one branch
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    counts: dict[str, int] = {}
    with server.admin(name) as target:
        # Loading as the superuser with the triggers (and foreign-key checks) off, as a
        # restore does; the search's own structures are rebuilt below.
        target.execute("SET session_replication_role = replica")
        target.execute("SET reception.branch = '1'")
        tables = [row[0] for row in source.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not row[0].startswith(SKIPPED)]
        for table in tables:
            columns = _server_columns(target, table)
            if not columns or target.execute(f"SELECT EXISTS (SELECT 1 FROM {table})"
                                             ).fetchone()[0]:
                continue
            names = [row[1] for row in source.execute(f"PRAGMA table_info({table})")
                     if row[1] in columns]
            quoted = ", ".join(f'"{column}"' for column in names)
            with target.cursor().copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {quoted} FROM {table}"):
                    copy.write_row([_value(value, columns[column])
                                    for value, column in zip(row, names, strict=True)])
            counts[table] = target.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if "id" in columns:
                target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"max(id)) FROM {table} HAVING max(id) IS NOT NULL")
        counts["server_version"] = target.execute("SHOW server_version").fetchone()[0]
    source.close()
    database = open_database(url)
    try:
        with database.write() as session:
            search_index.pause(session)
        with database.write() as session:
            search_index.resume(session)
            session.execute(text("ANALYZE"))
    finally:
        database.close()
    return url, counts


def _server_columns(target, table: str) -> dict[str, str]:
    """The table's columns on the server and their types, without generated ones."""
    return {row[0]: row[1] for row in target.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'",
        (table,))}


def _value(value, data_type: str):
    if value is None:
        return None
    if data_type == "boolean":
        return bool(value)
    if data_type.startswith("timestamp") and isinstance(value, str) and "+" not in value:
        return value + "+00"  # SQLite keeps UTC times without their zone
    return value


def queries(database) -> tuple[list[str], list[str]]:
    """The bench's typed queries: phones, last four digits; names, initials."""
    samples = bench.sample_customers(database)
    phones = [phone for phone, _name, _initials in samples]
    phones += [phone[-4:] for phone, _name, _initials in samples]
    names = [name for _phone, name, _initials in samples]
    names += [initials for _phone, _name, initials in samples[:4]]
    return phones, names


def measure(database) -> dict:
    from reception.customers import search

    phones, names = queries(database)
    out: dict = {"keystroke_phone": [], "keystroke_name": [], "rows": {}}
    for _warm in range(2):  # the first pass pays statement compilation and a cold cache
        for key, typed in (("keystroke_phone", phones), ("keystroke_name", names)):
            out[key] = []
            for query in typed:
                for end in range(1, len(query) + 1):
                    with database.read() as session:
                        started = time.perf_counter()
                        found = search(session, query[:end])
                        out[key].append((time.perf_counter() - started) * 1000)
                    out["rows"][query[:end]] = [row.id for row in found]
    from sqlalchemy import text

    out["empty_read"] = []
    for _ in range(300):
        started = time.perf_counter()
        with database.read() as session:
            session.execute(text("SELECT 1")).scalar()
        out["empty_read"].append((time.perf_counter() - started) * 1000)
    out["ranking"] = ranking.measure(database)
    for _customer_id, phone, name in ranking.recent_sample(database):
        for query in (phone[-4:], name):
            with database.read() as session:
                out["rows"][query] = [row.id for row in search(session, query)]
    return out


def render(args, meta, results: dict, counts: dict, load_seconds: float) -> str:
    sqlite, server = results["sqlite"], results["postgresql"]
    same = sum(1 for query, ids in sqlite["rows"].items() if server["rows"].get(query) == ids)
    differ = [query for query, ids in sqlite["rows"].items() if server["rows"].get(query) != ids]
    lines = [
        "# Customer search on both stores",
        "",
        f"- when: {bench.datetime.now(bench.UTC).isoformat(timespec='seconds')}",
        f"- machine: {bench.machine()}; PostgreSQL {meta['server_version']}",
        f"- data: `reception demo --customers {args.customers} --visits {args.visits} "
        f"--seed {args.seed}` (SQLite), copied to PostgreSQL with every row "
        f"({counts.get('customer', 0):,} customers, {counts.get('visit', 0):,} visits; "
        f"copy and rebuild {load_seconds:.0f} s); clock at {meta['now']}",
        f"- command: `python tests/bench/search_stores.py --customers {args.customers} "
        f"--visits {args.visits}`",
        "- per keystroke: `customers.search` for each prefix of the typed queries, one read "
        "transaction each (wall time, in this process; the server on the same machine over "
        "TCP), second pass of two; load average of the machine at the end "
        f"{' / '.join(f'{load:.1f}' for load in bench.os.getloadavg())} (1 / 5 / 15 min)",
        "",
        "| measure | SQLite | PostgreSQL | target | |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key, label in (("keystroke_phone", "per keystroke, by phone digits"),
                       ("keystroke_name", "per keystroke, by name / initials")):
        lines.append(_timing_row(label, sqlite[key], server[key]))
    lines.append(_timing_row("ranking look-ups (last 4 digits, full name)",
                             sqlite["ranking"]["timings"], server["ranking"]["timings"]))
    lines.append(_timing_row("the floor: an empty read transaction (SELECT 1)",
                             sqlite["empty_read"], server["empty_read"], target=False))
    for key, label in (("recent_tail", "right customer first, last 4 digits"),
                       ("recent_name", "right customer first, full name")):
        lines.append(f"| {label} (n={sqlite['ranking'][key]['n']}) | "
                     f"{sqlite['ranking'][key]['first']:.1%} | "
                     f"{server['ranking'][key]['first']:.1%} | | |")
    verdict = "ok" if not differ else "DIFFER"
    lines.append(f"| same rows in the same order | {same} of {len(sqlite['rows'])} queries "
                 f"| | all | {verdict} |")
    if differ:
        lines += ["", "Queries whose rows differ: " + ", ".join(repr(q) for q in differ[:20])]
    return "\n".join(lines) + "\n"


def _timing_row(label: str, sqlite: list[float], server: list[float], *,
                target: bool = True) -> str:
    def cell(values: list[float]) -> str:
        return (f"p50 {bench.percentile(values, 0.5):.1f} ms, "
                f"p99 {bench.percentile(values, 0.99):.1f} ms (n={len(values)})")

    if not target:
        return f"| {label} | {cell(sqlite)} | {cell(server)} | | — |"
    ok = max(bench.percentile(sqlite, 0.99), bench.percentile(server, 0.99)) <= TARGET_MS
    return (f"| {label} | {cell(sqlite)} | {cell(server)} | p99 ≤ {TARGET_MS:.0f} ms | "
            f"{bench.verdict(ok)} |")


if __name__ == "__main__":
    sys.exit(main())
