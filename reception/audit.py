"""The audit trail: who did what to which record, and when (append-only)."""

import json

from sqlmodel import Session

from models import AuditEntry
from reception.clock import clock


def record(
    session: Session,
    *,
    by: int | None,
    action: str,
    record_type: str = "",
    record_id: int | None = None,
    **detail: object,
) -> None:
    session.add(
        AuditEntry(
            at=clock.now_utc(),
            staff_id=by,
            action=action,
            record_type=record_type,
            record_id=record_id,
            detail=json.dumps(detail, ensure_ascii=False, default=str),
        )
    )
