"""Night reconciliation: one day's report (counts, paper counts, findings) and its sign-off.

The parts live by concept in ``day_counts``, ``night_findings`` and ``night_report``; the
names screens and the CLI use are all reachable here.

Seed 002 §10: "晚班的同事负责把当天的顾客资料对一遍,看是否有漏记的". Every query here is
bounded by the day and uses an index (visit.day, appointment.day, message.day, callback
due_day/status, the unique case_number index), and counts are made in SQL, so checking a
day stays fast on a database of a million visits.
"""

from datetime import date

from sqlmodel import Session

from models import (
    DayEvent,
    Staff,
)
from reception import days, logbook, logbook_findings
from reception.clock import clock
from reception.day_counts import (
    FIRST_DAY,
    LAST_DAY,
    PAPER_COUNT_NAMES,
    ReconcileError,
    count_day,
    paper_counts,
    parse_day,
    set_paper_count,
)
from reception.night_findings import (
    CHECKS,
    FINDINGS_LIMIT,
    LIVE_CHECKS,
    Finding,
    case_number_findings,
    paper_differences,
)
from reception.night_report import DayReport, SignOff, report_csv, report_dict, report_lines

#: What screens, the CLI and other modules use, wherever it is defined.
__all__ = [
    "DayReport",
    "FINDINGS_LIMIT",
    "FIRST_DAY",
    "Finding",
    "LAST_DAY",
    "PAPER_COUNT_NAMES",
    "ReconcileError",
    "case_number_findings",
    "count_day",
    "day_report",
    "find_all",
    "paper_counts",
    "parse_day",
    "report_csv",
    "report_dict",
    "report_lines",
    "set_paper_count",
    "sign_off",
    "signed_off_info",
]


def find_all(session: Session, day: date) -> list[Finding]:
    from reception import stay_findings

    findings: list[Finding] = []
    for check in (*CHECKS, *logbook_findings.CHECKS, *stay_findings.CHECKS):
        if day > clock.today() and check in LIVE_CHECKS:
            continue
        found = check(session, day)
        by_kind: dict[str, int] = {}
        for finding in found:
            by_kind[finding.kind] = by_kind.get(finding.kind, 0) + 1
            if by_kind[finding.kind] <= FINDINGS_LIMIT:
                findings.append(finding)
        for kind, number in by_kind.items():
            if number > FINDINGS_LIMIT:
                findings.append(Finding("more", "", None,
                                        {"kind": kind, "limit": FINDINGS_LIMIT}))
    return findings


def signed_off_info(session: Session, day: date) -> SignOff | None:
    event: DayEvent | None = days.latest_event(session, day)
    if event is None or event.kind != "signoff":
        return None
    staff = session.get(Staff, event.created_by_id) if event.created_by_id else None
    return SignOff(by_name=staff.name if staff else "", at=event.created_at)


def day_report(session: Session, day: date | None = None) -> DayReport:
    """Everything the night check shows for ``day`` (default today)."""
    day = day or clock.today()
    counts = count_day(session, day)
    paper = paper_counts(session, day)
    findings = find_all(session, day) + paper_differences(counts, paper)
    from reception import stay_findings

    return DayReport(day=day, counts=counts, paper=paper, findings=findings,
                     signed_off=signed_off_info(session, day),
                     logbook=logbook.counts(session, day),
                     cashier=stay_findings.cashier_lines(session, day))


def sign_off(session: Session, day: date, *, by: int | None) -> DayEvent:
    """Sign the day off with its counts and findings as they are now."""
    return days.sign_off(session, day, by=by, snapshot=day_report(session, day).snapshot())
