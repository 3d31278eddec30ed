"""Drafts kept in files when the store cannot take them (busy, full disk, read-only, gone).

One JSON file per draft, owner-only (0600) in a 0700 folder of the user data directory,
named by the store and the form. They are merged back into the store once it answers
(``merge``), and the newer of a file draft and a stored one is what a form opens with.
"""

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlmodel import Session

from reception import drafts
from reception.files import private_folder


def folder() -> Path:
    return Path(platformdirs.user_data_dir("reception", appauthor=False)) / "drafts"


def _store_tag(store: str) -> str:
    return hashlib.sha256(str(store).encode()).hexdigest()[:16]


def _file(store: str, form: str, owner_id: int | None) -> Path:
    name = hashlib.sha256(f"{owner_id}:{form}".encode()).hexdigest()[:24]
    return folder() / f"{_store_tag(store)}-{name}.json"


def save(store: str, form: str, data: dict[str, Any], *, owner_id: int | None) -> Path:
    """Write the draft beside the store; OSError when even that cannot be written."""
    target = _file(store, form, owner_id)
    private_folder(target.parent)
    partial = target.with_suffix(".partial")
    body = json.dumps({"form": form, "owner_id": owner_id, "data": data}, ensure_ascii=False)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return target


def load(store: str, form: str, *, owner_id: int | None) -> dict[str, Any] | None:
    try:
        body = json.loads(_file(store, form, owner_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return body.get("data")


def discard(store: str, form: str, *, owner_id: int | None) -> None:
    _file(store, form, owner_id).unlink(missing_ok=True)


def waiting(store: str) -> list[Path]:
    """The file drafts of this store, oldest first."""
    try:
        found = list(folder().glob(f"{_store_tag(store)}-*.json"))
    except OSError:
        return []
    return sorted(found, key=lambda path: path.stat().st_mtime)


def merge(session: Session, store: str) -> list[str]:
    """Move this store's file drafts into it (in the caller's transaction); the forms moved.

    The files are removed by ``forget`` once that transaction has committed."""
    moved = []
    for path in waiting(store):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        drafts.save(session, body["form"], body["data"], owner_id=body.get("owner_id"))
        moved.append(path)
    return moved


def forget(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
