"""What the night check finds in one day's records (seed 002 §10): visits left open, deals
without a case number, gaps in the case numbers, appointments, messages, keys and
callbacks left undone, and counts that differ from the paper register.

Every query is bounded by the day and uses an index, so checking a day stays fast on a
database of a million visits.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import (
    Appointment,
    AppointmentStatus,
    Customer,
    Message,
    Outcome,
    Staff,
    Visit,
)
from reception import areas, callbacks, case_numbers, keys
from reception.clock import clock
from reception.day_counts import PAPER_COUNT_NAMES, Counts, day_has_ended
from reception.i18n import t

#: At most this many findings of one kind are listed (the rest are counted in one line).
FINDINGS_LIMIT = 200




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


def _hhmm(when: datetime | None) -> str:
    return clock.local(when).format("HH:mm") if when else "--:--"


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
    prefix = case_numbers.day_prefix(day)
    rows = session.exec(
        select(Customer.id, Customer.name, Customer.case_number)
        .where(Customer.case_number >= prefix, Customer.case_number < prefix + ":")
        .order_by(Customer.case_number)
        .limit(2000)
    ).all()
    findings: list[Finding] = []
    holders: dict[int, list[tuple[int, str, str]]] = {}
    for customer_id, name, number in rows:
        sequence = case_numbers.sequence_of(number, day)
        if case_numbers.parse(number) != (day, sequence):
            findings.append(Finding("case_number_malformed", "customer", customer_id,
                                    {"number": number, "name": name}))
        if sequence is not None and sequence > 0:
            holders.setdefault(sequence, []).append((customer_id, name, number))
    for sequence, held in sorted(holders.items()):
        if len(held) > 1:
            findings.append(Finding("case_number_duplicate", "customer", held[1][0], {
                "sequence": sequence, "numbers": ", ".join(number for _, _, number in held),
                "names": ", ".join(name for _, name, _ in held)}))
    highest = max([*holders, case_numbers.last_issued(session, day)], default=0)
    gaps = [sequence for sequence in range(1, highest + 1) if sequence not in holders]
    for sequence in gaps[:FINDINGS_LIMIT + 1]:
        findings.append(Finding("case_number_gap", "case_number", None,
                                {"number": case_numbers.case_number(day, sequence)}))
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
