"""Load test: counters at once on one store, registering walk-ins, closing deals and lending
keys, for a while (issue 15).

    python tests/bench/load.py [--store sqlite|postgresql|both] [--counters 10]
                               [--seconds 60] [--db PATH_OR_URL]

Each counter is a process of its own, as at a chain's desks: it signs nothing in, it only
writes through the store (``reception.db``), one unit of work per save, and times each save.
Without ``--db`` it makes a fresh store: a SQLite file in a temp folder, or a database on a
PostgreSQL server it starts from the machine's packages (``tests/helpers/postgres.py``).

Reported: saves per second, the p50/p99 of a save, writes lost or duplicated (every phone a
counter registered is on file once, case numbers are unique and without gaps, a key has one
holder at a time), and errors any counter saw. Written to ``bench-results/load.md``.
This is a script, not a test: pytest does not collect it.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench-results" / "load.md"
TARGET_SAVE_P99_MS = 50

COUNTER = r"""
import json, random, sys, time
from reception import keys, triage
from reception.db import open_database
from reception.errors import ReceptionError

address, number, seconds, receptionist, consultant, key_id = sys.argv[1:7]
number, seconds = int(number), float(seconds)
database = open_database(address)
rng = random.Random(number)
done = {"registered": [], "deals": [], "lent": 0, "returned": 0, "refused": 0,
        "errors": [], "saves_ms": []}
waiting = []
serial = 0
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    action = rng.choice(["walk_in", "walk_in", "deal", "key"])
    started = time.perf_counter()
    try:
        with database.write() as session:
            if action == "walk_in":
                phone = f"13{number:02d}{serial:07d}"
                visit, _customer, _created = triage.triage_new_customer(
                    session, name=f"顾客{number}-{serial}", phone=phone,
                    by=int(receptionist))
                serial += 1
                waiting.append(visit.id)
                result = ("registered", phone)
            elif action == "deal" and waiting:
                visit = triage.record_outcome(session, waiting.pop(0), outcome="deal",
                                              items="光子嫩肤", by=int(receptionist))
                result = ("deals", visit.customer_id)
            elif action == "key":
                if keys.open_loan(session, int(key_id)) is None:
                    keys.lend(session, key_id=int(key_id), staff_id=int(consultant),
                              by=int(receptionist), purpose=f"counter {number}")
                    result = ("lent", 1)
                else:
                    keys.return_key(session, key_id=int(key_id), by=int(receptionist))
                    result = ("returned", 1)
            else:
                continue
    except ReceptionError as refusal:
        if refusal.message_key.startswith("db."):
            done["errors"].append(str(refusal))
        else:
            done["refused"] += 1
        continue
    except Exception as error:  # reported, never hidden
        done["errors"].append(f"{type(error).__name__}: {error}")
        continue
    done["saves_ms"].append((time.perf_counter() - started) * 1000)
    name, value = result
    if isinstance(done[name], list):
        done[name].append(value)
    else:
        done[name] += value
print(json.dumps(done))
"""


def prepare(address: str) -> tuple[int, list[int], list[int]]:
    """A clinic with a receptionist and consultants on today's rota and some keys."""
    from models import Role
    from reception import auth, keys, staff
    from reception.clock import clock
    from reception.db import open_database

    database = open_database(address)
    with database.write() as session:
        manager = auth.first_run_setup(session, clinic_name="压力测试", manager_name="经理",
                                       pin="135790")
        receptionist = staff.add_staff(session, name="前台", role=Role.RECEPTIONIST,
                                       pin="1234", by=manager.id)
        consultants = [staff.add_staff(session, name=f"咨询{n}", role=Role.CONSULTANT,
                                       pin="1234", by=manager.id) for n in range(4)]
        staff.set_rota(session, clock.today(), [receptionist.id, *(c.id for c in consultants)],
                       by=manager.id)
        keys.ensure_default_keys(session, by=manager.id)
        key_ids = [key.id for key in keys.list_keys(session)]
    database.close()
    return receptionist.id, [c.id for c in consultants], key_ids


def run(address: str, counters: int, seconds: float) -> dict:
    receptionist, consultants, key_ids = prepare(address)
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTER, address, str(n), str(seconds), str(receptionist),
             str(consultants[n % len(consultants)]), str(key_ids[n % len(key_ids)])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        for n in range(counters)
    ]
    reports, crashed = [], []
    for process in processes:
        out, err = process.communicate(timeout=seconds + 300)
        if process.returncode != 0:
            crashed.append(err.strip().splitlines()[-1] if err.strip() else "crashed")
            continue
        reports.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.monotonic() - started
    return summarise(address, reports, crashed, elapsed)


def summarise(address: str, reports: list[dict], crashed: list[str], elapsed: float) -> dict:
    from sqlalchemy import text

    from reception.db import open_database

    database = open_database(address)
    with database.read() as session:
        phones = Counter(session.execute(text("SELECT phone FROM customer")).scalars())
        case_numbers = sorted(session.execute(text(
            "SELECT case_number FROM customer WHERE case_number IS NOT NULL")).scalars())
        events = session.execute(text(
            "SELECT key_id, kind FROM key_event ORDER BY id")).all()
    database.close()
    registered = [phone for report in reports for phone in report["registered"]]
    lost = [phone for phone in registered if phones[phone] == 0]
    doubled = [phone for phone, count in phones.items() if count > 1]
    by_day: dict[str, list[int]] = {}
    for number in case_numbers:
        by_day.setdefault(number[:8], []).append(int(number[8:]))
    # By number, not as text: the day's sequence grows wider past its padding.
    gaps = sum(1 for seqs in by_day.values() if sorted(seqs) != list(range(1, len(seqs) + 1)))
    holders: dict[int, int] = {}
    overlaps = 0
    for key_id, kind in events:
        holders[key_id] = holders.get(key_id, 0) + (1 if kind == "out" else -1)
        overlaps += holders[key_id] > 1
    saves = sorted(ms for report in reports for ms in report["saves_ms"])
    errors = [error for report in reports for error in report["errors"]] + crashed
    return {
        "store": "postgresql" if "://" in address else "sqlite",
        "counters": len(reports) + len(crashed),
        "seconds": round(elapsed, 1),
        "saves": len(saves),
        "saves_per_second": round(len(saves) / elapsed, 1),
        "save_p50_ms": round(statistics.median(saves), 1) if saves else None,
        "save_p99_ms": round(saves[int(len(saves) * 0.99) - 1], 1) if saves else None,
        "lost": len(lost), "duplicated": len(doubled), "case_number_gaps": gaps,
        "key_overlaps": overlaps, "errors": len(errors), "first_error": errors[:1],
        "refused_by_rules": sum(report["refused"] for report in reports),
    }


def stores(choice: str):
    if choice in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="reception-load-"))
        yield str(folder / "load.db"), None
    if choice in ("postgresql", "both"):
        from tests.helpers.postgres import start_server

        server = start_server()
        if server is None:
            print("no PostgreSQL server on this machine: skipped", file=sys.stderr)
            return
        try:
            yield server.url(server.create_database()), server
        finally:
            server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--counters", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", help="an existing empty store instead of a fresh one")
    args = parser.parse_args()
    results = []
    chosen = [(args.db, None)] if args.db else stores(args.store)
    for address, _server in chosen:
        result = run(address, args.counters, args.seconds)
        results.append(result)
        print(json.dumps(result, ensure_ascii=False))
    lines = [
        f"# Load test — {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.counters} counter processes for {args.seconds:.0f} s, each save one unit of "
        "work (walk-in, deal, key lent or returned).",
        "",
        "| store | saves/s | save p50 | save p99 (target ≤ "
        f"{TARGET_SAVE_P99_MS} ms) | lost | duplicated | case-number gaps | key overlaps "
        "| errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        lines.append(f"| {r['store']} | {r['saves_per_second']} | {r['save_p50_ms']} ms | "
                     f"{r['save_p99_ms']} ms | {r['lost']} | {r['duplicated']} | "
                     f"{r['case_number_gaps']} | {r['key_overlaps']} | {r['errors']} |")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    bad = any(r["lost"] or r["duplicated"] or r["case_number_gaps"] or r["key_overlaps"]
              or r["errors"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
