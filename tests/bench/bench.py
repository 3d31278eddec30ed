"""Benchmark: ``reception`` at the size of a busy clinic after ten years (issues 8, 14, 15).

    python tests/bench/bench.py [--customers 200000 --visits 1000000] [--seed 1]
                                [--cache DIR] [--rounds 5] [--sqlite-only]
                                [--quiet-lock /work/quiet.lock]

Builds the demo database once (``reception demo --customers N --visits N``; cached by
size and seed under ``--cache``, default ``$TMPDIR/reception-bench``), copies it to a working
file at the newest schema and every row of it to a PostgreSQL server started for the run
(``server_copy``: initdb as the ``postgres`` user into a temp folder, COPY), and measures on
each store, each in its own process so memory and start-up are the app's own (the app is
given the file or the server's ``postgresql://`` address, as ``--db`` gives it):

- time to the first interactive screen (sign-in) and to the dashboard (signed in), against
  a bare Textual app that shows one label, in the same run (median of ``--rounds``);
- search as you type by phone digits (whole numbers, and the last four digits) and by
  name: per-keystroke latency p50/p99 through Pilot on the F2 screen, the results update,
  and the domain search function alone;
- the ranking (issue 14): for recent returning customers, how often the right one is first
  (and within the first 5) when searched by the last four digits or the full name
  (``tests/bench/ranking.py`` states the sample); and whether both stores give the same rows
  in the same order for every query typed;
- the night check (reconciliation) of one day, callback list generation, the report of
  one day;
- peak memory (max RSS) of the app process; database size and generation time;
- the PIN's cost: one offline guess (one scrypt at the stored cost) and one sign-in at the
  counter (``auth.sign_in_with_pin``: the hash, the lock check and the commit).

It prints a table (``table.py``) with both stores side by side that states the machine, and
writes it to ``bench-results/latest.md``. The clock is set (``RECEPTION_NOW``) to the time
the database was made, so "today" in the data is today for every measurement, however old
the cached file is. This is a script, not a test: pytest does not collect it.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.table import TZ  # noqa: E402

RESULTS = ROOT / "bench-results" / "latest.md"
SIZE = (80, 24)
READY = b"READY\n"


# --- the parent: build, run the children, report -----------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="start-up runs of each app")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "reception-bench")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--sqlite-only", action="store_true",
                        help="no PostgreSQL server (on a machine without one)")
    parser.add_argument("--quiet-lock", type=Path, help="the machine's lock file: shared "
                        "while data is made or copied, exclusive while timing")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child_mode(args.child, args.db)

    from tests.bench import server_copy, table

    quiet = server_copy.Quiet(args.quiet_lock)
    work = args.cache / "bench-work.db"
    server = None
    try:
        with quiet.shared():
            database, meta = ensure_database(args.customers, args.visits, args.seed,
                                             args.cache)
            addresses = {"sqlite": str(work)}
            if not args.sqlite_only:
                print("copying the demo database to a PostgreSQL server …", file=sys.stderr)
                server = server_copy.start_server()
            # At the newest schema before anything is timed; in a child of its own.
            url, meta["server"] = server_copy.in_child(server_copy.prepare, database, work,
                                                       server)
            if url is not None:
                addresses["postgresql"] = url
        meta["sqlite_mb"] = work.stat().st_size / 2**20
        with quiet.exclusive():
            measured = measure_stores(addresses, args.rounds, child_env(meta["now"]))
    finally:
        if server is not None:
            server.stop()
        server_copy.remove_store(work)
    text = table.render(args, meta, measured)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"written to {args.output}", file=sys.stderr)
    return 0


def measure_stores(addresses: dict[str, str], rounds: int, env: dict[str, str]) -> dict:
    """Every measure on each store (``addresses``: kind → file or server address)."""
    measured = {kind: {"startup": {"signin": [], "dashboard": []}, "memory": {}}
                for kind in addresses}
    bare: list[float] = []
    bare_mb = 0.0
    print(f"start-up: {rounds} rounds of bare / sign-in / dashboard on "
          f"{' and '.join(addresses)} …", file=sys.stderr)
    for _ in range(rounds):
        seconds, peak_mb = time_to_ready("bare", next(iter(addresses.values())), env)
        bare.append(seconds)
        bare_mb = max(bare_mb, peak_mb)
        for kind, address in addresses.items():
            for mode in ("signin", "dashboard"):
                seconds, peak_mb = time_to_ready(mode, address, env)
                measured[kind]["startup"][mode].append(seconds)
                memory = measured[kind]["memory"]
                memory[mode] = max(memory.get(mode, 0.0), peak_mb)
    for kind, address in addresses.items():
        store = measured[kind]
        store["startup"]["bare"], store["memory"]["bare"] = bare, bare_mb
        print(f"{kind}: search as you type …", file=sys.stderr)
        store["search"], store["memory"]["search"] = child_json("search", address, env)
        print(f"{kind}: night check, callbacks, report …", file=sys.stderr)
        store["day_work"], _ = child_json("domain", address, env)
        print(f"{kind}: PIN cost: offline guess, sign-in …", file=sys.stderr)
        store["pins"], _ = child_json("pins", address, env)
    return measured


def ensure_database(customers: int, visits: int, seed: int, cache: Path) -> tuple[Path, dict]:
    """The demo database of this size and seed: made once, then reused."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"demo-{customers}-{visits}-seed{seed}.db"
    sidecar = path.with_suffix(".json")
    if path.exists() and sidecar.exists():
        meta = json.loads(sidecar.read_text())
        meta["reused"] = True
        print(f"reusing {path} (made {meta['made']})", file=sys.stderr)
        return path, meta
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    sidecar.unlink(missing_ok=True)
    # The data's "today", 15:00 at the clinic: busy, with people in the building.
    now = datetime.now(UTC).astimezone(_zone()).replace(hour=15, minute=0, second=0,
                                                        microsecond=0).isoformat()
    command = [sys.executable, "-m", "reception.cli", "demo", "--db", str(path),
               "--customers", str(customers), "--visits", str(visits), "--seed", str(seed)]
    print(f"making {path}: {' '.join(command[2:])} …", file=sys.stderr)
    started = time.perf_counter()
    code, peak_mb, _out, err = run(command, child_env(now))
    seconds = time.perf_counter() - started
    if code != 0:
        sys.exit(f"reception demo failed ({code}): {err.strip()}")
    meta = {"made": datetime.now(UTC).isoformat(timespec="seconds"), "now": now,
            "generation_seconds": round(seconds, 1), "generation_peak_mb": round(peak_mb, 1),
            "customers": customers, "visits": visits, "seed": seed, "reused": False}
    sidecar.write_text(json.dumps(meta, indent=1))
    return path, meta


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(TZ)


def child_env(now: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEXTUAL")}
    env.pop("LC_ALL", None)
    env.update(RECEPTION_TZ=TZ, RECEPTION_NOW=now, LANG="zh_CN.UTF-8", PYTHONPATH=str(ROOT))
    return env


def run(command: list[str], env: dict[str, str]) -> tuple[int, float, str, str]:
    """Run to the end; exit code, peak RSS (MB), stdout, stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        code, peak_mb = wait(process)
        out.seek(0)
        err.seek(0)
        return code, peak_mb, out.read().decode(errors="replace"), err.read().decode(
            errors="replace")


def wait(process: subprocess.Popen) -> tuple[int, float]:
    """Wait for a child and return its exit code and its own peak RSS in MB."""
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024  # Linux: KiB


def child_command(mode: str, database: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--db",
            str(database)]


def time_to_ready(mode: str, database: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from starting the process to its first screen being up; peak RSS (MB)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(child_command(mode, database), stdout=subprocess.PIPE,
                                   stderr=err, env=env, cwd=ROOT)
        line = process.stdout.readline()
        seconds = time.perf_counter() - started
        process.stdout.read()
        code, peak_mb = wait(process)
        if line != READY or code != 0:
            err.seek(0)
            sys.exit(f"{mode} app did not start ({code}): {err.read().decode()[-2000:]}")
    return seconds, peak_mb


def child_json(mode: str, database: Path, env: dict[str, str]) -> tuple[dict, float]:
    code, peak_mb, out, err = run(child_command(mode, database), env)
    if code != 0:
        sys.exit(f"{mode} child failed ({code}): {err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1]), peak_mb


# --- the children: each measures inside its own process ----------------------------------


def run_child_mode(mode: str, database: str) -> int:
    sys.path.insert(0, str(ROOT))
    if mode in ("bare", "signin", "dashboard"):
        return child_start(mode, database)
    if mode == "search":
        return child_search(database)
    if mode == "domain":
        return child_domain(database)
    if mode == "pins":
        return child_pins(database)
    raise SystemExit(f"unknown child mode {mode}")


def say_ready() -> None:
    # Straight to the file descriptor: Textual captures sys.stdout while it runs.
    os.write(1, READY)


def child_start(mode: str, database: str) -> int:
    if mode == "bare":
        from textual.app import App
        from textual.widgets import Label

        class Bare(App):
            def compose(self):
                yield Label("reception")

        app, wanted = Bare(), None
    elif mode == "signin":
        # As `reception` starts: the app is given the file or the server's address and
        # opens the store itself (a file is checked first, as `reception.cli.run_app` does).
        from pathlib import Path

        from reception.location import check_file, looks_like_url
        from screens.app import ReceptionApp

        if looks_like_url(database):
            app = ReceptionApp(db_path=database)
        else:
            check_file(Path(database))
            app = ReceptionApp(db_path=Path(database))
        wanted = "SignInScreen"
    else:
        from reception.db import open_database
        from screens.app import ReceptionApp

        db = open_database(database)
        app = ReceptionApp(db, sign_in_as=first_staff(db, "receptionist"))
        wanted = "DashboardScreen"

    def interactive() -> bool:
        if wanted is None:
            return True
        if type(app.screen).__name__ != wanted:
            return False
        if wanted == "SignInScreen":  # up, and its staff list filled: she can type
            from textual.widgets import OptionList

            lists = app.screen.query("#staff-list").results(OptionList)
            return any(staff_list.option_count > 0 for staff_list in lists)
        return True

    async def when_ready(pilot) -> None:
        # Poll the event loop itself, not pilot.pause(): Pilot waits for the whole process
        # to be idle, and the store opening in its background thread is not the screen.
        import asyncio

        for _ in range(5000):
            if interactive():
                break
            await asyncio.sleep(0.002)
        say_ready()
        app.exit()

    app.run(headless=True, size=SIZE, auto_pilot=when_ready)
    return 0


def first_staff(db, role: str):
    from sqlmodel import select

    from models import Staff

    with db.read() as session:
        return session.exec(select(Staff).where(Staff.role == role, Staff.active)
                            .order_by(Staff.id).limit(1)).first()


def sample_customers(db, count: int = 8) -> list[tuple[str, str, str]]:
    """(phone, name, initials) of customers spread over the whole table."""
    from sqlalchemy import text

    with db.read() as session:
        highest = session.execute(text("SELECT max(id) FROM customer")).scalar() or 0
        found = []
        for step in range(1, count + 1):
            row = session.execute(
                text("SELECT phone, name, name_initials FROM customer WHERE id >= :id "
                     "ORDER BY id LIMIT 1"), {"id": highest * step // (count + 1)}).first()
            if row:
                found.append(tuple(row))
    return found


def child_search(database: str) -> int:
    import asyncio

    from reception.db import open_database

    db = open_database(database)
    samples = sample_customers(db)
    phone_queries = [phone for phone, _name, _initials in samples]
    # The seed's way to find a returning customer: the last four digits.
    phone_queries += [phone[-4:] for phone, _name, _initials in samples]
    name_queries = [name for _phone, name, _initials in samples]
    name_queries += [initials for _phone, _name, initials in samples[:4]]
    results: dict = {"notes": []}
    notes = results["notes"]

    try:
        from reception.customers import search
    except ImportError:
        search = None
        notes.append("reception.customers.search missing: domain search not measured")
    if search is not None:
        from tests.bench import ranking

        results["ranking"] = ranking.measure(db)
        notes.append(ranking.NOTE)
        for key, queries in (("domain_phone", phone_queries), ("domain_name", name_queries)):
            timings = results.setdefault(key, [])
            for query in queries:
                for end in range(1, len(query) + 1):
                    with db.read() as session:
                        started = time.perf_counter()
                        found = search(session, query[:end])
                        timings.append((time.perf_counter() - started) * 1000)
                    results["ranking"]["rows"][query[:end]] = [row.id for row in found]

    async def bare_input() -> None:
        """The floor: the same keystrokes into a bare Textual app's Input, via Pilot."""
        from textual.app import App
        from textual.widgets import Input

        class BareInput(App):
            def compose(self):
                yield Input(id="box")

        app = BareInput()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            box = app.query_one("#box", Input)
            box.focus()
            timings = results.setdefault("pilot_bare", [])
            for query in phone_queries + name_queries:
                box.value = ""
                await pilot.pause()
                for character in query:
                    _wall, cpu = await timed_press(pilot, character)
                    timings.append(cpu)

    async def through_pilot() -> None:
        from textual.widgets import Input

        from screens.app import ReceptionApp

        app = ReceptionApp(db, sign_in_as=first_staff(db, "receptionist"))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            await pilot.press("c")  # returning customer: the search (as you type) opens
            await pilot.pause()
            screen = app.screen
            if not screen.query("#search"):
                notes.append("F2 → c shows no #search input: Pilot search not measured "
                             "(domain search measured instead)")
                return
            box = screen.query_one("#search", Input)
            if app.focused is not box:
                notes.append("F2 → c did not focus the search input: Pilot search not "
                             "measured")
                return
            debounce = getattr(sys.modules.get(type(screen).__module__), "SEARCH_DEBOUNCE",
                               None)
            if debounce:
                notes.append(f"the F2 screen searches {debounce * 1000:.0f} ms after the "
                             "last keystroke (debounce); 'results update' is that search and "
                             "the redraw of the list, run once after each keystroke in place "
                             "of the timer, so the two are measured apart; a key that lands "
                             "while a search runs waits at most the sum of the two")
            update = getattr(screen, "run_search", None)
            for key, queries in (("phone", phone_queries), ("name", name_queries)):
                keystrokes = results.setdefault(f"pilot_{key}", [])
                walls = results.setdefault("pilot_wall", [])
                updates = results.setdefault(f"pilot_update_{key}", [])
                for query in queries:
                    box.value = ""
                    await pilot.pause(0.2)
                    for character in query:
                        wall, cpu = await timed_press(pilot, character)
                        keystrokes.append(cpu)
                        walls.append(wall)
                        # Pilot's own share: a key nothing is bound to, on the same screen.
                        _wall, idle_cpu = await timed_press(pilot, "f13")
                        results.setdefault("pilot_noop", []).append(idle_cpu)
                        if update is not None:
                            # The debounced search itself, run once here instead of by its
                            # timer: the query and the list (wall time), then the redraw it
                            # causes (CPU time, as above).
                            if getattr(screen, "search_timer", None) is not None:
                                screen.search_timer.stop()
                            started = time.perf_counter()
                            update()
                            searched = time.perf_counter() - started
                            cpu_before = time.process_time()
                            await pilot.pause()
                            redraw = time.process_time() - cpu_before
                            updates.append([searched * 1000, redraw * 1000])
                    if box.value != query:
                        notes.append(f"typed {query!r} but the box shows {box.value!r}")
            if update is None:
                notes.append("F2 screen has no run_search(): results update not measured")

    asyncio.run(bare_input())
    asyncio.run(through_pilot())
    print(json.dumps(results))
    return 0


async def timed_press(pilot, key: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one ``pilot.press``.

    Pilot waits for the app to go idle by sleeping in 20 ms steps, so its wall time is
    mostly Pilot's own; the process's CPU time in that span is the app's work for the key.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def child_domain(database: str) -> int:
    from datetime import timedelta

    from reception.clock import clock
    from reception.db import open_database

    db = open_database(database)
    manager = first_staff(db, "manager")
    today = clock.today()
    yesterday = today - timedelta(days=1)
    results: dict = {"notes": [], "labels": []}

    def measure(key: str, label: str, work, *, write: bool = False, rounds: int = 6) -> None:
        timings = []
        for _ in range(rounds):
            with (db.write() if write else db.read()) as session:
                started = time.perf_counter()
                work(session)
                timings.append((time.perf_counter() - started) * 1000)
        results[key] = timings
        results["labels"].append((key, label))

    try:
        from reception import reconcile
    except ImportError:
        reconcile = None
        results["notes"].append("reception.reconcile missing: night check not measured")
    if reconcile is not None and hasattr(reconcile, "day_report"):
        measure("reconcile_today", "night check of today (findings + counts)",
                lambda session: reconcile.day_report(session, today))
        measure("reconcile_yesterday", "night check of yesterday (a whole day)",
                lambda session: reconcile.day_report(session, yesterday))
        if hasattr(reconcile, "report_lines"):
            measure("report_yesterday", "report of one day (text, as `reception report`)",
                    lambda session: reconcile.report_lines(reconcile.day_report(
                        session, yesterday)))
    try:
        from reception import callbacks
    except ImportError:
        callbacks = None
        results["notes"].append("reception.callbacks missing: callback list not measured")
    if callbacks is not None and hasattr(callbacks, "generate"):
        tomorrow = today + timedelta(days=1)
        # Tomorrow's list is new (today's new customers); today's exists: idempotent run.
        measure("callbacks_new", "callback list generation (new: tomorrow's, first run)",
                lambda session: callbacks.generate(session, tomorrow, by=manager.id),
                write=True, rounds=1)
        measure("callbacks_today", "callback list generation + list of today",
                lambda session: (callbacks.generate(session, today, by=manager.id),
                                 callbacks.day_list(session, today)), write=True)
    print(json.dumps(results))
    return 0



# --- the PIN's cost (issue 13) ------------------------------------------------------------


def measure_pin_costs(database: str, rounds: int = 7) -> dict[str, list[float]]:
    """Milliseconds of one offline guess (scrypt at the cost a new PIN is stored with) and
    of one sign-in at the counter (``auth.sign_in_with_pin`` on ``database``: the hash, the
    lock check and the commit), ``rounds`` times each: CPU time of this process (what the
    work costs, whoever else shares the machine) and wall time."""
    import hashlib

    from reception import auth
    from reception.db import open_database
    from reception.demo import DEMO_PIN

    def timed(work) -> tuple[float, float]:
        cpu, wall = time.process_time(), time.perf_counter()
        work()
        return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000

    salt, cost = os.urandom(16), auth.PRODUCTION_COST
    guesses = [timed(lambda guess=guess: hashlib.scrypt(
        f"{guess:04d}".encode(), salt=salt, n=cost.n, r=cost.r, p=cost.p,
        maxmem=auth.SCRYPT_MAXMEM)) for guess in range(rounds)]
    db = open_database(database)
    try:
        receptionist = first_staff(db, "receptionist")
        # The first may hash an older PIN again: not counted.
        sign_ins = [timed(lambda: auth.sign_in_with_pin(
            db, staff_id=receptionist.id, pin=DEMO_PIN, terminal="bench"))
            for _ in range(rounds + 1)][1:]
    finally:
        db.close()
    return {"guess_cpu": [cpu for cpu, _ in guesses], "guess_wall": [w for _, w in guesses],
            "sign_in_cpu": [cpu for cpu, _ in sign_ins],
            "sign_in_wall": [w for _, w in sign_ins]}


def child_pins(database: str) -> int:
    print(json.dumps(measure_pin_costs(database)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
