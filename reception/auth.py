"""First-run setup, PIN hashing and staff sign-in.

PINs are stored as salted scrypt hashes (``scrypt$n$r$p$salt$hash``), never as typed.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlmodel import Session, select

from models import Role, SignIn, Staff
from reception import audit, settings
from reception.clock import clock
from reception.errors import AuthError, ValidationError


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's work factors; a hash carries the ones it was made with."""

    n: int
    r: int
    p: int


#: The cost every PIN is hashed with in the clinic (16 MiB and some 50 ms a hash).
PRODUCTION_COST = ScryptCost(n=2**14, r=8, p=1)
#: The cost new hashes are made with. Only the test suite lowers it (a cheap hash per staff
#: member keeps thousands of set-ups fast); checking a PIN always uses the stored hash's own.
hash_cost = PRODUCTION_COST

# A sign-in not seen for this long is taken as gone (its terminal died).
SIGN_IN_STALE_MINUTES = 5


def hash_pin(pin: str) -> str:
    check_pin_rule(pin)
    salt = secrets.token_bytes(16)
    cost = hash_cost
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=cost.n, r=cost.r, p=cost.p)
    return f"scrypt${cost.n}${cost.r}${cost.p}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(candidate, bytes.fromhex(digest))


def check_pin_rule(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii() and 4 <= len(pin) <= 12):
        raise ValidationError("pin", "auth.pin_rule")


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
        pin_hash=hash_pin(pin),
        created_at=clock.now_utc(),
    )
    session.add(manager)
    session.flush()
    settings.put(session, "clinic_name", clinic_name.strip(), by=manager.id)
    audit.record(session, by=manager.id, action="setup", record_type="staff", record_id=manager.id)
    return manager


def sign_in(session: Session, *, staff_id: int, pin: str, terminal: str = "") -> SignIn:
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active:
        raise AuthError("auth.unknown_staff")
    if not staff.pin_hash or not verify_pin(pin, staff.pin_hash):
        audit.record(session, by=None, action="sign_in_failed", record_type="staff",
                     record_id=staff_id)
        raise AuthError("auth.wrong_pin")
    return sign_in_verified(session, staff_id=staff_id, terminal=terminal)


def sign_in_staff(session: Session, *, staff_id: int, pin: str,
                  terminal: str = "") -> tuple[Staff, int]:
    """Check the PIN and record the sign-in: (the staff member, the sign-in's id).
    A wrong PIN is a ValidationError of the ``pin`` field (a form shows it there)."""
    try:
        signed = sign_in(session, staff_id=staff_id, pin=pin, terminal=terminal)
    except AuthError as error:
        if error.message_key == "auth.wrong_pin":
            raise ValidationError("pin", "auth.wrong_pin") from error
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
