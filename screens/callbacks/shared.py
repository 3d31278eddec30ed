"""What the F5 screens say the same way: times, outcomes, the notice after a call."""

from dataclasses import dataclass
from datetime import datetime

from reception import callbacks
from reception.clock import clock
from reception.i18n import t


def hhmm(when: datetime) -> str:
    """A time of today as HH:MM, of another day as MM-DD HH:MM."""
    local = clock.local(when)
    return local.format("HH:mm") if local.date() == clock.today() else local.format(
        "MM-DD HH:mm")


def outcome_label(outcome: str) -> str:
    return t(f"callbacks.outcome.{outcome}") if outcome else ""


@dataclass(frozen=True)
class Attempted:
    """What an attempt left behind, for the notice (plain data from the writer thread)."""

    name: str
    outcome: str
    status: str
    next_try_at: datetime | None
    flagged: bool = False


def attempted(entry: callbacks.Entry, outcome: str) -> Attempted:
    return Attempted(entry.customer_name, outcome, entry.status, entry.next_try_at,
                     entry.flagged)


def notice(done: Attempted) -> str:
    """"Recorded: <name> <outcome>", and what comes next."""
    message = t("callbacks.saved", name=done.name, outcome=outcome_label(done.outcome))
    if done.flagged:
        message += " · " + t("callbacks.survey.flagged")
    elif done.status == callbacks.Status.UNREACHED:
        message += " · " + t("callbacks.closed_unreached")
    elif done.status == callbacks.Status.OPEN and done.next_try_at is not None:
        message += " · " + t("callbacks.retry_at", time=hhmm(done.next_try_at))
    return message
