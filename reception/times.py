"""Times of day as typed at the desk: the one HH:MM parser.

``9:00``, ``09:00``, ``20:5`` and, from a Chinese input method, ``１４：３０`` or ``21：30``
are all read the same way (``reception.text.narrow``). A time outside 00:00–23:59 is
refused with the caller's field and message, so each form keeps its own words.

``loose=True`` (the phone booking) also takes what is said on the phone and typed fast:
``14.30``, ``1430`` and a bare hour ``14``.
"""

import re
from datetime import time

from reception.errors import ValidationError
from reception.text import narrow

_STRICT = re.compile(r"(\d{1,2}):(\d{1,2})", re.ASCII)
_LOOSE = re.compile(r"(\d{1,2})[:](\d{1,2})|(\d{1,2})\.(\d{2})|(\d{1,2})(\d{2})|(\d{1,2})()",
                    re.ASCII)


def parse_hhmm(text: str, *, field: str, message: str, loose: bool = False) -> tuple[int, int]:
    """``"9:05"`` → ``(9, 5)``; anything that is not a time of day raises
    ``ValidationError(field, message, value=<the text>)``."""
    cleaned = narrow(text).strip()
    match = (_LOOSE if loose else _STRICT).fullmatch(cleaned)
    if match is None:
        raise ValidationError(field, message, value=cleaned)
    hours_text, minutes_text = [group for group in match.groups() if group is not None][:2]
    hours, minutes = int(hours_text), int(minutes_text or 0)
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ValidationError(field, message, value=cleaned)
    return hours, minutes


def hhmm(text: str, *, field: str, message: str, loose: bool = False) -> str:
    """The time typed, as stored: ``"9:5"`` → ``"09:05"``."""
    hours, minutes = parse_hhmm(text, field=field, message=message, loose=loose)
    return f"{hours:02d}:{minutes:02d}"


def time_of(stored: str) -> time:
    """A stored ``HH:MM`` (a setting) as a ``datetime.time``."""
    hours, minutes = parse_hhmm(stored, field="time", message="settings.bad_time")
    return time(hours, minutes)
