"""Template stores built once per run, not once per worker.

The migrated store, the team's and the demo's month are each built by the first process of
the run that asks, under a lock on a file in the run's temp folder (pytest-xdist's workers
each have a folder in it); the others wait for it and copy it. Built once per worker, they
cost each worker a migration, a team and the demo's month (5 s on the server), and the
server kept a copy of each per worker, in memory (``postgres.memory_folder``).
"""

import fcntl
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.postgres import Server


def run_folder(tmp_path_factory) -> Path:
    """The temp folder of the whole run: a worker's own (``popen-gw0``) is in it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if base.name.startswith("popen-") else base


@contextmanager
def _locked(folder: Path, name: str) -> Iterator[None]:
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # let go when the file closes, or its process ends
        yield


def shared_file(folder: Path, name: str, build: Callable[[Path], None]) -> Path:
    """``folder/name``, made by ``build(path)`` in the first process that asks."""
    path = folder / name
    with _locked(folder, name):
        if not path.exists():
            partial = folder / f"{name}.partial"
            partial.unlink(missing_ok=True)
            build(partial)
            # Its last connection folded the log into it (one file to copy): a log left
            # behind would be lost.
            assert not Path(f"{partial}-wal").exists(), partial
            partial.rename(path)  # whole, or not there
    return path


def shared_database(folder: Path, server: Server, key: str, build: Callable[[str], None],
                    *, template: str | None = None) -> str:
    """A database on the run's server (a copy of ``template``) made by ``build(name)`` in
    the first process that asks (the others find its name in ``folder``, once whole)."""
    done = folder / f"{key}.database"
    with _locked(folder, key):
        if not done.exists():
            name = server.create_database(template=template)
            build(name)
            done.write_text(name)
    return done.read_text()


def file_name(*key: object) -> str:
    """A name for a template from its key (letters, digits and dashes only)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", "-".join(map(str, key)))
