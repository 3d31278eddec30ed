"""First-run setup, PIN hashing and staff sign-in.

PINs are stored as salted scrypt hashes (``scrypt$n$r$p$salt$hash``), never as typed;
each hash has its own random salt. The cost (``PRODUCTION_COST``) makes one offline
guess take over 100 ms here while a sign-in stays under 300 ms (``tests/bench/bench.py``
measures both); a PIN stored at a lower cost is hashed again at the next sign-in.

Wrong PINs in a row lock the staff member (``reception.lockout``). ``sign_in_with_pin`` is
the counter's way in: it takes the store, so a refused sign-in is still committed to the
audit trail (and counts towards the lock) while the sign-in itself fails.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlmodel import Session, select

from models import Role, SignIn, Staff
from reception import audit, lockout, settings
from reception.clock import clock
from reception.errors import AuthError, ValidationError


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's work factors; a hash carries the ones it was made with."""

    n: int
    r: int
    p: int


#: The cost every PIN is hashed with in the clinic: 40 MiB and one offline guess over
#: 100 ms here, a sign-in well under 300 ms (``tests/bench/bench.py`` measures both).
PRODUCTION_COST = ScryptCost(n=2**15, r=10, p=1)
#: The cost new hashes are made with. Only the test suite lowers it (a cheap hash per staff
#: member keeps thousands of set-ups fast); checking a PIN always uses the stored hash's own.
hash_cost = PRODUCTION_COST
#: The demo's PINs are printed in the README: a costly hash would guard nothing. They are
#: hashed cheaply, each with its own salt, and at the clinic's cost at the first sign-in.
PUBLISHED_PIN_COST = ScryptCost(n=2**10, r=8, p=1)
# The memory scrypt may use: 128·N·r bytes and room to spare, also for a hash stored at a
# higher cost. A stored cost beyond it is refused, not run.
SCRYPT_MAXMEM = 2**28
#: PIN lengths: any PIN, a staff member's, a manager's.
PIN_LENGTHS = {None: (4, 12), "staff": (4, 8), Role.MANAGER.value: (6, 12)}
# A sign-in not seen for this long is taken as gone (its terminal died).
SIGN_IN_STALE_MINUTES = 5


def hash_pin(pin: str, role: str | None = None, *, cost: ScryptCost | None = None) -> str:
    """A new salted hash of ``pin`` (at ``hash_cost`` unless told); ValidationError("pin")
    when it breaks the PIN rule of ``role`` (None: any role)."""
    check_pin_rule(pin, role)
    salt = secrets.token_bytes(16)
    cost = cost or hash_cost
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=cost.n, r=cost.r, p=cost.p,
                            maxmem=SCRYPT_MAXMEM)
    return f"scrypt${cost.n}${cost.r}${cost.p}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n),
                                   r=int(r), p=int(p), maxmem=SCRYPT_MAXMEM)
    except ValueError:  # not our format, or a cost OpenSSL refuses
        return False
    return hmac.compare_digest(candidate, bytes.fromhex(digest))


def needs_rehash(stored: str) -> bool:
    """True when ``stored`` was hashed at a lower cost than today's."""
    try:
        _scheme, n, r, p, _salt, _digest = stored.split("$")
        return (int(n), int(r), int(p)) < (hash_cost.n, hash_cost.r, hash_cost.p)
    except ValueError:
        return True


def check_pin_rule(pin: str, role: str | None = None) -> None:
    """A PIN is ASCII digits: 4–8 for staff, 6–12 for a manager, 4–12 when the role is not
    known yet (the role's rule is checked when the PIN is stored)."""
    key = None if role is None else (role if role == Role.MANAGER else "staff")
    low, high = PIN_LENGTHS[key]
    if not (pin.isdigit() and pin.isascii() and low <= len(pin) <= high):
        message = {None: "auth.pin_rule", "staff": "auth.pin_rule_staff"}.get(
            key, "auth.pin_rule_manager")
        raise ValidationError("pin", message)


def needs_setup(session: Session) -> bool:
    """True until the first manager exists."""
    return session.exec(select(Staff.id).where(Staff.role == Role.MANAGER).limit(1)).first() is None


def first_run_setup(session: Session, *, clinic_name: str, manager_name: str, pin: str,
                    pin_again: str | None = None) -> Staff:
    """The first manager and the clinic's name. ``pin_again``: the PIN typed a second time
    (a form asks twice); refused when it differs."""
    if not needs_setup(session):
        raise AuthError("auth.already_set_up")
    if not clinic_name.strip():
        raise ValidationError("clinic_name", "field.required")
    if not manager_name.strip():
        raise ValidationError("name", "field.required")
    check_pin_rule(pin)
    if pin_again is not None and pin_again != pin:
        raise ValidationError("pin_again", "setup.pins_differ")
    manager = Staff(
        name=manager_name.strip(),
        role=Role.MANAGER,
        pin_hash=hash_pin(pin, Role.MANAGER),
        created_at=clock.now_utc(),
    )
    session.add(manager)
    session.flush()
    settings.put(session, "clinic_name", clinic_name.strip(), by=manager.id)
    audit.record(session, by=manager.id, action="setup", record_type="staff", record_id=manager.id)
    return manager


def sign_in(session: Session, *, staff_id: int, pin: str, terminal: str = "") -> SignIn:
    """Check the PIN and record the sign-in in ``session``; AuthError when refused.

    A refusal (wrong PIN, locked) is audited in ``session`` too, so it is only kept if the
    caller commits it: the counter uses ``sign_in_with_pin``, which does."""
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise AuthError("auth.unknown_staff")
    lockout.refuse_if_locked(session, staff_id)
    if not staff.pin_hash or not verify_pin(pin, staff.pin_hash):
        raise lockout.record_failure(session, staff_id)
    if needs_rehash(staff.pin_hash):
        staff.pin_hash = hash_pin(pin)
        session.add(staff)
    return sign_in_verified(session, staff_id=staff_id, terminal=terminal)


def sign_in_with_pin(database, *, staff_id: int, pin: str,
                     terminal: str = "") -> tuple[Staff, SignIn]:
    """The counter's sign-in, one unit of work of its own: ``(staff, sign_in)``.

    When refused, what was audited (the wrong PIN, the lock it caused, the refusal while
    locked) is committed first, then the AuthError is raised."""
    refused: AuthError | None = None
    with database.write() as session:
        try:
            signed_in = sign_in(session, staff_id=staff_id, pin=pin, terminal=terminal)
            staff = session.get(Staff, staff_id)
        except AuthError as error:
            refused = error
    if refused is not None:
        raise refused
    return staff, signed_in


#: Refusals a form shows at the PIN field.
PIN_REFUSALS = ("auth.wrong_pin", "auth.locked", "auth.locked_now")


def sign_in_staff(session: Session, *, staff_id: int, pin: str,
                  terminal: str = "") -> tuple[Staff, int]:
    """Check the PIN and record the sign-in: (the staff member, the sign-in's id).

    The sign-in form's unit of work: it holds nothing else, so a refusal commits what was
    audited (the wrong PIN, the lock, the refusal while locked) before it is raised — the
    trail keeps every failure though the sign-in fails. A wrong PIN or a lock is a
    ValidationError of the ``pin`` field (a form shows it there)."""
    try:
        signed = sign_in(session, staff_id=staff_id, pin=pin, terminal=terminal)
    except AuthError as error:
        session.commit()
        if error.message_key in PIN_REFUSALS:
            raise ValidationError("pin", error.message_key, **error.params) from error
        raise
    return session.get(Staff, staff_id), signed.id


def who_may_sign_in(session: Session) -> list[tuple[int, str, str]]:
    """(id, name, role) of the active staff who have a PIN."""
    rows = session.exec(select(Staff.id, Staff.name, Staff.role)
                        .where(Staff.active, Staff.pin_hash != "")).all()
    return [(staff_id, name, str(role)) for staff_id, name, role in rows]


def sign_in_verified(session: Session, *, staff_id: int, terminal: str = "") -> SignIn:
    """Record a sign-in whose PIN has been checked."""
    now = clock.now_utc()
    signed_in = SignIn(
        staff_id=staff_id, terminal=terminal, signed_in_at=now, last_seen_at=now,
        created_at=now, created_by_id=staff_id,
    )
    session.add(signed_in)
    audit.record(session, by=staff_id, action="sign_in", record_type="staff", record_id=staff_id)
    session.flush()
    return signed_in


def heartbeat(session: Session, sign_in_id: int) -> None:
    signed_in = session.get(SignIn, sign_in_id)
    if signed_in is not None and signed_in.signed_out_at is None:
        signed_in.last_seen_at = clock.now_utc()
        session.add(signed_in)


def sign_out(session: Session, sign_in_id: int) -> None:
    signed_in = session.get(SignIn, sign_in_id)
    if signed_in is not None and signed_in.signed_out_at is None:
        signed_in.signed_out_at = clock.now_utc()
        session.add(signed_in)
        audit.record(session, by=signed_in.staff_id, action="sign_out",
                     record_type="staff", record_id=signed_in.staff_id)


def signed_in_staff(session: Session) -> list[tuple[Staff, SignIn]]:
    """Who is signed in now (on any terminal), newest first."""
    recent = clock.now().shift(minutes=-SIGN_IN_STALE_MINUTES).to("utc").datetime
    rows = session.exec(
        select(Staff, SignIn)
        .join(SignIn, SignIn.staff_id == Staff.id)
        .where(SignIn.signed_out_at.is_(None), SignIn.last_seen_at >= recent)
        .order_by(SignIn.signed_in_at.desc())
    ).all()
    return list(rows)
