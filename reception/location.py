"""Where the store's file is, and whether it can be used — without importing the database
stack, so the app can show its first screen before SQLAlchemy has loaded.
"""

import errno
import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

import platformdirs

from reception.errors import DatabaseError
from reception.i18n import t

SQLITE_HEADER = b"SQLite format 3\x00"

#: The reasons the OS gives most often, by errno, as message keys (reception/i18n/cli.py).
REASON_OF_ERRNO = {
    errno.ENOENT: "cli.reason.not_found",
    errno.EACCES: "cli.reason.permission",
    errno.EPERM: "cli.reason.permission",
    errno.EROFS: "cli.reason.read_only_fs",
    errno.ENOSPC: "cli.reason.disk_full",
    errno.EDQUOT: "cli.reason.disk_full",
    errno.EISDIR: "cli.reason.is_folder",
    errno.ENOTDIR: "cli.reason.not_folder",
    errno.ENAMETOOLONG: "cli.reason.name_too_long",
}
#: SQLite's own words for the same (the first part of its message).
REASON_OF_SQLITE = {
    "database or disk is full": "cli.reason.disk_full",
    "disk is full": "cli.reason.disk_full",
    "attempt to write a readonly database": "cli.reason.read_only_file",
}
SQLITE_CANNOT_OPEN = "unable to open database file"


class Reason:
    """Why the OS or SQLite refused: translated when shown (in the language of that moment),
    with the raw text kept only for a refusal none of the known reasons fits."""

    def __init__(self, key: str | None, raw: str = "") -> None:
        self.key = key
        self.raw = raw

    def __str__(self) -> str:
        return t(self.key) if self.key else self.raw

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Reason({self.key!r}, {self.raw!r})"


def os_reason(error: OSError, path: Path | None = None) -> Reason:
    """The translated reason of an OSError (its errno); else, when ``path`` is given, what a
    look at the path finds (a file where a folder should be: EEXIST); else its own text."""
    raw = error.strerror or str(error)
    key = REASON_OF_ERRNO.get(error.errno)
    if key is None and path is not None:
        found = diagnose(path)
        if found.key != "cli.reason.cannot_open":
            return found
    return Reason(key, raw)


def diagnose(path: Path) -> Reason:
    """Why a file at ``path`` cannot be opened or created, found by looking at the path."""
    path = Path(path)
    if path.is_dir():
        return Reason("cli.reason.is_folder")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        if folder.parent.exists() and not folder.parent.is_dir():
            return Reason("cli.reason.not_folder")
        folder = folder.parent
    if folder != path.parent:
        return Reason("cli.reason.not_found")
    if not folder.is_dir():
        return Reason("cli.reason.not_folder")
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return Reason("cli.reason.read_only_fs")
    except OSError:
        pass
    if not os.access(folder, os.W_OK | os.X_OK) or (
            path.exists() and not os.access(path, os.R_OK)):
        return Reason("cli.reason.permission")
    return Reason("cli.reason.cannot_open", SQLITE_CANNOT_OPEN)


def explain(raw: object, path: Path | str | None = None) -> object:
    """A reason given as raw OS or SQLite text, translated when it is a known one.

    A ``Reason`` (already translated) is returned as it is; text no rule knows too.
    """
    if not isinstance(raw, str):
        return raw
    text = raw.strip()
    lowered = text.lower()
    for number, key in REASON_OF_ERRNO.items():
        if lowered == os.strerror(number).lower():
            return Reason(key, text)
    for words, key in REASON_OF_SQLITE.items():
        if lowered.startswith(words):
            return Reason(key, text)
    if lowered.startswith(SQLITE_CANNOT_OPEN):
        return diagnose(Path(path)) if path is not None else Reason(
            "cli.reason.cannot_open", text)
    return Reason(None, text)


def sqlite_uri(path: Path, **params: str) -> str:
    """A SQLite ``file:`` URI of ``path``: characters such as ``? # %`` in a folder's or file's
    name are escaped, so they name the file instead of starting the query."""
    absolute = os.path.abspath(path)
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"file:{quote(absolute, safe='/')}" + (f"?{query}" if query else "")


def schema_revision(path: Path, *, immutable: bool = False) -> str | None:
    """The schema revision written in the file (read-only, changes nothing); None if none."""
    params = {"mode": "ro", **({"immutable": "1"} if immutable else {})}
    try:
        connection = sqlite3.connect(sqlite_uri(path, **params), uri=True, timeout=2)
    except sqlite3.Error:
        return None
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def default_path() -> Path:
    return Path(platformdirs.user_data_dir("reception", appauthor=False)) / "reception.db"


def looks_like_url(value: object) -> bool:
    """Whether a store's address names a server (``postgresql://…``), not a file."""
    return isinstance(value, str) and "://" in value


def store_address(value: str | os.PathLike | None) -> str | os.PathLike | None:
    """``--db``, else ``$RECEPTION_DB`` (a path or a server's address), else None."""
    return value or os.environ.get("RECEPTION_DB") or None


def resolve_path(cli_path: str | os.PathLike | None = None) -> Path:
    """``--db``, else ``$RECEPTION_DB``, else the user data directory."""
    chosen = store_address(cli_path)
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
            from reception.file_header import header_problem

            if header_problem(path):  # cut short: refused before anything reads it
                raise DatabaseError("db.damaged", path=path)
        return
    if not writable:
        raise DatabaseError("db.missing", path=path)
    from reception.files import private_folder

    try:
        private_folder(path.parent)
    except OSError as error:
        raise DatabaseError("db.cannot_create", path=path,
                            reason=os_reason(error, path)) from error
    if not os.access(path.parent, os.W_OK):
        raise DatabaseError("db.cannot_create", path=path, reason=diagnose(path))


def peek_sign_in(path: Path) -> list[tuple[int, str, str]] | None:
    """Who may sign in, read straight from a current store; None when it needs opening first.

    This duplicates ``reception.staff.list_staff`` in plain SQL on purpose: the sign-in
    screen is up and typeable while the full store opens in the background.
    """
    from reception.migrations import HEAD

    if not isinstance(path, Path) or not path.exists() or not path.stat().st_size:
        return None
    try:
        connection = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True, timeout=2)
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
