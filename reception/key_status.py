"""What is out now: each key's open loan, how long it has been out, and its flag
(overdue, not back after closing).

A key is lent at most once at a time, so the only loan that can be open for a key is its
latest ``out`` entry; ``keys_out`` therefore reads one short index range per key and stays
quick however long the log grows.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, func, select

from models import Customer, KeyEvent, KeyEventKind, RoomKey, Staff
from reception import key_purposes
from reception.clock import clock
from reception.i18n import t
from reception.key_rooms import closing_time, list_keys


# --- what is out now -----------------------------------------------------------------
class LoanFlag(StrEnum):
    """The one state of a loan still open, used by F4, the dashboard and the status line."""

    OUT = "out"  # within its limit, before closing
    OVERDUE = "overdue"  # out longer than the key's limit
    AFTER_CLOSING = "after_closing"  # lent before closing time and not back by then


@dataclass(frozen=True)
class KeyOut:
    key: RoomKey
    loan: KeyEvent
    holder: Staff | None
    # The first closing time after the key went out (that day's, or the next day's for a
    # loan made after closing): still out after it, the key is "not back after closing".
    closing_at: datetime | None = None
    customer_name: str = ""

    @property
    def purpose(self) -> str:
        """What it was lent for, in the UI language for a built-in purpose."""
        return key_purposes.shown(self.loan, self.customer_name)

    def minutes_out(self, now: datetime | None = None) -> int:
        now = now or clock.now_utc()
        return max(int((now - self.loan.at).total_seconds() // 60), 0)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.minutes_out(now) > self.key.limit_minutes

    def is_past_closing(self, now: datetime | None = None) -> bool:
        now = now or clock.now_utc()
        return (self.closing_at is not None and self.loan.at < self.closing_at
                and now > self.closing_at)

    def flag(self, now: datetime | None = None) -> LoanFlag:
        """Not back after closing wins over overdue (it is what the night check reports)."""
        now = now or clock.now_utc()
        if self.is_past_closing(now):
            return LoanFlag.AFTER_CLOSING
        if self.is_overdue(now):
            return LoanFlag.OVERDUE
        return LoanFlag.OUT

    def is_flagged(self, now: datetime | None = None) -> bool:
        return self.flag(now) != LoanFlag.OUT


def format_duration(minutes: int) -> str:
    """How long, compact and unambiguous: ``42分钟`` / ``4小时17分钟`` / ``2天3小时``;
    ``42m`` / ``4h17m`` / ``2d3h`` in English."""
    minutes = max(minutes, 0)
    if minutes < 60:
        return t("keys.duration.minutes", m=minutes)
    if minutes < 24 * 60:
        return t("keys.duration.hours", h=minutes // 60, m=minutes % 60)
    return t("keys.duration.days", d=minutes // (24 * 60), h=minutes % (24 * 60) // 60)


def flag_label(flag: LoanFlag) -> str:
    """The state word alone: 借出 / 超时 / 下班未还 (out / overdue / past closing)."""
    return t(f"keys.flag.{flag.value}")


def loan_label(out: KeyOut, now: datetime | None = None) -> str:
    """THE label of an open loan: its state and how long it has been out, e.g.
    ``超时 42分钟`` / ``overdue 42m``. F4, the dashboard and the status line all use it."""
    return t("keys.loan_label", state=flag_label(out.flag(now)),
             duration=format_duration(out.minutes_out(now)))


@dataclass(frozen=True)
class LoanState:
    status: str  # "open", "returned" or "voided"
    returned_at: datetime | None = None
    return_event: KeyEvent | None = None
    voided_by: KeyEvent | None = None


def events_of_loans(session: Session, loan_ids: list[int]) -> dict[int, list[KeyEvent]]:
    """Returns and corrections of the given loans, oldest first (one indexed query)."""
    found: dict[int, list[KeyEvent]] = {loan_id: [] for loan_id in loan_ids}
    if not loan_ids:
        return found
    rows = session.exec(
        select(KeyEvent).where(col(KeyEvent.loan_id).in_(loan_ids)).order_by(KeyEvent.id)
    ).all()
    for event in rows:
        found[event.loan_id].append(event)
    return found


def loan_state(loan: KeyEvent, closing_events: list[KeyEvent]) -> LoanState:
    corrections = [e for e in closing_events if e.kind == KeyEventKind.CORRECTION]
    corrected = {e.corrects_id for e in corrections}
    voiding = next((e for e in corrections if e.corrects_id == loan.id), None)
    if voiding is not None:
        return LoanState("voided", voided_by=voiding)
    for event in closing_events:
        if event.kind == KeyEventKind.BACK and event.id not in corrected:
            return LoanState("returned", returned_at=event.at, return_event=event)
    return LoanState("open")


def latest_loan(session: Session, key_id: int) -> KeyEvent | None:
    return session.exec(
        select(KeyEvent)
        .where(KeyEvent.key_id == key_id, KeyEvent.kind == KeyEventKind.OUT)
        .order_by(col(KeyEvent.id).desc())
        .limit(1)
    ).first()


def open_loan(session: Session, key_id: int) -> KeyEvent | None:
    """The loan of this key not yet returned (nor voided), if any.

    One query: the key's latest loan and its returns and corrections (all written after
    it, so the loan comes first)."""
    latest = (select(func.max(KeyEvent.id))
              .where(KeyEvent.key_id == key_id, KeyEvent.kind == KeyEventKind.OUT)
              .scalar_subquery())
    rows = session.exec(
        select(KeyEvent).where((KeyEvent.id == latest) | (KeyEvent.loan_id == latest))
        .order_by(KeyEvent.id)
    ).all()
    if not rows:
        return None
    loan = rows[0]
    state = loan_state(loan, [event for event in rows[1:] if event.loan_id == loan.id])
    return loan if state.status == "open" else None


def keys_out(session: Session) -> list[KeyOut]:
    """Loans with no return and no correction voiding them, oldest first."""
    keys_by_id = {key.id: key for key in list_keys(session, active_only=False)}
    loans = [loan for key_id in keys_by_id
             if (loan := latest_loan(session, key_id)) is not None]
    closing_events = events_of_loans(session, [loan.id for loan in loans])
    open_loans = [loan for loan in loans
                  if loan_state(loan, closing_events[loan.id]).status == "open"]
    if not open_loans:
        return []
    holders = staff_by_id(session, {loan.staff_id for loan in open_loans})
    customers = customer_names(session, {loan.customer_id for loan in open_loans})
    closing_cache: dict[date, datetime] = {}

    def closing_on(day: date) -> datetime:
        if day not in closing_cache:
            closing_cache[day] = closing_time(session, day)
        return closing_cache[day]

    result = []
    for loan in sorted(open_loans, key=lambda loan: loan.at):
        closing = closing_on(loan.day)
        if loan.at >= closing:
            # Lent after closing: it is "after closing" only if still out at the next one.
            closing = closing_on(loan.day + timedelta(days=1))
        result.append(KeyOut(key=keys_by_id[loan.key_id], loan=loan,
                             holder=holders.get(loan.staff_id), closing_at=closing,
                             customer_name=customers.get(loan.customer_id, "")))
    return result


def overdue(session: Session) -> list[str]:
    """Names of the keys flagged (overdue or not back after closing), oldest loan first."""
    now = clock.now_utc()
    return [out.key.name for out in keys_out(session) if out.is_flagged(now)]


def status_alert(session: Session, now: datetime | None = None) -> str:
    """The status line's alert, "" when no key is flagged: the key with its label
    (``钥匙未还:档案室 超时 42分钟`` / ``Keys not back: 档案室 overdue 42m``), or how many
    when more are (``2 keys not back (see F4)``: a list would be cut off at 80 columns;
    F4 lists them)."""
    now = now or clock.now_utc()
    flagged = [f"{out.key.name} {loan_label(out, now)}"
               for out in keys_out(session) if out.is_flagged(now)]
    if not flagged:
        return ""
    if len(flagged) > 1:
        return t("keys.status_alert_many", n=len(flagged))
    return t("keys.status_alert", keys=flagged[0])


@dataclass(frozen=True)
class KeyState:
    """One key as the F4 screen lists it: free, or out with whom."""

    key: RoomKey
    out: KeyOut | None = None


def key_states(session: Session) -> list[KeyState]:
    out_by_key = {out.key.id: out for out in keys_out(session)}
    states = [KeyState(key, out_by_key.pop(key.id, None)) for key in list_keys(session)]
    # A deactivated key that is still out is listed too: it has to come back.
    states += [KeyState(out.key, out) for out in out_by_key.values()]
    return states


# --- lending and returning -----------------------------------------------------------
def staff_by_id(session: Session, ids: set[int | None]) -> dict[int, Staff]:
    wanted = [staff_id for staff_id in ids if staff_id is not None]
    if not wanted:
        return {}
    return {s.id: s for s in session.exec(select(Staff).where(col(Staff.id).in_(wanted)))}


def format_since(when: datetime) -> str:
    """``14:05`` today, ``2026-11-21 14:05`` on another day."""
    local = clock.local(when)
    if local.date() == clock.today():
        return local.format("HH:mm")
    return local.format("YYYY-MM-DD HH:mm")


def customer_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    ids.discard(None)
    if not ids:
        return {}
    return dict(session.exec(select(Customer.id, Customer.name)
                             .where(col(Customer.id).in_(list(ids)))).all())
