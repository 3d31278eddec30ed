"""The key log: room keys, who may take them, lending, returns, corrections, history.

Every rule lives here (screens only call these functions). The log itself (``key_event``)
is append-only — database triggers refuse UPDATE and DELETE — so a mistake is put right by
a new ``correction`` entry naming the entry it corrects (``corrects_id``) and the loan it
belongs to (``loan_id``):

* a correction of a loan (``out``) voids the loan: the key counts as never lent;
* a correction of a return (``back``) cancels the return: the key is out again.

A key is lent at most once at a time, so the only loan that can be open for a key is its
latest ``out`` entry; ``keys_out`` therefore reads one short index range per key and stays
quick however long the log grows.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import arrow
from sqlmodel import Session, col, select

from models import CaseFileRequest, Customer, KeyEvent, KeyEventKind, Role, RoomKey, Staff, Visit
from reception import audit, days, settings
from reception.auth import verify_pin
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from reception.staff import require_manager

ARCHIVE_NAME = "档案室"
VIP_NAME = "VIP室"
DEFAULT_LIMIT_MINUTES = 30
# The setting naming the key that opens the archive room (case files), set with the defaults.
HISTORY_LIMIT = 200
REQUEST_LIMIT = 50


class KeyLogError(ReceptionError):
    """A key-log rule said no (who may take a key, a key already out, a bad correction)."""


# --- keys and who may take them ------------------------------------------------------


def roles_of(key: RoomKey) -> list[str]:
    return [role for role in key.roles_allowed.split(",") if role]


def roles_text(key: RoomKey) -> str:
    """The roles that may take the key, as the desk reads them (咨询师、收银)."""
    return t("keys.list_separator").join(t(f"role.{role}") for role in roles_of(key)) or "—"


def list_keys(session: Session, *, active_only: bool = True) -> list[RoomKey]:
    query = select(RoomKey).order_by(RoomKey.id)
    if active_only:
        query = query.where(col(RoomKey.active).is_(True))
    return list(session.exec(query).all())


def ensure_default_keys(session: Session, *, by: int | None = None) -> list[RoomKey]:
    """The seed's two keys, created once when no key exists yet (safe to call every start)."""
    if session.exec(select(RoomKey.id).limit(1)).first() is not None:
        return []
    now = clock.now_utc()
    archive = RoomKey(name=ARCHIVE_NAME, is_archive=True,
                      roles_allowed=f"{Role.CONSULTANT},{Role.CASHIER}",
                      limit_minutes=DEFAULT_LIMIT_MINUTES, created_at=now, created_by_id=by)
    # Anyone may take the VIP room key, but only with a manager's approval.
    vip = RoomKey(name=VIP_NAME, roles_allowed=",".join(role.value for role in Role),
                  needs_manager_approval=True, limit_minutes=DEFAULT_LIMIT_MINUTES,
                  created_at=now, created_by_id=by)
    session.add(archive)
    session.add(vip)
    session.flush()
    audit.record(session, by=by, action="keys_default", record_type="room_key",
                 keys=[archive.id, vip.id])
    return [archive, vip]


def archive_key(session: Session) -> RoomKey | None:
    """The key of the archive room (case files)."""
    return session.exec(
        select(RoomKey).where(col(RoomKey.is_archive).is_(True)).order_by(RoomKey.id).limit(1)
    ).first()


def _require_manager(session: Session, by: int | None) -> None:
    require_manager(session, by, error=KeyLogError)


def _clean_roles(roles: list[str]) -> str:
    known = [role.value for role in Role]
    unknown = [role for role in roles if role not in known]
    if unknown:
        raise ValidationError("roles", "staff.unknown_role", role=", ".join(unknown))
    chosen = [role for role in known if role in roles]
    if not chosen:
        raise ValidationError("roles", "keys.roles_required")
    return ",".join(chosen)


def _clean_limit(limit_minutes: int) -> int:
    if not isinstance(limit_minutes, int) or not 1 <= limit_minutes <= 24 * 60:
        raise ValidationError("limit", "keys.limit_invalid")
    return limit_minutes


def _clean_name(session: Session, name: str, *, key_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError("name", "field.required")
    if len(name) > 100:
        raise ValidationError("name", "keys.name_too_long")
    same = session.exec(select(RoomKey).where(RoomKey.name == name)).first()
    if same is not None and same.id != key_id:
        raise ValidationError("name", "keys.name_taken", name=name)
    return name


def add_key(
    session: Session,
    *,
    name: str,
    roles: list[str],
    by: int | None,
    limit_minutes: int = DEFAULT_LIMIT_MINUTES,
    needs_manager_approval: bool = False,
) -> RoomKey:
    _require_manager(session, by)
    key = RoomKey(
        name=_clean_name(session, name), roles_allowed=_clean_roles(roles),
        limit_minutes=_clean_limit(limit_minutes), needs_manager_approval=needs_manager_approval,
        created_at=clock.now_utc(), created_by_id=by,
    )
    session.add(key)
    session.flush()
    audit.record(session, by=by, action="key_add", record_type="room_key", record_id=key.id,
                 name=key.name, roles=key.roles_allowed, limit=key.limit_minutes,
                 approval=needs_manager_approval)
    return key


def update_key(
    session: Session,
    key_id: int,
    *,
    by: int | None,
    name: str | None = None,
    roles: list[str] | None = None,
    limit_minutes: int | None = None,
    needs_manager_approval: bool | None = None,
    active: bool | None = None,
) -> RoomKey:
    _require_manager(session, by)
    key = session.get(RoomKey, key_id)
    if key is None:
        raise KeyLogError("keys.unknown_key")
    changes: dict[str, object] = {}
    if name is not None:
        key.name = changes["name"] = _clean_name(session, name, key_id=key_id)
    if roles is not None:
        key.roles_allowed = changes["roles"] = _clean_roles(roles)
    if limit_minutes is not None:
        key.limit_minutes = changes["limit"] = _clean_limit(limit_minutes)
    if needs_manager_approval is not None:
        key.needs_manager_approval = changes["approval"] = needs_manager_approval
    if active is not None:
        key.active = changes["active"] = active
    session.add(key)
    audit.record(session, by=by, action="key_update", record_type="room_key", record_id=key.id,
                 **changes)
    return key


# --- closing time --------------------------------------------------------------------


def _parse_hhmm(value: str) -> tuple[int, int]:
    return settings.parse_hhmm(value, field="closing_time", message="keys.bad_time")


def closing_time(session: Session, day: date) -> datetime:
    """The clinic's closing time on ``day`` (UTC, aware)."""
    hours, minutes = _parse_hhmm(settings.get(session, "closing_time") or "21:00")
    local = arrow.Arrow(day.year, day.month, day.day, hours, minutes, tzinfo=clock.tz)
    return local.to("utc").datetime


def set_closing_time(session: Session, value: str, *, by: int | None) -> str:
    """The key setup's closing time: the settings screen's own rule and audit, with the
    key log's words for a refusal."""
    _require_manager(session, by)
    _parse_hhmm(value)
    return settings.update(session, "closing_time", value, by=by)


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


def _events_of_loans(session: Session, loan_ids: list[int]) -> dict[int, list[KeyEvent]]:
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


def _latest_loan(session: Session, key_id: int) -> KeyEvent | None:
    return session.exec(
        select(KeyEvent)
        .where(KeyEvent.key_id == key_id, KeyEvent.kind == KeyEventKind.OUT)
        .order_by(col(KeyEvent.id).desc())
        .limit(1)
    ).first()


def open_loan(session: Session, key_id: int) -> KeyEvent | None:
    """The loan of this key not yet returned (nor voided), if any."""
    loan = _latest_loan(session, key_id)
    if loan is None:
        return None
    state = loan_state(loan, _events_of_loans(session, [loan.id])[loan.id])
    return loan if state.status == "open" else None


def keys_out(session: Session) -> list[KeyOut]:
    """Loans with no return and no correction voiding them, oldest first."""
    keys_by_id = {key.id: key for key in list_keys(session, active_only=False)}
    loans = [loan for key_id in keys_by_id
             if (loan := _latest_loan(session, key_id)) is not None]
    closing_events = _events_of_loans(session, [loan.id for loan in loans])
    open_loans = [loan for loan in loans
                  if loan_state(loan, closing_events[loan.id]).status == "open"]
    if not open_loans:
        return []
    holders = _staff_by_id(session, {loan.staff_id for loan in open_loans})
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
                             holder=holders.get(loan.staff_id), closing_at=closing))
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


def _staff_by_id(session: Session, ids: set[int | None]) -> dict[int, Staff]:
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


def staff_for_key(session: Session, key: RoomKey) -> list[tuple[Staff, bool]]:
    """Every staff member with whether the key's rule lets them take it, allowed first.

    (Those not allowed are offered too, so the desk sees *why* they are refused.)
    """
    roles = roles_of(key)
    everyone = session.exec(select(Staff).order_by(Staff.name)).all()
    marked = [(staff, staff.active and staff.role in roles) for staff in everyone]
    return sorted(marked, key=lambda pair: (not pair[1], not pair[0].active))


def active_managers(session: Session) -> list[Staff]:
    return list(session.exec(
        select(Staff).where(col(Staff.active).is_(True), Staff.role == Role.MANAGER)
        .order_by(Staff.name)
    ).all())


def _check_approval(
    session: Session, key: RoomKey, by: int | None, approved_by_id: int | None,
    approval_pin: str | None,
) -> int | None:
    if not key.needs_manager_approval:
        return None
    if approved_by_id is None:
        signed_in = session.get(Staff, by) if by is not None else None
        if signed_in is not None and signed_in.active and signed_in.role == Role.MANAGER:
            return signed_in.id
        raise KeyLogError("keys.needs_approval", room=key.name)
    approver = session.get(Staff, approved_by_id)
    if approver is None or not approver.active or approver.role != Role.MANAGER:
        raise KeyLogError("keys.approver_not_manager",
                          name=approver.name if approver else "?")
    # A manager signed in here approves by lending; anyone else needs the manager's PIN.
    if approved_by_id != by and not (
        approval_pin and approver.pin_hash and verify_pin(approval_pin, approver.pin_hash)
    ):
        raise KeyLogError("keys.approval_pin_wrong", name=approver.name)
    return approver.id


def check_lend(session: Session, key_id: int) -> RoomKey:
    """Whether the key can be lent at all right now (before anyone fills in the form):
    today not signed off, the key in use and at the desk. Raises the refusal."""
    days.ensure_open(session, clock.today())
    key = session.get(RoomKey, key_id)
    if key is None:
        raise KeyLogError("keys.unknown_key")
    if not key.active:
        raise KeyLogError("keys.key_inactive", room=key.name)
    current = open_loan(session, key.id)
    if current is not None:
        holder = session.get(Staff, current.staff_id) if current.staff_id else None
        raise KeyLogError("keys.already_out", room=key.name,
                          name=holder.name if holder else "?", since=format_since(current.at))
    return key


def lend(
    session: Session,
    *,
    key_id: int,
    staff_id: int | None,
    by: int | None,
    purpose: str = "",
    customer_id: int | None = None,
    visit_id: int | None = None,
    approved_by_id: int | None = None,
    approval_pin: str | None = None,
    request_id: int | None = None,
) -> KeyEvent:
    """Sign a key out to a staff member, or refuse with the reason.

    Call inside ``db.write()``: the write lock is held from the first read, so the check
    that the key is free and the loan are one step — of two counters lending the same key
    at once, exactly one succeeds and the other is told who has it.
    """
    today = clock.today()
    key = check_lend(session, key_id)
    borrower = session.get(Staff, staff_id) if staff_id is not None else None
    if borrower is None:
        raise KeyLogError("keys.choose_staff")
    if not borrower.active:
        raise KeyLogError("keys.staff_inactive", name=borrower.name)
    roles = roles_of(key)
    if borrower.role not in roles:
        raise KeyLogError("keys.role_not_allowed", room=key.name, name=borrower.name,
                          role=t(f"role.{borrower.role}"),
                          roles=roles_text(key))
    approver_id = _check_approval(session, key, by, approved_by_id, approval_pin)

    request = None
    if request_id is not None:
        request = session.get(CaseFileRequest, request_id)
        if request is None:
            raise KeyLogError("keys.unknown_request")
        if request.fulfilled_at is not None:
            raise KeyLogError("keys.request_done")
        archive = archive_key(session)
        if archive is None or archive.id != key.id:
            raise KeyLogError("keys.request_needs_archive",
                              room=archive.name if archive else ARCHIVE_NAME)
        customer_id = customer_id or request.customer_id
        visit_id = visit_id or request.visit_id
    if visit_id is not None:
        visit = session.get(Visit, visit_id)
        if visit is None:
            raise KeyLogError("keys.unknown_visit")
        customer_id = customer_id or visit.customer_id
    if customer_id is not None:
        if session.get(Customer, customer_id) is None:
            raise KeyLogError("keys.unknown_customer")
        if visit_id is None:
            visit_id = _visit_today(session, customer_id, today)
    purpose = purpose.strip()
    if not purpose and customer_id is None:
        raise ValidationError("purpose", "keys.purpose_required_archive" if key.is_archive
                              else "keys.purpose_required")

    now = clock.now_utc()
    loan = KeyEvent(
        key_id=key.id, kind=KeyEventKind.OUT, day=today, at=now, staff_id=borrower.id,
        purpose=purpose, customer_id=customer_id, visit_id=visit_id,
        approved_by_id=approver_id, created_at=now, created_by_id=by,
    )
    session.add(loan)
    session.flush()
    if request is not None:
        request.key_event_id = loan.id
        request.fulfilled_at = now
        session.add(request)
    audit.record(session, by=by, action="key_lend", record_type="key_event", record_id=loan.id,
                 key=key.name, staff_id=borrower.id, approved_by_id=approver_id,
                 request_id=request_id)
    return loan


def _visit_today(session: Session, customer_id: int, day: date) -> int | None:
    return session.exec(
        select(Visit.id).where(Visit.customer_id == customer_id, Visit.day == day)
        .order_by(col(Visit.id).desc()).limit(1)
    ).first()


def check_return(session: Session, key_id: int) -> tuple[RoomKey, KeyEvent]:
    """Whether the key can be taken back now: today open and the key out. Returns the key
    and its open loan."""
    days.ensure_open(session, clock.today())
    key = session.get(RoomKey, key_id)
    if key is None:
        raise KeyLogError("keys.unknown_key")
    loan = open_loan(session, key_id)
    if loan is None:
        raise KeyLogError("keys.not_out", room=key.name)
    return key, loan


def return_key(session: Session, *, key_id: int, by: int | None, note: str = "") -> KeyEvent:
    """The key is back: a ``back`` entry closing its open loan."""
    key, loan = check_return(session, key_id)
    now = clock.now_utc()
    back = KeyEvent(
        key_id=key_id, kind=KeyEventKind.BACK, day=clock.today(), at=now,
        staff_id=loan.staff_id, loan_id=loan.id, note=note.strip(),
        created_at=now, created_by_id=by,
    )
    session.add(back)
    session.flush()
    audit.record(session, by=by, action="key_return", record_type="key_event",
                 record_id=back.id, key=key.name, loan_id=loan.id)
    return back


def correct(session: Session, *, event_id: int, by: int | None, note: str) -> KeyEvent:
    """Put a mistaken entry right with a new, linked entry (the log is never edited).

    Correcting a loan voids it (and a case-file request it fulfilled is pending again);
    correcting a return puts the key back out with the same holder.
    """
    target, loan = check_correction(session, event_id)
    if not note.strip():
        raise ValidationError("note", "keys.correction_needs_note")
    today = clock.today()
    now = clock.now_utc()
    correction = KeyEvent(
        key_id=target.key_id, kind=KeyEventKind.CORRECTION, day=today, at=now,
        staff_id=target.staff_id, loan_id=loan.id, corrects_id=target.id, note=note.strip(),
        created_at=now, created_by_id=by,
    )
    session.add(correction)
    session.flush()
    if target.kind == KeyEventKind.OUT:
        request = session.exec(
            select(CaseFileRequest).where(CaseFileRequest.key_event_id == loan.id)
        ).first()
        if request is not None:
            request.key_event_id = None
            request.fulfilled_at = None
            session.add(request)
    audit.record(session, by=by, action="key_correct", record_type="key_event",
                 record_id=correction.id, corrects_id=target.id, note=note.strip())
    return correction


def check_correction(session: Session, event_id: int) -> tuple[KeyEvent, KeyEvent]:
    """Whether the entry can be corrected (asked before the reason is typed): today and the
    entry's day open, not a correction, not already corrected. Returns (entry, its loan)."""
    days.ensure_open(session, clock.today())
    target = session.get(KeyEvent, event_id)
    if target is None:
        raise KeyLogError("keys.unknown_entry")
    days.ensure_open(session, target.day)
    if target.kind == KeyEventKind.CORRECTION:
        raise KeyLogError("keys.cannot_correct_correction")
    loan = target if target.kind == KeyEventKind.OUT else session.get(KeyEvent, target.loan_id)
    state = loan_state(loan, _events_of_loans(session, [loan.id])[loan.id])
    if state.status == "voided":
        raise KeyLogError("keys.already_voided", entry=loan.id)
    if target.kind == KeyEventKind.BACK:
        if state.return_event is None or state.return_event.id != target.id:
            raise KeyLogError("keys.already_corrected", entry=target.id)
        latest = _latest_loan(session, target.key_id)
        if latest is not None and latest.id != loan.id:
            raise KeyLogError("keys.lent_since", entry=target.id)
    return target, loan


# --- case-file requests (triage path C2) ---------------------------------------------


def request_case_file(
    session: Session, *, customer_id: int, by: int | None, visit_id: int | None = None,
    consultant_id: int | None = None,
) -> CaseFileRequest:
    """Ask for a customer's case file from the archive room (triage path C2 calls this)."""
    today = clock.today()
    days.ensure_open(session, today)
    request = CaseFileRequest(
        day=today, customer_id=customer_id, visit_id=visit_id, consultant_id=consultant_id,
        created_at=clock.now_utc(), created_by_id=by,
    )
    session.add(request)
    session.flush()
    audit.record(session, by=by, action="case_file_request", record_type="case_file_request",
                 record_id=request.id, customer_id=customer_id)
    return request


@dataclass(frozen=True)
class PendingRequest:
    request: CaseFileRequest
    customer: Customer
    consultant: Staff | None


def pending_requests(session: Session, *, days_back: int = 1) -> list[PendingRequest]:
    """Case files asked for (today and the day before) and not yet fetched, oldest first."""
    since = clock.today() - timedelta(days=days_back)
    rows = session.exec(
        select(CaseFileRequest, Customer)
        .join(Customer, Customer.id == CaseFileRequest.customer_id)
        .where(CaseFileRequest.day >= since, col(CaseFileRequest.fulfilled_at).is_(None))
        .order_by(CaseFileRequest.created_at)
        .limit(REQUEST_LIMIT)
    ).all()
    consultants = _staff_by_id(session, {request.consultant_id for request, _ in rows})
    return [PendingRequest(request, customer, consultants.get(request.consultant_id))
            for request, customer in rows]


# --- history and the night check -----------------------------------------------------


@dataclass(frozen=True)
class LogLine:
    """One entry of the log with the names it refers to and, for a loan, how it ended."""

    event: KeyEvent
    key_name: str
    staff_name: str
    by_name: str
    approver_name: str = ""
    customer_name: str = ""
    state: LoanState | None = None


def history(
    session: Session,
    *,
    day: date | None = None,
    key_id: int | None = None,
    staff_id: int | None = None,
    limit: int = HISTORY_LIMIT,
) -> list[LogLine]:
    """Entries of the log, newest first, filtered by day, key and/or staff member."""
    query = select(KeyEvent).order_by(col(KeyEvent.id).desc()).limit(limit)
    if day is not None:
        query = query.where(KeyEvent.day == day)
    if key_id is not None:
        query = query.where(KeyEvent.key_id == key_id)
    if staff_id is not None:
        query = query.where(KeyEvent.staff_id == staff_id)
    events = list(session.exec(query).all())
    if not events:
        return []
    loan_ids = [e.id for e in events if e.kind == KeyEventKind.OUT]
    closing_events = _events_of_loans(session, loan_ids)
    names = _staff_by_id(session, {e.staff_id for e in events} | {e.created_by_id for e in events}
                         | {e.approved_by_id for e in events})
    key_names = {k.id: k.name for k in list_keys(session, active_only=False)}
    customer_ids = [e.customer_id for e in events if e.customer_id is not None]
    customers = {c.id: c.name for c in session.exec(
        select(Customer).where(col(Customer.id).in_(customer_ids)))} if customer_ids else {}

    def name(staff_id: int | None) -> str:
        return names[staff_id].name if staff_id in names else ""

    return [
        LogLine(
            event=e, key_name=key_names.get(e.key_id, "?"), staff_name=name(e.staff_id),
            by_name=name(e.created_by_id), approver_name=name(e.approved_by_id),
            customer_name=customers.get(e.customer_id, ""),
            state=loan_state(e, closing_events[e.id]) if e.kind == KeyEventKind.OUT else None,
        )
        for e in events
    ]


@dataclass(frozen=True)
class ClosingFinding:
    """A key still out at closing time (a night-check finding); ``returned_at`` if it came
    back later, None while it is still out."""

    key: RoomKey
    loan: KeyEvent
    holder: Staff | None
    returned_at: datetime | None = None


def out_at_closing(session: Session, day: date) -> list[ClosingFinding]:
    """Keys out at the closing time of ``day``: lent that day and not back by closing, or
    lent earlier and still out."""
    closing = closing_time(session, day)
    loans = list(session.exec(
        select(KeyEvent).where(KeyEvent.day == day, KeyEvent.kind == KeyEventKind.OUT)
        .order_by(KeyEvent.at)
    ).all())
    closing_events = _events_of_loans(session, [loan.id for loan in loans])
    keys_by_id = {key.id: key for key in list_keys(session, active_only=False)}
    findings: list[tuple[KeyEvent, datetime | None]] = []
    for loan in loans:
        state = loan_state(loan, closing_events[loan.id])
        if state.status == "voided" or loan.at > closing:
            continue
        if state.status == "open" or state.returned_at > closing:
            findings.append((loan, state.returned_at))
    findings += [(out.loan, None) for out in keys_out(session) if out.loan.day < day]
    holders = _staff_by_id(session, {loan.staff_id for loan, _ in findings})
    return [ClosingFinding(keys_by_id[loan.key_id], loan, holders.get(loan.staff_id), back)
            for loan, back in findings]
