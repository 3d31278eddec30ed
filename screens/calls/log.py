"""One call as it is written to the call log, every step through the store's writer.

The screen shows a step at once and hands the writing to ``app.store.write``; the steps
are written in the order they were taken. The call's id is known once its first step is
written (on the writer thread), so the steps queued behind it use it. The call in
progress is kept as a draft (``calls.call``) in the same transaction as each step, so a
quit or a closed terminal picks it up again.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from reception import calls, drafts
from screens.form import FormScreen

#: The draft of the call in progress (the walk through the script).
DRAFT = "calls.call"
#: Where that draft was kept before drafts took the area's name.
OLD_DRAFT = "call"


class CallLog:
    def __init__(self, screen, started_at: datetime, call_id: int | None = None) -> None:
        self.screen = screen
        self.started_at = started_at
        #: Set on the writer thread once the first step is stored.
        self.id = call_id
        #: A step was taken (its writing may still be on the way).
        self.started = call_id is not None

    @property
    def app(self):
        return self.screen.app

    @property
    def staff_id(self) -> int | None:
        return self.app.staff.id if self.app.staff else None

    def step(self, *, path: list[str], fields: dict[str, str], walk: dict[str, Any],
             end: tuple[str, dict[str, Any]] | None = None, reopen: bool = False,
             done: Callable | None = None, failed: Callable | None = None) -> None:
        """Write a step taken (forward or back); ``end`` = (outcome, detail) ends the call."""
        by, started_at = self.staff_id, self.started_at
        self.started = True

        def work(session) -> int:
            call_id = self.id
            if call_id is None:
                call_id = calls.start_call(session, by=by, path=path, started_at=started_at).id
            else:
                calls.record_step(session, call_id, path=path, reopen=reopen, by=by, **fields)
            if end is not None:
                outcome, detail = end
                calls.end_call(session, call_id, path=path, outcome=outcome, by=by,
                               detail=detail, **fields)
                drafts.discard(session, DRAFT, owner_id=by)
            else:
                drafts.save(session, DRAFT, {"call_id": call_id,
                                             "started_at": started_at.isoformat(),
                                             "walk": walk}, owner_id=by)
            self.id = call_id
            return call_id

        self.app.store.write(work, done=done, failed=failed)

    def abandon(self, *, path: list[str], fields: dict[str, str], detail: dict[str, Any],
                done: Callable | None = None) -> None:
        """Break the call off; a call not logged yet is logged now (a caller who hung up)."""
        by, started_at = self.staff_id, self.started_at

        def work(session) -> None:
            calls.abandon_call(session, self.id, path=path, by=by, started_at=started_at,
                               detail=detail, **fields)
            drafts.discard(session, DRAFT, owner_id=by)

        self.app.store.write(work, done=done)

    def withdraw(self) -> None:
        """A wrong key, then back to an untouched greeting: there was no call."""
        by = self.staff_id

        def work(session) -> None:
            if self.id is not None:
                calls.withdraw_call(session, self.id, by=by)
                self.id = None
            drafts.discard(session, DRAFT, owner_id=by)

        self.app.store.write(work)


def kept_call(app) -> dict[str, Any] | None:
    """The call in progress kept as a draft, if it is still open in the log (UI thread)."""
    owner_id = app.staff.id if app.staff else None
    for key in (DRAFT, OLD_DRAFT):
        found = FormScreen.kept_draft(app, key)
        if found and found.get("call_id"):
            with app.db.read() as session:
                call = calls.get_call(session, found["call_id"])
            if call is not None and call.ended_at is None:
                return {**found, "started_at": call.started_at}
        if found:
            app.store.forget_draft(key, owner_id=owner_id)
    return None
