"""Staff records and the rota (who is on duty which day, in rotation order); the manager
keeps both."""

from datetime import date

from sqlmodel import Session, col, delete, select

from models import Role, RotaEntry, Staff
from reception import audit, days
from reception.auth import check_pin_rule, hash_pin
from reception.clock import clock
from reception.errors import StaffError, ValidationError
from reception.permissions import require_manager

ROLES = [role.value for role in Role]


def _check_role(role: str) -> None:
    if not role:
        raise ValidationError("role", "staff.role_required")
    if role not in ROLES:
        raise ValidationError("role", "staff.unknown_role", role=role)


def add_staff(
    session: Session, *, name: str, role: str, pin: str = "", phone: str = "", by: int | None
) -> Staff:
    require_manager(session, by)
    if not name.strip():
        raise ValidationError("name", "field.required")
    _check_role(role)
    staff = Staff(
        name=name.strip(), role=role, phone=phone.strip(),
        pin_hash=hash_pin(pin, role) if pin else "",
        created_at=clock.now_utc(), created_by_id=by,
    )
    session.add(staff)
    session.flush()
    audit.record(session, by=by, action="staff_add", record_type="staff", record_id=staff.id,
                 name=staff.name, role=role)
    return staff


def update_staff(
    session: Session,
    staff_id: int,
    *,
    by: int | None,
    name: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    pin: str | None = None,
) -> Staff:
    require_manager(session, by)
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise StaffError("staff.not_found")
    changes: dict[str, object] = {}
    if name is not None:
        if not name.strip():
            raise ValidationError("name", "field.required")
        staff.name = changes["name"] = name.strip()
    if role is not None:
        _check_role(role)
        if role == Role.MANAGER and staff.role != Role.MANAGER and not pin:
            # A manager's PIN is longer than a staff PIN: promotion comes with a new one.
            raise ValidationError("pin", "auth.pin_for_manager")
        staff.role = changes["role"] = role
    if active is not None:
        if not active and staff.role == Role.MANAGER and _active_managers(session) <= 1:
            raise StaffError("staff.last_manager")
        staff.active = changes["active"] = active
    if pin:
        staff.pin_hash = hash_pin(pin, staff.role)
        changes["pin"] = "changed"
    session.add(staff)
    audit.record(session, by=by, action="staff_update", record_type="staff",
                 record_id=staff.id, **changes)
    return staff


def set_pin(session: Session, staff_id: int, pin: str, *, by: int | None) -> Staff:
    """A new PIN for a staff member (an empty one is refused, not "saved" as no change)."""
    check_pin_rule(pin)
    return update_staff(session, staff_id, by=by, pin=pin)


def _active_managers(session: Session) -> int:
    return len(session.exec(
        select(Staff.id).where(Staff.role == Role.MANAGER, col(Staff.active).is_(True))
    ).all())


def list_staff(
    session: Session, *, active_only: bool = True, role: str | None = None
) -> list[Staff]:
    query = select(Staff).order_by(Staff.role, Staff.name)
    if active_only:
        query = query.where(col(Staff.active).is_(True))
    if role:
        query = query.where(Staff.role == role)
    return list(session.exec(query).all())


def set_rota(session: Session, day: date, staff_ids: list[int], *, by: int | None) -> None:
    """Replace the rota of ``day``; the order given is the rotation order."""
    require_manager(session, by)
    days.ensure_open(session, day)
    session.exec(delete(RotaEntry).where(RotaEntry.day == day))
    now = clock.now_utc()
    for position, staff_id in enumerate(dict.fromkeys(staff_ids)):
        session.add(RotaEntry(day=day, staff_id=staff_id, position=position,
                              created_at=now, created_by_id=by))
    audit.record(session, by=by, action="rota_set", record_type="rota", day=day.isoformat(),
                 staff_ids=list(staff_ids))


def on_duty(session: Session, day: date, *, role: str | None = None) -> list[Staff]:
    """Active staff on the rota of ``day``, in rotation order."""
    query = (
        select(Staff)
        .join(RotaEntry, RotaEntry.staff_id == Staff.id)
        .where(RotaEntry.day == day, col(Staff.active).is_(True))
        .order_by(RotaEntry.position, Staff.id)
    )
    if role:
        query = query.where(Staff.role == role)
    return list(session.exec(query).all())


def is_on_duty(session: Session, staff_id: int, day: date) -> bool:
    return session.exec(
        select(RotaEntry.id).where(RotaEntry.day == day, RotaEntry.staff_id == staff_id)
    ).first() is not None
