"""Who may do what: the one manager check every manager-only rule goes through.

A manager whose record has been deactivated (left the clinic) is no longer a manager: a
session still open in their name, or an id kept by a screen, cannot change settings,
rules, keys or days.
"""

from sqlmodel import Session

from models import Role, Staff
from reception.errors import ReceptionError, StaffError


def is_active_manager(staff: Staff | None) -> bool:
    return staff is not None and staff.active and staff.role == Role.MANAGER


def require_manager(
    session: Session, by: int | None, *, error: type[ReceptionError] = StaffError,
    message: str = "staff.manager_only",
) -> Staff:
    """The acting staff member, if an active manager; else ``error(message)``."""
    manager = session.get(Staff, by) if by is not None else None
    if not is_active_manager(manager):
        raise error(message)
    return manager
