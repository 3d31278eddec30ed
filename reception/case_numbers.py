"""Case numbers: a customer's number, given with their first deal (seed: 病历号).

A case number is the day (``YYYYMMDD``) followed by the day's sequence: two digits up to
99, then as many as it takes (``2013110101`` … ``2013110199``, ``20131101100``). The
sequence is counted in ``case_number_day`` under the write lock, so two counters closing
deals at the same moment never share a number.
"""

from datetime import date

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


def next_number(session: Session, day: date) -> str:
    """Take the next case number of ``day``.

    Call inside ``db.write()``: it began with BEGIN IMMEDIATE and holds the write lock, so
    two counters closing deals at the same moment queue here and never share a number.
    """
    row = session.get(CaseNumberDay, day)
    if row is None:
        row = CaseNumberDay(day=day, last_seq=0)
    row.last_seq += 1
    session.add(row)
    session.flush()
    return case_number(day, row.last_seq)


def last_issued(session: Session, day: date) -> int:
    """The highest sequence handed out on ``day`` (0: none yet)."""
    row = session.get(CaseNumberDay, day)
    return row.last_seq if row else 0
