"""Room keys and who may take them (seed 002 §15–16), and the clinic's closing time for keys.

The manager sets up the keys (name, roles allowed, time limit, manager approval); the
archive room's key also fetches case files (triage path C2).
"""

from datetime import date, datetime

import arrow
from sqlmodel import Session, col, select

from models import Role, RoomKey, Staff
from reception import audit, settings, times
from reception.clock import clock
from reception.errors import ReceptionError, ValidationError
from reception.i18n import t
from reception.permissions import require_manager

ARCHIVE_NAME = "档案室"


VIP_NAME = "VIP室"


DEFAULT_LIMIT_MINUTES = 30


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
    require_manager(session, by, error=KeyLogError)
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
    require_manager(session, by, error=KeyLogError)
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
def closing_time(session: Session, day: date) -> datetime:
    """The clinic's closing time on ``day`` (UTC, aware)."""
    closing = settings.load(session).closing
    hours, minutes = closing.hour, closing.minute
    local = arrow.Arrow(day.year, day.month, day.day, hours, minutes, tzinfo=clock.tz)
    return local.to("utc").datetime


def set_closing_time(session: Session, value: str, *, by: int | None) -> str:
    """The key setup's closing time: the settings screen's own rule and audit, with the
    key log's words for a refusal."""
    require_manager(session, by, error=KeyLogError)
    times.parse_hhmm(value, field="closing_time", message="keys.bad_time")
    return settings.update(session, "closing_time", value, by=by)


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
