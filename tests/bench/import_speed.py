"""Benchmark: ``reception import customers`` of a 50,000-row sheet into a fresh store, on
each store (the target: under a minute). Moved here from the tests: speed is measured in
the benchmark, never in a timed test.

    python tests/bench/import_speed.py [--rows 50000] [--store sqlite|postgresql|both]

Writes ``bench-results/import.md``. A script, not a test.
"""

import argparse
import io
import platform
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench-results" / "import.md"
TARGET_S = 60

from tests.helpers.sheets import many_customers, write_csv  # noqa: E402


def timed_import(address: str, file: Path) -> tuple[float, str]:
    from reception import auth, cli
    from reception.db import open_database

    database = open_database(address)
    with database.write() as session:
        auth.first_run_setup(session, clinic_name="导入", manager_name="经理", pin="135790")
    database.close()
    out = io.StringIO()
    started = time.perf_counter()
    with redirect_stdout(out):
        code = cli.main(["--lang", "en", "--db", address, "import", "customers", str(file)])
    seconds = time.perf_counter() - started
    return seconds, out.getvalue().strip().splitlines()[-1] if code == 0 else f"exit {code}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reception-import-"))
    file = write_csv(folder / "customers.csv", many_customers(args.rows))
    results = []
    if args.store in ("sqlite", "both"):
        results.append(("sqlite", *timed_import(str(folder / "import.db"), file)))
    if args.store in ("postgresql", "both"):
        from tests.helpers.postgres import start_server

        server = start_server()
        if server is None:
            print("no PostgreSQL server on this machine: skipped", file=sys.stderr)
        else:
            try:
                results.append(("postgresql",
                                 *timed_import(server.url(server.create_database()), file)))
            finally:
                server.stop()
    lines = [f"# Import — {time.strftime('%Y-%m-%d %H:%M')}", "",
             f"{platform.node()}, Python {platform.python_version()}: a sheet of {args.rows:,} "
             "customers imported into a fresh store.", "",
             f"| store | seconds (target < {TARGET_S}) | said |", "| --- | --- | --- |"]
    lines += [f"| {store} | {seconds:.1f} | {said} |" for store, seconds, said in results]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if all(seconds < TARGET_S and "imported" in said for _s, seconds, said in results) \
        else 1


if __name__ == "__main__":
    sys.exit(main())
