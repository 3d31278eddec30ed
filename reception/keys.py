"""The key log: lending, returns and corrections (seed 002 §15–16).

Every rule lives here and in ``key_rooms`` / ``key_status`` / ``key_log`` (screens only
call these functions). The log itself (``key_event``) is append-only — database triggers
refuse UPDATE and DELETE — so a mistake is put right by a new ``correction`` entry naming
the entry it corrects (``corrects_id``) and the loan it belongs to (``loan_id``):

* a correction of a loan (``out``) voids the loan: the key counts as never lent;
* a correction of a return (``back``) cancels the return: the key is out again.

The names screens use (``keys.lend``, ``keys.keys_out``, ``keys.ARCHIVE_NAME`` …) are all
reachable from this module.
"""

from datetime import date

from sqlmodel import Session, col, select

from models import CaseFileRequest, Customer, KeyEvent, KeyEventKind, RoomKey, Staff, Visit
from reception import audit, days, key_purposes
from reception.auth import verify_pin
from reception.clock import clock
from reception.db import chain_lock, keyed_unit
from reception.errors import ValidationError
from reception.i18n import t
from reception.key_log import (
    LogLine,
    PendingRequest,
    history,
    out_at_closing,
    pending_requests,
    request_case_file,
)
from reception.key_rooms import (
    ARCHIVE_NAME,
    DEFAULT_LIMIT_MINUTES,
    VIP_NAME,
    KeyLogError,
    active_managers,
    add_key,
    archive_key,
    ensure_default_keys,
    list_keys,
    roles_of,
    roles_text,
    set_closing_time,
    staff_for_key,
    update_key,
)
from reception.key_status import (
    KeyOut,
    KeyState,
    LoanFlag,
    events_of_loans,
    format_duration,
    format_since,
    key_states,
    keys_out,
    latest_loan,
    loan_label,
    loan_state,
    open_loan,
    overdue,
    status_alert,
)
from reception.permissions import is_active_manager

#: What screens, the CLI and other modules use, wherever it is defined.
__all__ = [
    "ARCHIVE_NAME",
    "DEFAULT_LIMIT_MINUTES",
    "KeyLogError",
    "KeyOut",
    "KeyState",
    "LoanFlag",
    "LogLine",
    "PendingRequest",
    "VIP_NAME",
    "active_managers",
    "add_key",
    "archive_key",
    "check_correction",
    "check_lend",
    "check_return",
    "correct",
    "ensure_default_keys",
    "format_duration",
    "format_since",
    "history",
    "hold_key",
    "key_states",
    "keys_out",
    "lend",
    "list_keys",
    "loan_label",
    "open_loan",
    "out_at_closing",
    "overdue",
    "pending_requests",
    "request_case_file",
    "return_key",
    "roles_of",
    "roles_text",
    "set_closing_time",
    "staff_for_key",
    "status_alert",
    "update_key",
]


def _check_approval(
    session: Session, key: RoomKey, by: int | None, approved_by_id: int | None,
    approval_pin: str | None,
) -> int | None:
    if not key.needs_manager_approval:
        return None
    if approved_by_id is None:
        signed_in = session.get(Staff, by) if by is not None else None
        if is_active_manager(signed_in):
            return signed_in.id
        raise KeyLogError("keys.needs_approval", room=key.name)
    approver = session.get(Staff, approved_by_id)
    if not is_active_manager(approver):
        raise KeyLogError("keys.approver_not_manager",
                          name=approver.name if approver else "?")
    # A manager signed in here approves by lending; anyone else needs the manager's PIN.
    if approved_by_id != by and not (
        approval_pin and approver.pin_hash and verify_pin(approval_pin, approver.pin_hash)
    ):
        raise KeyLogError("keys.approval_pin_wrong", name=approver.name)
    return approver.id


def hold_key(session: Session, key_id: int) -> None:
    """Before anything else in a unit of work that lends or takes back a key (or reads
    whether it is out to decide which): the key's own lock, so of two counters after the
    same key one goes first and the other sees its loan, while the branch's other counters
    keep saving (``reception.db.keyed_unit``)."""
    keyed_unit(session)
    chain_lock(session, "key", key_id)


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
    purpose_code: str = "",
    customer_id: int | None = None,
    visit_id: int | None = None,
    approved_by_id: int | None = None,
    approval_pin: str | None = None,
    request_id: int | None = None,
) -> KeyEvent:
    """Sign a key out to a staff member, or refuse with the reason.

    ``purpose_code`` names a built-in purpose (``key_purposes.Purpose``); a ``purpose``
    typed that is one of them, in any language, is stored as its code too.

    Call inside ``db.write()``: the key's lock is held from the first read (``hold_key``),
    so the check that the key is free and the loan are one step — of two counters lending
    the same key at once, exactly one succeeds and the other is told who has it.
    """
    hold_key(session, key_id)
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
    customer = None
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise KeyLogError("keys.unknown_customer")
        if visit_id is None:
            visit_id = _visit_today(session, customer_id, today)
    purpose = purpose.strip()
    if purpose_code and purpose_code not in key_purposes.Purpose.__members__.values():
        raise ValidationError("purpose", "keys.unknown_purpose", code=purpose_code)
    purpose_code = purpose_code or key_purposes.code_of(purpose,
                                                        customer.name if customer else "")
    if request is not None and not purpose:
        purpose_code = purpose_code or key_purposes.Purpose.CASE_FILE
    if purpose_code:
        purpose = ""  # shown from the code, in the reader's language
    if not purpose and not purpose_code and customer_id is None:
        raise ValidationError("purpose", "keys.purpose_required_archive" if key.is_archive
                              else "keys.purpose_required")

    now = clock.now_utc()
    loan = KeyEvent(
        key_id=key.id, kind=KeyEventKind.OUT, day=today, at=now, staff_id=borrower.id,
        purpose=purpose, purpose_code=purpose_code, customer_id=customer_id, visit_id=visit_id,
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
    """The key is back: a ``back`` entry closing its open loan (under the key's lock)."""
    hold_key(session, key_id)
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
    state = loan_state(loan, events_of_loans(session, [loan.id])[loan.id])
    if state.status == "voided":
        raise KeyLogError("keys.already_voided", entry=loan.id)
    if target.kind == KeyEventKind.BACK:
        if state.return_event is None or state.return_event.id != target.id:
            raise KeyLogError("keys.already_corrected", entry=target.id)
        latest = latest_loan(session, target.key_id)
        if latest is not None and latest.id != loan.id:
            raise KeyLogError("keys.lent_since", entry=target.id)
    return target, loan
