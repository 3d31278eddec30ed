"""Benchmark: ``reception`` at the size of a busy clinic after ten years (issue 8).

    python tests/bench/bench.py [--customers 200000 --visits 1000000] [--seed 1]
                                [--cache DIR] [--rounds 5]

Builds the demo database once (``reception demo --customers N --visits N``; cached by
size and seed under ``--cache``, default ``$TMPDIR/reception-bench``) and measures, on a
fresh copy of it, each in its own process so memory and start-up are the app's own:

- time to the first interactive screen (sign-in) and to the dashboard (signed in), against
  a bare Textual app that shows one label, in the same run (median of ``--rounds``);
- search as you type by phone digits (whole numbers, and the last four digits) and by
  name: per-keystroke latency p50/p99 through Pilot on the F2 screen, and of the domain
  search function alone;
- the ranking (issue 14): for recent returning customers, how often the right one is first
  (and within the first 5) when searched by the last four digits or the full name
  (``tests/bench/ranking.py`` states the sample);
- (the same search on PostgreSQL, beside SQLite with the same data: ``search_stores.py``);
- the night check (reconciliation) of one day, callback list generation, the report of
  one day;
- peak memory (max RSS) of the app process; database size and generation time;
- the PIN's cost: one offline guess (one scrypt at the stored cost) and one sign-in at the
  counter (``auth.sign_in_with_pin``: the hash, the lock check and the commit).

It prints a table that states the machine and writes it to ``bench-results/latest.md``.
The clock is set (``RECEPTION_NOW``) to the time the database was made, so "today" in
the data is today for every measurement, however old the cached file is.
This is a script, not a test: pytest does not collect it.
"""

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench-results" / "latest.md"
TZ = "Asia/Shanghai"
SIZE = (80, 24)
READY = b"READY\n"
# Targets from issue 8.
TARGET_START_RATIO = 1.5
TARGET_KEYSTROKE_MS = 16.0
TARGET_DAY_MS = 100.0
TARGET_MEMORY_MB = 150.0
# Issue 13: guessing a PIN offline costs this much per guess; a sign-in stays under this.
TARGET_GUESS_MS = 100.0
TARGET_SIGN_IN_MS = 300.0


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
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return run_child_mode(args.child, args.db)

    notes: list[str] = []
    database, meta = ensure_database(args.customers, args.visits, args.seed, args.cache)
    work = args.cache / "bench-work.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(database, work)
    env = child_env(meta["now"])

    print(f"start-up: {args.rounds} rounds of bare / sign-in / dashboard …", file=sys.stderr)
    startup: dict[str, list[float]] = {"bare": [], "signin": [], "dashboard": []}
    memory: dict[str, float] = {}
    for _ in range(args.rounds):
        for mode in startup:
            seconds, peak_mb = time_to_ready(mode, work, env)
            startup[mode].append(seconds)
            memory[mode] = max(memory.get(mode, 0.0), peak_mb)

    print("search as you type …", file=sys.stderr)
    search, memory["search"] = child_json("search", work, env)
    notes += search.pop("notes", [])
    print("night check, callbacks, report …", file=sys.stderr)
    day_work, _ = child_json("domain", work, env)
    notes += day_work.pop("notes", [])
    print("PIN cost: offline guess, sign-in …", file=sys.stderr)
    pins, _ = child_json("pins", work, env)

    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    rows = result_rows(meta, startup, memory, search, day_work, database)
    rows += pin_rows(pins)
    text = render(args, meta, rows, notes)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"written to {args.output}", file=sys.stderr)
    return 0


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


# --- the report ---------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("ok" if ok else "MISSED")


def result_rows(meta, startup, memory, search, day_work, database: Path) -> list[tuple]:
    rows: list[tuple] = []
    bare = statistics.median(startup["bare"])
    for mode, label, target in (("signin", "first interactive screen (sign-in)", True),
                                ("dashboard", "dashboard, signed in without a PIN", False)):
        median = statistics.median(startup[mode])
        ratio = median / bare
        rows.append((f"start: {label}", f"{median * 1000:.0f} ms = {ratio:.2f}× bare "
                     f"({bare * 1000:.0f} ms)", f"≤ {TARGET_START_RATIO}×" if target else "",
                     verdict(ratio <= TARGET_START_RATIO) if target else verdict(None)))
    if search.get("pilot_noop"):
        # The app's own work for a key: the press less what Pilot spends on an unbound key
        # on the same screen (its idle check visits every widget).
        pilot_cost = statistics.median(search["pilot_noop"])
        for key in ("phone", "name"):
            if search.get(f"pilot_{key}"):
                search[f"app_{key}"] = [max(cpu - pilot_cost, 0.0)
                                        for cpu in search[f"pilot_{key}"]]
            if search.get(f"pilot_update_{key}"):
                search[f"update_{key}"] = [searched + max(redraw - pilot_cost, 0.0)
                                           for searched, redraw in search[f"pilot_update_{key}"]]
                del search[f"pilot_update_{key}"]
    for key, label in (("pilot_bare", "keystroke into a bare Textual Input (CPU)"),
                       ("app_phone", "F2 search by phone: the app's work per keystroke"),
                       ("app_name", "F2 search by name: the app's work per keystroke"),
                       ("pilot_phone", "F2 search by phone: per keystroke incl. Pilot (CPU)"),
                       ("pilot_name", "F2 search by name: per keystroke incl. Pilot (CPU)"),
                       ("pilot_noop", "F2 unbound key: Pilot's own cost (CPU)"),
                       ("update_phone", "F2 search by phone: results update"),
                       ("update_name", "F2 search by name: results update"),
                       ("domain_phone", "customers.search by phone digits"),
                       ("domain_name", "customers.search by name / initials")):
        values = search.get(key)
        if not values:
            continue
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        # Measures that include Pilot's own work are shown for reference, not judged.
        judged = not key.startswith("pilot_") or key == "pilot_bare"
        rows.append((label, f"p50 {p50:.1f} ms, p99 {p99:.1f} ms (n={len(values)})",
                     f"p99 ≤ {TARGET_KEYSTROKE_MS:.0f} ms" if judged else "",
                     verdict(p99 <= TARGET_KEYSTROKE_MS) if judged else verdict(None)))
    if search.get("ranking"):
        from tests.bench import ranking

        rows += ranking.rows(search["ranking"], verdict, percentile)
    for key, label in (("phone", "F2 by phone: a key that lands as the search runs"),
                       ("name", "F2 by name: a key that lands as the search runs")):
        if search.get(f"app_{key}") and search.get(f"update_{key}"):
            # At worst the key waits for the whole update, then is handled: p99 + p99.
            worst = (percentile(search[f"app_{key}"], 0.99)
                     + percentile(search[f"update_{key}"], 0.99))
            rows.append((label, f"≤ {worst:.1f} ms (p99 of the key + p99 of the update)",
                         f"≤ {TARGET_KEYSTROKE_MS:.0f} ms",
                         verdict(worst <= TARGET_KEYSTROKE_MS)))
    if search.get("pilot_wall"):
        walls = search["pilot_wall"]
        rows.append(("F2 keystroke, Pilot wall time (incl. its idle waits)",
                     f"p50 {percentile(walls, 0.5):.0f} ms, p99 {percentile(walls, 0.99):.0f} ms",
                     "", verdict(None)))
    for key, label in day_work.get("labels", []):
        runs = day_work[key]
        median = statistics.median(runs)
        rows.append((label, f"{median:.1f} ms (first run {runs[0]:.1f} ms, n={len(runs)})",
                     f"≤ {TARGET_DAY_MS:.0f} ms", verdict(median <= TARGET_DAY_MS)))
    app_peak = max(memory["signin"], memory["dashboard"], memory["search"])
    rows.append(("peak memory of the app process", f"{app_peak:.0f} MB (bare Textual "
                 f"{memory['bare']:.0f} MB; sign-in {memory['signin']:.0f}, dashboard "
                 f"{memory['dashboard']:.0f}, F2 search {memory['search']:.0f})",
                 f"≤ {TARGET_MEMORY_MB:.0f} MB", verdict(app_peak <= TARGET_MEMORY_MB)))
    size_mb = database.stat().st_size / 2**20
    rows.append(("database file", f"{size_mb:.0f} MB ({meta['customers']:,} customers, "
                 f"{meta['visits']:,} visits)", "", verdict(None)))
    rows.append(("generation (`reception demo`)", f"{meta['generation_seconds']:.0f} s, peak "
                 f"{meta.get('generation_peak_mb', 0):.0f} MB"
                 + (" (cached file)" if meta.get("reused") else ""), "", verdict(None)))
    return rows


def machine() -> str:
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 2**20:.0f} GiB memory"
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    return (f"{platform.platform()}; {cpu}; {os.cpu_count()} CPUs{memory}; Python "
            f"{platform.python_version()}; SQLite {sqlite3.sqlite_version}; Textual "
            f"{textual.__version__}")


def render(args, meta, rows, notes) -> str:
    width = max(len(row[0]) for row in rows)
    value_width = max(len(row[1]) for row in rows)
    lines = [
        "# reception benchmark",
        "",
        f"- when: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- machine: {machine()}",
        f"- data: `reception demo --customers {meta['customers']} --visits {meta['visits']} "
        f"--seed {meta['seed']}`, clock at {meta['now']} ({TZ})",
        f"- command: `python tests/bench/bench.py --customers {args.customers} --visits "
        f"{args.visits} --rounds {args.rounds}`",
        "- apps run headless at 80×24; start-up is wall time from starting the process to "
        "the first screen mounted and idle (median of the rounds)",
        "- per keystroke: the app process's CPU time during `pilot.press` of one key (Pilot "
        "itself sleeps in 20 ms steps until the app is idle, so its wall time is shown "
        "apart); the bare-Input line is the floor of Textual + Pilot on this machine; "
        "'the app's work' is that less the median CPU time of pressing an unbound key on "
        "the same screen (Pilot's idle check visits every widget, which a real terminal "
        "never pays)",
        "- results update: the F2 screen's debounced search run directly (query and list, "
        "wall time) plus the CPU time of the redraw it causes, less Pilot's own cost",
        "- day measures: median of the runs in one process; the first run also pays "
        "statement compilation and a cold page cache",
        "",
        f"| {'measure'.ljust(width)} | {'result'.ljust(value_width)} | target | |",
        f"| {'-' * width} | {'-' * value_width} | --- | --- |",
    ]
    lines += [f"| {a.ljust(width)} | {b.ljust(value_width)} | {c} | {d} |" for a, b, c, d in rows]
    if notes:
        lines += ["", "Notes:", ""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


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
        # As `reception` starts: the app is given the path and opens the store itself.
        from pathlib import Path

        from reception.location import check_file
        from screens.app import ReceptionApp

        check_file(Path(database))
        app, wanted = ReceptionApp(db_path=Path(database)), "SignInScreen"
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
                        search(session, query[:end])
                        timings.append((time.perf_counter() - started) * 1000)

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


if __name__ == "__main__":
    sys.exit(main())


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


def pin_rows(pins: dict[str, list[float]]) -> list[tuple]:
    median = {key: statistics.median(values) for key, values in pins.items()}
    return [
        ("PIN: one offline guess (scrypt at the stored cost), CPU",
         f"{median['guess_cpu']:.0f} ms (min {min(pins['guess_cpu']):.0f}; wall "
         f"{median['guess_wall']:.0f} ms; n={len(pins['guess_cpu'])})",
         f"≥ {TARGET_GUESS_MS:.0f} ms", verdict(median["guess_cpu"] >= TARGET_GUESS_MS)),
        ("PIN: one sign-in at the counter (hash, lock check, commit), CPU",
         f"{median['sign_in_cpu']:.0f} ms (max {max(pins['sign_in_cpu']):.0f}; wall "
         f"{median['sign_in_wall']:.0f} ms; n={len(pins['sign_in_cpu'])})",
         f"< {TARGET_SIGN_IN_MS:.0f} ms", verdict(median["sign_in_cpu"] < TARGET_SIGN_IN_MS)),
    ]
