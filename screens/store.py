"""The app's way to the store: off the UI thread, in order, and never fatal.

Writes run one after another on a writer thread (so a draft saved before a form is sent is
committed before it); reads that may wait run on a reader thread. Each call's result comes
back to the UI thread. While another program holds the write lock the writer tries again
every second and the status line says the store is busy; a full disk, a read-only or a
vanished file is one line on the status line and the caller's ``failed``; nothing here
ends the app. Drafts the store cannot take go to files (``reception.draft_files``) and are
merged back once it answers.
"""

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

from reception import draft_files, drafts
from reception.errors import DatabaseError, ReceptionError
from reception.i18n import t

#: How long one attempt waits for another program's write lock before saying "busy".
ATTEMPT_MS = 800
#: Problems of the store itself (not of what was typed): shown on the status line.
STORE_PROBLEMS = {"db.locked", "db.disk_full", "db.read_only", "db.vanished", "db.error",
                  "db.not_sqlite", "db.missing", "db.unreadable", "db.unavailable",
                  "db.auth_failed", "db.not_allowed"}
#: Problems that pass by themselves (another program's lock, a server restarting): a save
#: is tried again until the store answers.
PASSING = {"db.locked", "db.unavailable"}


class Answered(Message):
    """A store call finished: run ``callback`` on the UI thread (posted, never waited for)."""

    def __init__(self, callback) -> None:
        super().__init__()
        self.callback = callback


@dataclass
class Job:
    work: Callable[..., Any]
    write: bool
    done: Callable[[Any], None] | None = None
    failed: Callable[[ReceptionError], None] | None = None
    #: Try again while the lock is held (a save); False gives up at once (a heartbeat).
    wait_for_lock: bool = True
    started: float = field(default_factory=time.monotonic)


class Store:
    def __init__(self, app) -> None:
        self.app = app
        self.problem: ReceptionError | None = None
        self.busy_since: float | None = None
        self._queues = {True: queue.Queue(), False: queue.Queue()}
        self._pending = 0
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        #: Drafts waiting for the writer, the latest values per (form, owner); and those
        #: being written (kept until the write has committed, to go to a file if it fails).
        self._drafts: dict[tuple[str, int | None], dict[str, Any]] = {}
        self._writing: dict[tuple[str, int | None], dict[str, Any]] = {}

    # --- what screens call -----------------------------------------------------------

    def write(self, work, *, done=None, failed=None, wait_for_lock: bool = True) -> None:
        """``work(session)`` in a write unit of work, after every write asked for before."""
        self._submit(Job(work, True, done, failed, wait_for_lock))

    def read(self, work, *, done=None, failed=None) -> None:
        """``work(session)`` on a consistent snapshot, off the UI thread."""
        self._submit(Job(work, False, done, failed))

    def save_draft(self, form: str, values: dict[str, Any], *, owner_id: int | None) -> None:
        """Keep a form's draft; only the latest values of each form are written."""
        key = (form, owner_id)
        with self._lock:
            queued = key in self._drafts
            self._drafts[key] = values
        if not queued:
            self._submit(Job(lambda session: self._write_draft(session, key), True,
                             done=lambda written: self._draft_written(key, written),
                             wait_for_lock=False, failed=lambda error: self._spill_drafts()))

    def forget_draft(self, form: str, *, owner_id: int | None) -> None:
        """Drop a draft (the form was saved or cleared): queued values too, and its file."""
        with self._lock:
            self._drafts.pop((form, owner_id), None)
            self._writing.pop((form, owner_id), None)
        self.write(lambda session: self._discard_draft(session, form, owner_id),
                   failed=lambda error: None, wait_for_lock=False)

    @property
    def idle(self) -> bool:
        with self._lock:
            return self._pending == 0

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Block until every call has finished (a quit or a hang-up, and tests)."""
        deadline = time.monotonic() + timeout
        while not self.idle:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    # --- the threads ------------------------------------------------------------------

    def _submit(self, job: Job) -> None:
        with self._lock:
            self._pending += 1
            if not self._threads:
                for write in (True, False):
                    thread = threading.Thread(target=self._serve, args=(write,), daemon=True,
                                              name=f"store-{'writer' if write else 'reader'}")
                    thread.start()
                    self._threads.append(thread)
        self._queues[job.write].put(job)

    def _serve(self, write: bool) -> None:
        jobs = self._queues[write]
        while True:
            job = jobs.get()
            if job is None:
                return
            try:
                outcome = (True, self._attempt(job))
            except Exception as error:  # noqa: BLE001 — reported on the UI thread, never fatal
                outcome = (False, error)
            self._deliver(job, outcome)

    def _attempt(self, job: Job) -> Any:
        database = self.app.db
        while True:
            try:
                if job.write:
                    if database.vanished():
                        raise DatabaseError("db.vanished", path=database.path)
                    with database.write(busy_ms=ATTEMPT_MS) as session:
                        result = job.work(session)
                    self._store_answered()
                    return result
                with database.read() as session:
                    return job.work(session)
            except DatabaseError as error:
                if error.message_key not in PASSING or not job.wait_for_lock or self._closing:
                    raise
                if error.message_key == "db.unavailable":
                    self._say_unavailable(error)
                    time.sleep(ATTEMPT_MS / 1000)  # the lock wait's pace, without a lock
                else:
                    self._say_busy()

    _closing = False

    def _say_busy(self) -> None:
        if self.busy_since is None:
            self.busy_since = time.monotonic()
            self._call_ui(self.app.update_status_line)

    def _say_unavailable(self, error: DatabaseError) -> None:
        if self.problem is None or self.problem.message_key != error.message_key:
            self.problem = error
            self._call_ui(self.app.update_status_line)

    def _store_answered(self) -> None:
        was_troubled = self.busy_since is not None or self.problem is not None
        self.busy_since = None
        self.problem = None
        if was_troubled:
            self._merge_file_drafts()
            self._call_ui(self.app.update_status_line)

    def merge_file_drafts(self) -> None:
        """Drafts left in files (the store could not take them, then the app ended) go back
        into the store: at start, and whenever the store answers again after trouble."""
        store = str(self.app.db.path)
        if draft_files.waiting(store):
            self._submit(Job(lambda session: draft_files.merge(session, store), True,
                             wait_for_lock=False, done=draft_files.forget,
                             failed=lambda error: None))

    def _merge_file_drafts(self) -> None:
        store = str(self.app.db.path)
        if not draft_files.waiting(store):
            return
        try:
            with self.app.db.write(busy_ms=ATTEMPT_MS) as session:
                moved = draft_files.merge(session, store)
        except ReceptionError:
            return
        draft_files.forget(moved)

    def _deliver(self, job: Job, outcome: tuple[bool, Any]) -> None:
        def finish() -> None:
            succeeded, value = outcome
            if succeeded:
                if job.done is not None:
                    job.done(value)
                return
            self.app.store_failed(value, job.failed)

        # The answer is queued before the call counts as finished: whoever sees the store
        # idle (a test, a quit) sees the answer waiting on the app's queue.
        try:
            self._call_ui(finish)
        finally:
            with self._lock:
                self._pending -= 1

    def _call_ui(self, callback) -> None:
        self.app.post_message(Answered(callback))

    # --- drafts on the writer thread --------------------------------------------------

    def _write_draft(self, session, key) -> dict[str, Any] | None:
        with self._lock:
            values = self._drafts.pop(key, None)
            if values is not None:
                self._writing[key] = values
        if values is not None:
            form, owner_id = key
            drafts.save(session, form, values, owner_id=owner_id)
        return values

    def _draft_written(self, key, written: dict[str, Any] | None) -> None:
        with self._lock:
            # None: forgotten before the writer got to it (saved, or cleared) — nothing left.
            if written is not None and self._writing.get(key) is written:
                del self._writing[key]
        if written is not None:
            draft_files.discard(str(self.app.db.path), key[0], owner_id=key[1])

    def _discard_draft(self, session, form: str, owner_id: int | None) -> None:
        drafts.discard(session, form, owner_id=owner_id)
        draft_files.discard(str(self.app.db.path), form, owner_id=owner_id)

    def _spill_drafts(self) -> None:
        """The store did not take them: every waiting draft goes to its file."""
        with self._lock:
            waiting = {**self._writing, **self._drafts}
            self._drafts, self._writing = {}, {}
        for (form, owner_id), values in waiting.items():
            self._draft_to_file(form, values, owner_id)

    def _draft_to_file(self, form, values, owner_id) -> None:
        try:
            draft_files.save(str(self.app.db.path), form, values, owner_id=owner_id)
        except OSError:
            pass  # the text stays in the form on screen; the status line says why

    def report(self, error: Exception, failed=None) -> None:
        """A call went wrong (UI thread): a store problem goes on the status line, the
        caller's ``failed`` (or a notice) says the rest; nothing ends the app."""
        from reception.db import StoreFailure

        if isinstance(error, StoreFailure):
            error = self.app.db.translate(error)
        if isinstance(error, DatabaseError) and error.message_key in STORE_PROBLEMS:
            if error.message_key != "db.locked":
                self.problem = error
            self.app.update_status_line()
        if not isinstance(error, ReceptionError):
            self.app.log.error("store call failed", repr(error))
            error = ReceptionError("store.unexpected", error=f"{type(error).__name__}: {error}")
        if failed is not None:
            failed(error)
        else:
            self.app.notify(str(error), severity="error")

    def status(self) -> str:
        """What the status line says about the store, or ''."""
        if self.problem is not None:
            return t("store.problem", problem=str(self.problem))
        if self.busy_since is not None:
            return t("store.busy")
        return ""

    def close(self, timeout: float = 5.0) -> None:
        """Finish what was asked (a last draft), then stop the threads."""
        self._closing = True
        self.wait_idle(timeout)
        for write in (True, False):
            self._queues[write].put(None)
