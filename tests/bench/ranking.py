"""Benchmark: is the right customer first? (issue 14; run by ``bench.py``'s search child).

The sample: the returning customers of the latest visits — the distinct customers of the
``SAMPLE`` most recent visits with ``is_new = 0`` by arrival time (today's and the days
before), as a receptionist looks up a customer who is here or was just here. Each is
searched by the last four digits of her phone and by her full name, as typed; the row is
where she comes in the results (20 rows, as the F2 screen asks).

For context, not judged: the same for customers whose latest visit was 2 to 60 days ago
(``SAMPLE`` of them, the most recent first) — someone back after a while, who competes with
everyone seen since.
"""

import time

SAMPLE = 1000
TARGET_TAIL_FIRST = 0.90
TARGET_TAIL_TOP5 = 0.99
TARGET_NAME_FIRST = 0.80


def _recent_returning(session, count: int) -> list[tuple[int, str, str]]:
    from sqlalchemy import text

    rows = session.execute(text(
        "SELECT c.id, c.phone, c.name FROM customer c JOIN (SELECT customer_id, "
        "max(arrived_at) AS at FROM (SELECT customer_id, arrived_at FROM visit "
        "WHERE is_new = :returning ORDER BY arrived_at DESC LIMIT :visits) AS latest "
        "GROUP BY customer_id) r "
        "ON r.customer_id = c.id ORDER BY r.at DESC LIMIT :count"),
        {"visits": count * 3, "count": count, "returning": False}).all()
    return [tuple(row) for row in rows]


def _back_after_a_while(session, count: int, today) -> list[tuple[int, str, str]]:
    from datetime import timedelta

    from sqlalchemy import text

    # Stored times are UTC: the bounds are UTC midnights, near enough for "2 to 60 days".
    rows = session.execute(text(
        "SELECT id, phone, name FROM customer WHERE last_visit_at < :before "
        "AND last_visit_at >= :after ORDER BY last_visit_at DESC LIMIT :count"),
        {"before": f"{today - timedelta(days=1)} 00:00:00",
         "after": f"{today - timedelta(days=60)} 00:00:00", "count": count}).all()
    return [tuple(row) for row in rows]


def _positions(db, search, sample, query_of, rows: dict) -> tuple[list[int | None], list[float]]:
    positions, timings = [], []
    for customer_id, phone, name in sample:
        query = query_of(phone, name)
        with db.read() as session:
            started = time.perf_counter()
            found = search(session, query)
            timings.append((time.perf_counter() - started) * 1000)
        ids = rows[query] = [row.id for row in found]
        positions.append(ids.index(customer_id) if customer_id in ids else None)
    return positions, timings


def recent_sample(db) -> list[tuple[int, str, str]]:
    """The judged sample: (id, phone, name) of the recent returning customers."""
    with db.read() as session:
        return _recent_returning(session, SAMPLE)


def measure(db) -> dict:
    """Shares first / within 5 for each sample and query kind, the search timings, and
    the rows found for each query (``rows``: query → customer ids, in order)."""
    from reception.clock import clock
    from reception.customers import search

    with db.read() as session:
        samples = {"recent": _recent_returning(session, SAMPLE),
                   "after_a_while": _back_after_a_while(session, SAMPLE, clock.today())}
    results: dict = {"timings": [], "rows": {}}
    for sample_name, sample in samples.items():
        for kind, query_of in (("tail", lambda phone, _name: phone[-4:]),
                               ("name", lambda _phone, name: name)):
            positions, timings = _positions(db, search, sample, query_of, results["rows"])
            results["timings"] += timings
            count = len(positions)
            results[f"{sample_name}_{kind}"] = {
                "n": count,
                "first": sum(1 for p in positions if p == 0) / count if count else None,
                "top5": sum(1 for p in positions if p is not None and p < 5) / count
                if count else None,
                "missing": sum(1 for p in positions if p is None),
            }
    return results


def rows(ranking: dict, verdict, percentile) -> list[tuple]:
    """The benchmark table's rows for the ranking."""
    out: list[tuple] = []
    recent_tail, recent_name = ranking["recent_tail"], ranking["recent_name"]
    n = recent_tail["n"]
    out.append((f"returning customer by the last 4 digits: first (n={n}, recent visitors)",
                f"{recent_tail['first']:.1%}", f"≥ {TARGET_TAIL_FIRST:.0%}",
                verdict(recent_tail["first"] >= TARGET_TAIL_FIRST)))
    out.append(("returning customer by the last 4 digits: within the first 5",
                f"{recent_tail['top5']:.1%}", f"≥ {TARGET_TAIL_TOP5:.0%}",
                verdict(recent_tail["top5"] >= TARGET_TAIL_TOP5)))
    out.append((f"returning customer by full name: first (n={recent_name['n']})",
                f"{recent_name['first']:.1%} (within 5: {recent_name['top5']:.1%})",
                f"≥ {TARGET_NAME_FIRST:.0%}", verdict(recent_name["first"] >= TARGET_NAME_FIRST)))
    later_tail, later_name = ranking["after_a_while_tail"], ranking["after_a_while_name"]
    if later_tail["n"]:
        out.append((f"back after 2–60 days (context, n={later_tail['n']}): last 4 digits / "
                    "full name first",
                    f"{later_tail['first']:.1%} / {later_name['first']:.1%} (within 5: "
                    f"{later_tail['top5']:.1%} / {later_name['top5']:.1%})", "",
                    verdict(None)))
    timings = ranking["timings"]
    out.append((f"customers.search in these look-ups (n={len(timings)})",
                f"p50 {percentile(timings, 0.5):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms",
                "p99 ≤ 16 ms", verdict(percentile(timings, 0.99) <= 16.0)))
    return out


NOTE = ("ranking sample: the distinct returning customers (is_new = 0) of the latest visits "
        f"by arrival time, up to {SAMPLE} (today's and the days before: someone here or just "
        "here); each searched by the last 4 digits of her phone and by her full name, "
        "position among the 20 results. Context row: customers whose latest visit was 2–60 "
        "days before today, most recent first, searched the same way")
