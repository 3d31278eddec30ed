"""Where the store's file is, and whether it can be used — without importing the database
stack, so the app can show its first screen before SQLAlchemy has loaded.
"""

import os
import sqlite3
from pathlib import Path

import platformdirs

from reception.errors import DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"


def default_path() -> Path:
    return Path(platformdirs.user_data_dir("reception", appauthor=False)) / "reception.db"


def resolve_path(cli_path: str | os.PathLike | None = None) -> Path:
    """``--db``, else ``$RECEPTION_DB``, else the user data directory."""
    chosen = cli_path or os.environ.get("RECEPTION_DB")
    if chosen and str(chosen).endswith(("/", os.sep)):
        raise DatabaseError("db.is_directory", path=chosen)
    return Path(chosen).expanduser() if chosen else default_path()


def check_file(path: Path, *, writable: bool = True) -> None:
    """Refuse, with one clear reason, a path the store cannot use."""
    if path.is_dir():
        raise DatabaseError("db.is_directory", path=path)
    if path.exists():
        # Mode bits too, not only access(): a file marked read-only stays so even for root.
        mode = path.stat().st_mode
        if not os.access(path, os.R_OK) or not mode & 0o444:
            raise DatabaseError("db.unreadable", path=path)
        if writable and (not os.access(path, os.W_OK) or not mode & 0o222):
            raise DatabaseError("db.read_only", path=path)
        if path.stat().st_size:
            with path.open("rb") as handle:
                if handle.read(16) != SQLITE_HEADER:
                    raise DatabaseError("db.not_sqlite", path=path)
        return
    if not writable:
        raise DatabaseError("db.missing", path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError("db.cannot_create", path=path, reason=error.strerror) from error
    if not os.access(path.parent, os.W_OK):
        raise DatabaseError("db.cannot_create", path=path, reason="permission denied")


def peek_sign_in(path: Path) -> list[tuple[int, str, str]] | None:
    """Who may sign in, read straight from a current store; None when it needs opening first.

    This duplicates ``reception.staff.list_staff`` in plain SQL on purpose: the sign-in
    screen is up and typeable while the full store opens in the background.
    """
    from reception.migrations import HEAD

    if not path.exists() or not path.stat().st_size:
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2)
        try:
            if connection.execute("SELECT version_num FROM alembic_version").fetchone() != (HEAD,):
                return None
            if connection.execute(
                "SELECT 1 FROM staff WHERE role = 'manager' LIMIT 1"
            ).fetchone() is None:
                return None
            return connection.execute(
                "SELECT id, name, role FROM staff WHERE active AND pin_hash != '' "
                "ORDER BY role, name"
            ).fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
