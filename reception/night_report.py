"""The night check's report of one day (counts, findings, who signed it off) as text, JSON
and CSV (``reception report``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from reception.clock import clock
from reception.day_counts import PAPER_COUNT_NAMES, Counts
from reception.i18n import t
from reception.night_findings import Finding


@dataclass
class SignOff:
    by_name: str
    at: datetime


@dataclass
class DayReport:
    day: date
    counts: Counts
    paper: dict[str, int]
    findings: list[Finding]
    signed_off: SignOff | None = None
    #: The stays' cashier totals of the day, per method (``stay_findings.cashier_lines``).
    cashier: list[dict] = field(default_factory=list)
    #: The day's logbook entries by kind (struck-out ones left out), and drinks served.
    logbook: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not self.findings

    def snapshot(self) -> dict:
        """What a sign-off stores: the counts and findings at that moment."""
        return {
            "day": self.day.isoformat(),
            "counts": {**{name: self.counts.total(name) for name in PAPER_COUNT_NAMES},
                       "per_consultant": [list(row) for row in self.counts.per_consultant]},
            "paper": self.paper,
            "logbook": self.logbook,
            "findings": [{"kind": f.kind, "record_type": f.record_type,
                          "record_id": f.record_id, "detail": f.detail}
                         for f in self.findings],
        }


# --- the report command -----------------------------------------------------------------
def report_lines(report: DayReport) -> list[str]:
    counts = report.counts
    lines = [t("reconcile.report_title", day=report.day.isoformat())]
    if report.signed_off:
        lines.append(t("reconcile.signed_off_by", name=report.signed_off.by_name,
                       at=clock.local(report.signed_off.at).format("YYYY-MM-DD HH:mm")))
    lines.append("")
    lines.append(t("reconcile.counts"))
    for name in PAPER_COUNT_NAMES:
        line = f"  {t('reconcile.count.' + name)}: {counts.total(name)}"
        if name in report.paper:
            line += "  " + t("reconcile.paper_is", paper=report.paper[name])
        lines.append(line)
    lines.append(t("reconcile.per_consultant"))
    for _staff_id, name, number in counts.per_consultant:
        lines.append(f"  {name or t('reconcile.no_consultant')}: {number}")
    if report.cashier:
        lines.append(t("stays.report.cashier"))
        for row in report.cashier:
            lines.append("  " + t("stays.report.method_line",
                                  method=t(f"stays.method.{row['method']}"),
                                  count=row["count"], total=f"{row['total'] / 100:,.2f}",
                                  fee=f"{row['fee'] / 100:,.2f}"))
    if report.logbook:
        lines.append(t("reconcile.logbook_line", counts=t("reconcile.logbook_separator").join(
            f"{name} {number}" for name, number in report.logbook.items())))
    lines.append("")
    if report.clean:
        lines.append(t("reconcile.clean"))
    else:
        lines.append(t("reconcile.findings_n", n=len(report.findings)))
        lines += [f"  - {finding.text()}" for finding in report.findings]
    return lines


def report_dict(report: DayReport) -> dict:
    counts = report.counts
    return {
        "day": report.day.isoformat(),
        "clean": report.clean,
        "signed_off": None if report.signed_off is None else {
            "by": report.signed_off.by_name, "at": report.signed_off.at.isoformat()},
        "counts": {**{name: counts.total(name) for name in PAPER_COUNT_NAMES},
                   "per_consultant": [{"staff_id": staff_id, "name": name, "visits": n}
                                      for staff_id, name, n in counts.per_consultant]},
        "paper": report.paper,
        "logbook": report.logbook,
        "findings": [finding.as_dict() for finding in report.findings],
        "stays_cashier": report.cashier,
    }


def report_csv(report: DayReport) -> str:
    """One row per count and per finding: section,kind,record_type,record_id,value,text."""
    from reception.spreadsheet import csv_text

    rows = [["count", name, "", "", report.counts.total(name), report.paper.get(name, ""),
             t("reconcile.count." + name)] for name in PAPER_COUNT_NAMES]
    rows += [["consultant", name, "staff", staff_id or "", number, "", ""]
             for staff_id, name, number in report.counts.per_consultant]
    rows += [["cashier", row["method"], "stay_payment", "", row["total"], "",
              t(f"stays.method.{row['method']}")] for row in report.cashier]
    rows += [["logbook", name, "", "", number, "", ""] for name, number in report.logbook.items()]
    rows += [["finding", finding.kind, finding.record_type, finding.record_id or "", "", "",
              finding.text()] for finding in report.findings]
    # A consultant's name or a finding's customer text never becomes a live formula.
    return csv_text(["section", "name", "record_type", "record_id", "value", "paper", "text"],
                    rows)
