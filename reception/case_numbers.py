"""Case numbers: a customer's number, given with their first deal (seed: 病历号).

A case number is the day (``YYYYMMDD``) followed by the day's sequence: two digits up to
99, then as many as it takes (``2013110101`` … ``2013110199``, ``20131101100``). The
sequence is counted in ``case_number_day`` under a lock of the whole chain's case numbers
(``reception.db.chain_lock``), so two counters closing deals at the same moment never share
a number.
"""

from datetime import date

from sqlalchemy import Date, bindparam, text
from sqlmodel import Session

from models import CaseNumberDay


def day_prefix(day: date) -> str:
    """``20131101``: what every case number of ``day`` starts with."""
    return f"{day:%Y%m%d}"


def case_number(day: date, sequence: int) -> str:
    """``2013110101``: the day and its sequence, two digits (three and more after 99)."""
    return f"{day_prefix(day)}{sequence:02d}"


def sequence_of(number: str, day: date) -> int | None:
    """The sequence in a number of ``day`` (``"2013110107"`` → 7), however it is padded;
    None when the number is not of that day or its sequence is not digits."""
    prefix = day_prefix(day)
    if not number.startswith(prefix):
        return None
    suffix = number[len(prefix):]
    return int(suffix) if suffix.isascii() and suffix.isdigit() else None


def parse(number: str) -> tuple[date, int] | None:
    """``"2013110101"`` → ``(date(2013, 11, 1), 1)``; None unless the number is well
    formed: a real day, a sequence from 1, padded to two digits and no more."""
    head, suffix = number[:8], number[8:]
    if not (head.isascii() and head.isdigit() and suffix.isascii() and suffix.isdigit()):
        return None
    try:
        day = date(int(head[:4]), int(head[4:6]), int(head[6:]))
    except ValueError:
        return None
    sequence = int(suffix)
    if sequence < 1 or number != case_number(day, sequence):
        return None
    return day, sequence


#: The day's sequence moved on and read in one statement (SQLite and PostgreSQL alike).
_TAKE = text(
    "INSERT INTO case_number_day (day, last_seq) VALUES (:day, 1) ON CONFLICT (day) "
    "DO UPDATE SET last_seq = case_number_day.last_seq + 1 RETURNING last_seq"
).bindparams(bindparam("day", type_=Date()))


def next_number(session: Session, day: date) -> str:
    """Take the next case number of ``day``.

    Call inside ``db.write()`` after ``db.chain_lock(session, "case_number", day)``: on
    SQLite the unit of work holds the file's write lock, on a server that lock, so two
    counters (of any branches) closing deals at the same moment queue and never share a
    number; a unit that does not commit gives its number back.
    """
    sequence = session.execute(_TAKE, {"day": day}).scalar_one()
    kept = session.identity_map.get(session.identity_key(CaseNumberDay, day))
    if kept is not None:
        session.expire(kept)  # read before: it no longer says the last number
    return case_number(day, sequence)


def last_issued(session: Session, day: date) -> int:
    """The highest sequence handed out on ``day`` (0: none yet)."""
    row = session.get(CaseNumberDay, day)
    return row.last_seq if row else 0
