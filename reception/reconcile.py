"""Night reconciliation: the findings and counts of one day, paper counts, the report CLI.

Seed 002 §10: "晚班的同事负责把当天的顾客资料对一遍,看是否有漏记的". Every query here is
bounded by the day and uses an index (visit.day, appointment.day, message.day, callback
due_day/status, the unique case_number index), and counts are made in SQL, so checking a
day stays fast on a database of a million visits.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

import arrow
from sqlalchemy import case, func
from sqlmodel import Session, col, select

from models import (
    Appointment,
    AppointmentStatus,
    Call,
    CaseNumberDay,
    Customer,
    DayEvent,
    Message,
    Outcome,
    PaperCount,
    Staff,
    Visit,
)
from reception import areas, audit, callbacks, days, keys, settings
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t

#: At most this many findings of one kind are listed (the rest are counted in one line).
FINDINGS_LIMIT = 200
#: The days the night check can be moved to (a mistyped year, or stepping past the last
#: date Python knows, must not end the program).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
#: The largest count the paper register can hold (a slip of the finger adds a digit).
PAPER_COUNT_MAX = 1_000_000
#: The totals the night staff copies from the paper register, in display order.
PAPER_COUNT_NAMES = ("visits", "new", "returning", "deals", "calls", "messages")
class ReconcileError(ReceptionError):
    """A night-check rule said no (bad paper count, bad date, …)."""


@dataclass(frozen=True)
class Finding:
    """One thing the night staff must look at; ``detail`` fills the message's text."""

    kind: str
    record_type: str
    record_id: int | None
    detail: dict = field(default_factory=dict)

    @property
    def area(self) -> str:
        return areas.area_of_record(self.record_type)

    def text(self) -> str:
        """The translated line (plain text: customer names are data, not markup)."""
        params = dict(self.detail)
        if "missing" in params:
            params["missing"] = ", ".join(t(f"reconcile.field.{name}")
                                          for name in params["missing"])
        if "count" in params:
            params["count"] = t(f"reconcile.count.{params['count']}")
        if self.kind == "more":
            params["kind"] = t(f"reconcile.kind.{params['kind']}")
        return t(f"reconcile.finding.{self.kind}", **params)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "record_type": self.record_type,
                "record_id": self.record_id, "area": self.area, "text": self.text(),
                "detail": self.detail}


@dataclass
class Counts:
    visits: int = 0
    new: int = 0
    returning: int = 0
    deals: int = 0
    calls: int = 0
    messages: int = 0
    # (staff id or None, name, visits) — None is "no consultant".
    per_consultant: list[tuple[int | None, str, int]] = field(default_factory=list)

    def total(self, name: str) -> int:
        return getattr(self, name)


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
            "findings": [{"kind": f.kind, "record_type": f.record_type,
                          "record_id": f.record_id, "detail": f.detail}
                         for f in self.findings],
        }


# --- time helpers -----------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day's start and the next day's start, in UTC (for time-indexed columns)."""
    start = arrow.Arrow(day.year, day.month, day.day, tzinfo=clock.tz)
    return start.to("utc").datetime, start.shift(days=1).to("utc").datetime


def _hhmm(when: datetime | None) -> str:
    return clock.local(when).format("HH:mm") if when else "--:--"


def day_has_ended(session: Session, day: date) -> bool:
    """A past day, or today after closing time (the closing_time setting)."""
    today = clock.today()
    if day != today:
        return day < today
    closing = settings.get(session, "closing_time") or "21:00"
    try:
        hour, minute = (int(part) for part in str(closing).split(":"))
        closes_at = time(hour, minute)
    except ValueError:
        closes_at = time(21, 0)
    return clock.now().time() >= closes_at


# --- counts -----------------------------------------------------------------------------


def count_day(session: Session, day: date) -> Counts:
    visits, new, deals = session.exec(
        select(
            func.count(Visit.id),
            func.coalesce(func.sum(case((col(Visit.is_new).is_(True), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Visit.outcome == Outcome.DEAL, 1), else_=0)), 0),
        ).where(Visit.day == day)
    ).one()
    calls = session.exec(select(func.count(Call.id)).where(Call.day == day)).one()
    messages = session.exec(select(func.count(Message.id)).where(Message.day == day)).one()
    per_consultant = session.exec(
        select(Visit.consultant_id, Staff.name, func.count(Visit.id))
        .outerjoin(Staff, Staff.id == Visit.consultant_id)
        .where(Visit.day == day)
        .group_by(Visit.consultant_id, Staff.name)
        .order_by(func.count(Visit.id).desc(), Staff.name)
    ).all()
    return Counts(
        visits=visits, new=new, returning=visits - new, deals=deals, calls=calls,
        messages=messages,
        per_consultant=[(staff_id, name or "", n) for staff_id, name, n in per_consultant],
    )


def paper_counts(session: Session, day: date) -> dict[str, int]:
    rows = session.exec(select(PaperCount).where(PaperCount.day == day)).all()
    return {row.name: row.value for row in rows}


def set_paper_count(
    session: Session, day: date, name: str, value: int | str | None, *, by: int | None
) -> None:
    """Store (or, with None / "", clear) one count copied from the paper register."""
    days.ensure_open(session, day)
    if name not in PAPER_COUNT_NAMES:
        raise ReconcileError("reconcile.unknown_count", name=name)
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            value = None
        elif not (value.isascii() and value.isdigit()):
            raise ValidationError("paper", "reconcile.paper_not_number", value=value)
        else:
            value = int(value)
    if value is not None and value < 0:
        raise ValidationError("paper", "reconcile.paper_not_number", value=value)
    if value is not None and value > PAPER_COUNT_MAX:
        raise ValidationError("paper", "reconcile.paper_too_big", value=value,
                              most=PAPER_COUNT_MAX)
    row = session.exec(
        select(PaperCount).where(PaperCount.day == day, PaperCount.name == name)
    ).first()
    if value is None:
        if row is not None:
            session.delete(row)
    else:
        row = row or PaperCount(day=day, name=name, created_at=clock.now_utc(),
                                created_by_id=by)
        row.value = value
        session.add(row)
    session.flush()
    audit.record(session, by=by, action="paper_count", record_type="paper_count",
                 record_id=row.id if row is not None else None, day=day.isoformat(),
                 name=name, value=value)


# --- findings ---------------------------------------------------------------------------


def _limited(rows: list, limit: int = FINDINGS_LIMIT) -> tuple[list, bool]:
    return rows[:limit], len(rows) > limit


def incomplete_visits(session: Session, day: date) -> list[Finding]:
    """Visits missing a name, phone, consultant, outcome or departure time."""
    no_name = func.trim(Customer.name) == ""
    no_phone = func.trim(Customer.phone) == ""
    rows = session.exec(
        select(Visit, Customer.name, Customer.phone)
        .join(Customer, Customer.id == Visit.customer_id)
        .where(Visit.day == day)
        .where(no_name | no_phone | col(Visit.consultant_id).is_(None)
               | col(Visit.outcome).is_(None) | (Visit.outcome == "")
               | col(Visit.departed_at).is_(None))
        .order_by(Visit.arrived_at, Visit.id)
        .limit(FINDINGS_LIMIT + 1)
    ).all()
    findings = []
    for visit, name, phone in rows:
        missing = [label for label, absent in (
            ("name", not name.strip()), ("phone", not phone.strip()),
            ("consultant", visit.consultant_id is None), ("outcome", not visit.outcome),
            ("departure", visit.departed_at is None)) if absent]
        findings.append(Finding("visit_incomplete", "visit", visit.id, {
            "time": _hhmm(visit.arrived_at), "name": name, "missing": missing}))
    return findings


def deals_without_case_number(session: Session, day: date) -> list[Finding]:
    rows = session.exec(
        select(Visit, Customer)
        .join(Customer, Customer.id == Visit.customer_id)
        .where(Visit.day == day, Visit.outcome == Outcome.DEAL)
        .where(col(Customer.case_number).is_(None) | (Customer.case_number == ""))
        .order_by(Visit.arrived_at, Visit.id)
        .limit(FINDINGS_LIMIT + 1)
    ).all()
    return [Finding("deal_no_case_number", "visit", visit.id,
                    {"time": _hhmm(visit.arrived_at), "name": customer.name})
            for visit, customer in rows]


def case_number_findings(session: Session, day: date) -> list[Finding]:
    """Gaps, duplicates and malformed numbers among the day's case numbers.

    A case number is ``YYYYMMDD`` plus the day's sequence: two digits up to 99, three
    after. A number handed out (case_number_day.last_seq) but held by nobody is a gap.
    """
    prefix = day.strftime("%Y%m%d")
    rows = session.exec(
        select(Customer.id, Customer.name, Customer.case_number)
        .where(Customer.case_number >= prefix, Customer.case_number < prefix + ":")
        .order_by(Customer.case_number)
        .limit(2000)
    ).all()
    findings: list[Finding] = []
    holders: dict[int, list[tuple[int, str, str]]] = {}
    for customer_id, name, number in rows:
        suffix = number[len(prefix):]
        sequence = int(suffix) if suffix.isascii() and suffix.isdigit() else None
        well_formed = sequence is not None and sequence > 0 and (
            len(suffix) == 2 if sequence <= 99 else len(suffix) == 3)
        if not well_formed:
            findings.append(Finding("case_number_malformed", "customer", customer_id,
                                    {"number": number, "name": name}))
        if sequence is not None and sequence > 0:
            holders.setdefault(sequence, []).append((customer_id, name, number))
    for sequence, held in sorted(holders.items()):
        if len(held) > 1:
            findings.append(Finding("case_number_duplicate", "customer", held[1][0], {
                "sequence": sequence, "numbers": ", ".join(number for _, _, number in held),
                "names": ", ".join(name for _, name, _ in held)}))
    issued = session.get(CaseNumberDay, day)
    highest = max([*holders, issued.last_seq if issued else 0], default=0)
    gaps = [sequence for sequence in range(1, highest + 1) if sequence not in holders]
    for sequence in gaps[:FINDINGS_LIMIT + 1]:
        findings.append(Finding("case_number_gap", "case_number", None,
                                {"number": f"{prefix}{sequence:02d}"}))
    return findings


def appointment_findings(session: Session, day: date) -> list[Finding]:
    """No-shows (still booked when the day has ended) and arrivals never triaged."""
    findings: list[Finding] = []
    name_of = func.coalesce(Customer.name, Appointment.name)
    if day_has_ended(session, day):
        rows = session.exec(
            select(Appointment, name_of)
            .outerjoin(Customer, Customer.id == Appointment.customer_id)
            .where(Appointment.day == day, Appointment.status == AppointmentStatus.BOOKED)
            .order_by(Appointment.scheduled_at)
            .limit(FINDINGS_LIMIT + 1)
        ).all()
        findings += [Finding("no_show", "appointment", appointment.id, {
            "number": appointment.number, "name": name or "",
            "time": _hhmm(appointment.scheduled_at)}) for appointment, name in rows]
    # visit.appointment_id has no index: look only among the day's visits (ix_visit_day).
    triaged = (select(Visit.id).where(Visit.day == Appointment.day,
                                      Visit.appointment_id == Appointment.id))
    rows = session.exec(
        select(Appointment, name_of)
        .outerjoin(Customer, Customer.id == Appointment.customer_id)
        .where(Appointment.day == day, Appointment.status == AppointmentStatus.ARRIVED)
        .where(~triaged.exists())
        .order_by(Appointment.scheduled_at)
        .limit(FINDINGS_LIMIT + 1)
    ).all()
    findings += [Finding("not_triaged", "appointment", appointment.id, {
        "number": appointment.number, "name": name or "",
        "time": _hhmm(appointment.arrived_at or appointment.scheduled_at)})
        for appointment, name in rows]
    return findings


def messages_not_relayed(session: Session, day: date) -> list[Finding]:
    rows = session.exec(
        select(Message, Staff.name)
        .outerjoin(Staff, Staff.id == Message.recipient_id)
        .where(Message.day == day, col(Message.relayed_at).is_(None))
        .order_by(Message.created_at)
        .limit(FINDINGS_LIMIT + 1)
    ).all()
    return [Finding("message_not_relayed", "message", message.id, {
        "time": _hhmm(message.created_at), "caller": message.caller_name,
        "recipient": recipient or ""}) for message, recipient in rows]


def keys_not_returned(session: Session, day: date) -> list[Finding]:
    """Keys still out that were lent on this day or before."""
    return [Finding("key_out", "key_event", out.loan.id, {
        "key": out.key.name, "holder": out.holder.name if out.holder else "",
        "time": clock.local(out.loan.at).format("MM-DD HH:mm")})
        for out in keys.keys_out(session) if out.loan.day <= day][:FINDINGS_LIMIT + 1]


def callbacks_not_attempted(session: Session, day: date) -> list[Finding]:
    """Callbacks whose call was due by the end of ``day`` and not made (never tried, or a
    retry that day that was not made); one moved to a later day is not a finding."""
    return [Finding("callback_not_attempted", "callback", entry.callback_id,
                    {"name": entry.customer_name, "due": entry.due_day.isoformat()})
            for entry in callbacks.not_done(session, day, limit=FINDINGS_LIMIT + 1)]


def paper_differences(counts: Counts, paper: dict[str, int]) -> list[Finding]:
    return [Finding("paper_mismatch", "paper_count", None, {
        "count": name, "records": counts.total(name), "paper": paper[name]})
        for name in PAPER_COUNT_NAMES if name in paper and paper[name] != counts.total(name)]


CHECKS = (incomplete_visits, deals_without_case_number, case_number_findings,
          appointment_findings, messages_not_relayed, keys_not_returned,
          callbacks_not_attempted)


#: Checks of the present state (keys out now, callbacks not yet tried): a day still to
#: come has none of its own.
LIVE_CHECKS = (keys_not_returned, callbacks_not_attempted)


def find_all(session: Session, day: date) -> list[Finding]:
    findings: list[Finding] = []
    for check in CHECKS:
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
    return DayReport(day=day, counts=counts, paper=paper, findings=findings,
                     signed_off=signed_off_info(session, day))


def sign_off(session: Session, day: date, *, by: int) -> DayEvent:
    """Sign the day off with its counts and findings as they are now."""
    return days.sign_off(session, day, by=by, snapshot=day_report(session, day).snapshot())


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
        "findings": [finding.as_dict() for finding in report.findings],
    }


def report_csv(report: DayReport) -> str:
    """One row per count and per finding: section,kind,record_type,record_id,value,text."""
    from reception.spreadsheet import csv_text

    rows = [["count", name, "", "", report.counts.total(name), report.paper.get(name, ""),
             t("reconcile.count." + name)] for name in PAPER_COUNT_NAMES]
    rows += [["consultant", name, "staff", staff_id or "", number, "", ""]
             for staff_id, name, number in report.counts.per_consultant]
    rows += [["finding", finding.kind, finding.record_type, finding.record_id or "", "", "",
              finding.text()] for finding in report.findings]
    # A consultant's name or a finding's customer text never becomes a live formula.
    return csv_text(["section", "name", "record_type", "record_id", "value", "paper", "text"],
                    rows)
