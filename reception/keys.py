"""The key log: which room keys are out, with whom, and which are overdue.

(Lending and returning are built on this in the key-log work; these queries feed the
dashboard and every screen's status line.)
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from models import KeyEvent, KeyEventKind, RoomKey, Staff
from reception.clock import clock


@dataclass(frozen=True)
class KeyOut:
    key: RoomKey
    loan: KeyEvent
    holder: Staff | None

    def minutes_out(self, now: datetime | None = None) -> int:
        now = now or clock.now_utc()
        return int((now - self.loan.at).total_seconds() // 60)

    def is_overdue(self, now: datetime | None = None) -> bool:
        return self.minutes_out(now) > self.key.limit_minutes


def keys_out(session: Session) -> list[KeyOut]:
    """Loans with no return and no correction voiding them, oldest first."""
    closing = aliased(KeyEvent)
    open_loans = (
        select(KeyEvent, RoomKey, Staff)
        .join(RoomKey, RoomKey.id == KeyEvent.key_id)
        .outerjoin(Staff, Staff.id == KeyEvent.staff_id)
        .where(KeyEvent.kind == KeyEventKind.OUT)
        .where(
            ~select(closing.id)
            .where(
                (closing.loan_id == KeyEvent.id)
                & col(closing.kind).in_([KeyEventKind.BACK, KeyEventKind.CORRECTION])
            )
            .exists()
        )
        .order_by(KeyEvent.at)
    )
    return [KeyOut(key=key, loan=loan, holder=holder)
            for loan, key, holder in session.exec(open_loans).all()]


def overdue(session: Session) -> list[str]:
    """Names of the keys out longer than their limit (for the status line)."""
    now = clock.now_utc()
    return [out.key.name for out in keys_out(session) if out.is_overdue(now)]
