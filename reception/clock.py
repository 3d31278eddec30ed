"""The one clock every part of the app reads, so tests (and demos) can set the time.

``RECEPTION_NOW`` (an ISO time) starts a process with the clock set, for end-to-end tests;
``RECEPTION_TZ`` names the clinic's time zone (default: this machine's).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import arrow


class Clock:
    _fixed: arrow.Arrow | None
    _fixed_at: arrow.Arrow | None
    _frozen: bool

    def __init__(self) -> None:
        self.read_environment()

    def read_environment(self) -> None:
        """Time zone and start time from ``RECEPTION_TZ`` / ``RECEPTION_NOW``, as a process
        starts (again in a process forked from one that had already imported the clock)."""
        self.tz = os.environ.get("RECEPTION_TZ") or "local"
        self.reset()
        if os.environ.get("RECEPTION_NOW"):
            self.set(arrow.get(os.environ["RECEPTION_NOW"]), frozen=False)

    def now(self) -> arrow.Arrow:
        """The current time in the clinic's time zone."""
        real = arrow.now(self.tz)
        if self._fixed is None:
            return real
        if self._frozen:
            return self._fixed.to(self.tz)
        return (self._fixed + (real - self._fixed_at)).to(self.tz)

    def now_utc(self) -> datetime:
        return self.now().to("utc").datetime

    def today(self) -> date:
        return self.now().date()

    def set(self, when: arrow.Arrow | datetime | str, *, frozen: bool = True) -> None:
        """Set the time; frozen keeps it there, otherwise it runs on from ``when``."""
        fixed = arrow.get(when)
        if fixed.tzinfo is None or isinstance(when, str) and fixed.tzinfo.utcoffset(None) is None:
            fixed = fixed.replace(tzinfo=self.tz)
        self._fixed, self._fixed_at, self._frozen = fixed, arrow.now(self.tz), frozen

    def advance(self, **shift: float) -> None:
        """Move a set clock on, e.g. ``advance(minutes=31)``."""
        if self._fixed is None:
            self.set(arrow.now(self.tz))
        self._fixed = self._fixed.shift(**shift)

    @contextmanager
    def moved_to(self, when: arrow.Arrow | datetime | str) -> Iterator[None]:
        """The clock stands at ``when`` inside the block (the demo's past days), then
        goes back to what it was."""
        kept = (self._fixed, self._fixed_at, self._frozen)
        self.set(when, frozen=True)
        try:
            yield
        finally:
            self._fixed, self._fixed_at, self._frozen = kept

    def reset(self) -> None:
        self._fixed = self._fixed_at = None
        self._frozen = False

    def local(self, when: datetime) -> arrow.Arrow:
        """A stored (UTC) time in the clinic's time zone."""
        return arrow.get(when).to(self.tz)

    def day_of(self, when: datetime) -> date:
        return self.local(when).date()


clock = Clock()
