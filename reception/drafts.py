"""Drafts of half-filled forms, kept in the store so Escape, a crash or a hang-up loses nothing."""

import json
from typing import Any

from sqlmodel import Session, select

from models import Draft
from reception.clock import clock


def _find(session: Session, form: str, owner_id: int | None) -> Draft | None:
    return session.exec(select(Draft).where(Draft.form == form, Draft.owner_id == owner_id)).first()


def save(session: Session, form: str, data: dict[str, Any], *, owner_id: int | None) -> None:
    """Keep (or replace) the draft of ``form``; an empty form removes it."""
    draft = _find(session, form, owner_id)
    if not any(value is not None and str(value).strip() for value in data.values()):
        if draft is not None:
            session.delete(draft)
        return
    now = clock.now_utc()
    if draft is None:
        draft = Draft(form=form, owner_id=owner_id, created_at=now, created_by_id=owner_id,
                      saved_at=now)
    draft.data = json.dumps(data, ensure_ascii=False)
    draft.saved_at = now
    session.add(draft)


def load(session: Session, form: str, *, owner_id: int | None) -> dict[str, Any] | None:
    draft = _find(session, form, owner_id)
    return json.loads(draft.data) if draft is not None else None


def discard(session: Session, form: str, *, owner_id: int | None) -> None:
    draft = _find(session, form, owner_id)
    if draft is not None:
        session.delete(draft)


def latest(session: Session, prefix: str, *,
           owner_id: int | None) -> tuple[str, dict[str, Any]] | None:
    """The most recently saved of a family of forms (``keys.lend.3``, ``keys.lend.5`` …)."""
    draft = session.exec(
        select(Draft).where(Draft.form.startswith(prefix, autoescape=True),
                            Draft.owner_id == owner_id)
        .order_by(Draft.saved_at.desc(), Draft.id.desc())).first()
    return (draft.form, json.loads(draft.data)) if draft is not None else None


def pending(session: Session, *, owner_id: int | None) -> list[str]:
    """Forms with a draft waiting for this staff member."""
    return list(session.exec(select(Draft.form).where(Draft.owner_id == owner_id)).all())
