"""Benchmark: the customer search per keystroke on both stores, at the benchmark's size.

    python tests/bench/search_stores.py [--customers 200000 --visits 1000000] [--seed 1]

The same data on both: the benchmark's demo database (``bench.ensure_database``: made once
by ``reception demo``, cached), and a copy of every row of it on a PostgreSQL server started
for the run, loaded with COPY and the search structures rebuilt as after a bulk load
(``server_copy``, shared with ``bench.py``).

On each store, in one process, the clock at the data's "today":

- per keystroke: ``customers.search`` for every prefix of the bench's queries (phones, the
  last four digits, names, initials of customers spread over the table), as typed;
- the ranking look-ups of ``tests/bench/ranking.py`` (recent returning customers by the last
  four digits and by full name) and their timings;
- whether both stores give the same rows in the same order for every one of those queries.

Writes ``bench-results/search-stores.md``. A script, not a test.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import bench, ranking, server_copy, table  # noqa: E402

RESULTS = ROOT / "bench-results" / "search-stores.md"
TARGET_MS = 16.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir())
                        / "reception-bench")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--quiet-lock", type=Path, help="the machine's lock file: shared "
                        "while copying, exclusive while timing")
    args = parser.parse_args(argv)

    from reception.clock import clock
    from reception.db import open_database

    quiet = server_copy.Quiet(args.quiet_lock)
    cached, meta = bench.ensure_database(args.customers, args.visits, args.seed, args.cache)
    path = args.cache / "search-stores-work.db"
    clock.tz = table.TZ
    clock.set(meta["now"], frozen=True)
    server = server_copy.start_server()
    try:
        with quiet.shared():
            # At the newest schema, as the server's copy will be.
            server_copy.migrated_copy(cached, path)
            print("copying the demo database to the server …", file=sys.stderr)
            url, counts = server_copy.copy_to_server(path, server)
        meta["server_version"] = counts.pop("server_version")
        load_seconds = counts.pop("seconds")
        counts.pop("database_mb")
        results = {}
        with quiet.exclusive():
            for kind, address in (("sqlite", str(path)), ("postgresql", url)):
                print(f"searching on {kind} …", file=sys.stderr)
                database = open_database(address)
                try:
                    results[kind] = measure(database)
                finally:
                    database.close()
    finally:
        server.stop()
        server_copy.remove_store(path)
    text = render(args, meta, results, counts, load_seconds)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"written to {args.output}", file=sys.stderr)
    return 0


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
    out["rows"].update(out["ranking"].pop("rows"))
    return out


def render(args, meta, results: dict, counts: dict, load_seconds: float) -> str:
    sqlite, server = results["sqlite"], results["postgresql"]
    same = sum(1 for query, ids in sqlite["rows"].items() if server["rows"].get(query) == ids)
    differ = [query for query, ids in sqlite["rows"].items() if server["rows"].get(query) != ids]
    lines = [
        "# Customer search on both stores",
        "",
        f"- when: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- machine: {table.machine()}; PostgreSQL {meta['server_version']}",
        f"- data: `reception demo --customers {args.customers} --visits {args.visits} "
        f"--seed {args.seed}` (SQLite), copied to PostgreSQL with every row "
        f"({counts.get('customer', 0):,} customers, {counts.get('visit', 0):,} visits; "
        f"copy and rebuild {load_seconds:.0f} s); clock at {meta['now']}",
        f"- command: `python tests/bench/search_stores.py --customers {args.customers} "
        f"--visits {args.visits}`",
        "- per keystroke: `customers.search` for each prefix of the typed queries, one read "
        "transaction each (wall time, in this process; the server on the same machine over "
        "TCP), second pass of two; load average of the machine at the end "
        f"{' / '.join(f'{load:.1f}' for load in os.getloadavg())} (1 / 5 / 15 min)",
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
        return (f"p50 {table.percentile(values, 0.5):.1f} ms, "
                f"p99 {table.percentile(values, 0.99):.1f} ms (n={len(values)})")

    if not target:
        return f"| {label} | {cell(sqlite)} | {cell(server)} | | — |"
    ok = max(table.percentile(sqlite, 0.99), table.percentile(server, 0.99)) <= TARGET_MS
    return (f"| {label} | {cell(sqlite)} | {cell(server)} | p99 ≤ {TARGET_MS:.0f} ms | "
            f"{table.verdict(ok)} |")


if __name__ == "__main__":
    sys.exit(main())
