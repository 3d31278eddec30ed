"""The time tests run at: Sunday 22 Nov 2026, 10:00 in Shanghai.

Kept apart from conftest (which brings Textual, Hypothesis and the test server with it): a
race test's child process imports its test module, and with it this, and nothing more.
"""

import os
from datetime import date

import arrow

from reception.clock import clock

TEST_TZ = "Asia/Shanghai"
TEST_NOW = "2026-11-22T10:00:00+08:00"


def today() -> date:
    return clock.today()


def at(iso: str) -> arrow.Arrow:
    """A time in the test time zone."""
    return arrow.get(iso, tzinfo=TEST_TZ)


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment for a process a test starts, at the tests' time (its
    clock reads ``RECEPTION_NOW`` and ``RECEPTION_TZ``), with ``extra`` on top."""
    return {**os.environ, "RECEPTION_NOW": TEST_NOW, "RECEPTION_TZ": TEST_TZ, **extra}
