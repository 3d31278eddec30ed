"""Files reception writes are the owner's alone, whatever the umask.

The database and its ``-wal``/``-shm`` (SQLite gives those the database file's mode),
copies kept before a migration, backups, exports and drafts kept in files: files are
created 0600 and folders 0700. ``write_private`` is the one way to write such a file (a
``.partial`` beside it, synced, then renamed over the target: a reader never sees half a
file); ``private_folder`` makes the folders it needs; ``create_private`` makes an empty file
for SQLite to fill. ``exposed`` tells whether others may read a file already there.
"""

import errno
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> Path:
    """``folder`` and any missing parents, each made 0700 (folders already there are left
    as they are: they may be the user's own, shared on purpose)."""
    missing = []
    current = Path(folder)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for made in reversed(missing):
        try:
            made.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue
        os.chmod(made, FOLDER_MODE)  # mkdir's mode is filtered by the umask
    if not Path(folder).is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    return folder


def create_private(path: Path, mode: int = FILE_MODE) -> bool:
    """Create ``path`` empty with ``mode``; False when it is there already (left alone)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return False
    try:
        os.fchmod(descriptor, mode)  # os.open's mode is filtered by the umask
    finally:
        os.close(descriptor)
    return True


def partial_of(target: Path) -> Path:
    return target.with_name(target.name + ".partial")


def write_private(target: Path, data: str | bytes, *, encoding: str = "utf-8",
                  mode: int = FILE_MODE) -> Path:
    """Write ``data`` to ``target`` as a whole, owner-only; OSError when it cannot be (and
    then nothing is left under either name)."""
    target = Path(target)
    private_folder(target.parent)
    partial = partial_of(target)
    body = data.encode(encoding) if isinstance(data, str) else data
    try:
        partial.unlink(missing_ok=True)  # a stale one may have another mode
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            os.fchmod(descriptor, mode)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return target


def copy_mode(source: Path) -> int:
    """The mode for a copy of ``source``: 0600, or the source's own when that is stricter
    (a read-only database makes a read-only copy)."""
    try:
        source_mode = stat.S_IMODE(os.stat(source).st_mode)
    except OSError:
        return FILE_MODE
    return FILE_MODE & source_mode or FILE_MODE


def exposed(path: Path) -> int | None:
    """The file's mode when others (its group or anyone) may read or write it, else None."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None
    return mode if mode & 0o066 else None
