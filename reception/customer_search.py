"""Customer search as you type, ranked: the right customer first (``customers.search``).

Results come best first:

1. an exact phone, case number or appointment number (and an exact full name or full
   pinyin initials);
2. a phone that ends with the typed digits; a name or initials that start with the text;
3. a match at any other position: inside the phone or case number (three digits or more),
   inside the name or initials (from one character: ``芳彤`` finds 付芳彤).

Within each of these, people in the building now (a visit today, not left) or with an
appointment today come first, then the most recent visit (``customer.last_visit_at``), then
the newest customer. Full-width input (``５６７８``) searches as ASCII.

It never reads a whole table. One statement reads, each part from an index and with the
limit: today's visits and appointments (their customers are matched here, in Python), the
exact matches (unique indexes), the phone endings (``phone_reversed`` index) or name and
initials starts (``name`` and ``name_initials`` indexes), and for one or two characters the
pieces table ``customer_search_gram`` (primary key ``gram, edge, visited``: the most recent
first, straight from the key). A second statement, only when the first found fewer than the
limit, reads matches at any other position from the trigram index (FTS5 on SQLite, pg_trgm
on PostgreSQL, where the server checks that condition itself inside the first statement:
one round trip). The SQL of each store is in ``reception.search_sql``; the structures are made
and kept by migration 0004. Both stores give the same results in the same order.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text
from sqlmodel import Session

from models.types import UTCDateTime
from reception import phones, search_sql
from reception.clock import clock
from reception.errors import ValidationError
from reception.i18n import t
from reception.search_sql import TRIGRAM
from reception.text import narrow

SEARCH_LIMIT = 20
#: The three ranks of a match (see the module's description).
EXACT, EDGE, PART = 0, 1, 2
_SEPARATORS = re.compile(r"[\s\-()（）.]")


@dataclass(frozen=True)
class Found:
    """One result row: what the list shows to tell namesakes apart, and why it matched."""

    id: int
    name: str
    phone: str
    case_number: str | None
    #: Her own consultant's name ("" when she has none).
    consultant: str
    last_visit_at: datetime | None
    #: In the building now: a visit today that has not left.
    here: bool
    #: An appointment today not yet arrived.
    booked_today: bool
    #: EXACT, EDGE or PART.
    rank: int
    #: What matched: a ``search.why.*`` code (``phone_end``, ``name_part`` …).
    why: str
    #: The matched characters of ``phone`` (and of ``phone_shown``), or None.
    phone_span: tuple[int, int] | None = None
    #: The matched characters of ``name`` (initials matches mark their characters), or None.
    name_span: tuple[int, int] | None = None
    #: The appointment number typed, when it is what matched.
    appointment_number: str = ""

    @property
    def phone_shown(self) -> str:
        """The masked phone with the matched digits visible (``138****5678``)."""
        return phones.mask_showing(self.phone, self.phone_span)

    @property
    def last_visit_day(self) -> date | None:
        return None if self.last_visit_at is None else clock.local(self.last_visit_at).date()

    @property
    def why_label(self) -> str:
        return t(f"search.why.{self.why}")


@dataclass(frozen=True)
class _Query:
    typed: str
    lower: str
    #: The digits typed (separators dropped) when the query is a number, else None.
    digits: str | None
    #: The stored forms an exact phone would have.
    phones: frozenset[str]


def _read(typed_query: str) -> _Query | None:
    # NUL ends an FTS5 string early; nobody searches for one.
    # A Chinese input method types digits and letters in full width: ``５６７８``.
    typed = narrow(typed_query).replace("\x00", "").strip()
    if not typed:
        return None
    stripped = _SEPARATORS.sub("", typed)
    digits = stripped.removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        digits = None
    forms = set()
    if digits:
        forms.add(digits)
        try:
            forms.add(phones.normalise(typed))
        except ValidationError:
            pass
    return _Query(typed, typed.lower(), digits, frozenset(forms))


# --- the statements (``reception.search_sql``) -------------------------------------------


def _run(session: Session, sql: str, params: dict) -> list:
    statement = text(sql).columns(last_visit_at=UTCDateTime)
    return session.execute(statement, params).all()


# --- why a row matched --------------------------------------------------------------------


def _matches(row, query: _Query) -> tuple[int, str, tuple | None, tuple | None] | None:
    """``(rank, why, phone_span, name_span)`` of the best way ``row`` matches, or None."""
    found: list[tuple[int, str, tuple | None, tuple | None]] = []
    phone, digits = row.phone, query.digits
    case_number = row.case_number or ""
    if digits:
        if phone in query.phones:
            found.append((EXACT, "phone", (0, len(phone)), None))
        if case_number and case_number == digits:
            found.append((EXACT, "case_number", None, None))
        if phone.endswith(digits):
            found.append((EDGE, "phone_end", (len(phone) - len(digits), len(phone)), None))
        elif len(digits) >= TRIGRAM and digits in phone:
            at = phone.rfind(digits)
            found.append((PART, "phone_part", (at, at + len(digits)), None))
        if len(digits) >= TRIGRAM and digits in case_number and case_number != digits:
            found.append((PART, "case_number_part", None, None))
    name, initials, typed = row.name.lower(), row.name_initials, query.lower
    one_letter_each = len(initials) == len(row.name)
    for text_, why in ((name, "name"), (initials, "initials")):
        at = text_.find(typed)
        if at < 0:
            continue
        span = (at, at + len(typed)) if why == "name" or one_letter_each else None
        if text_ == typed:
            found.append((EXACT, why, None, span))
        elif at == 0:
            found.append((EDGE, f"{why}_start", None, span))
        else:
            found.append((PART, f"{why}_part", None, span))
    return min(found, key=lambda match: match[0]) if found else None


# --- the entry point ----------------------------------------------------------------------


def search(session: Session, query: str, *, limit: int = SEARCH_LIMIT) -> list[Found]:
    """Customers matching ``query``, best first (see the module's description)."""
    read = _read(query)
    if read is None or limit < 1:
        return []
    built = search_sql.statements(
        session.get_bind().dialect.name, typed=read.typed, lower=read.lower,
        digits=read.digits, phones=read.phones, today=clock.today())
    params = built.params
    params["limit"] = limit
    rows = _run(session, built.first(), params)
    best = _rank(rows, read)
    if (built.second is not None and not built.together
            and sum(1 for match in best.values() if match[0] <= EDGE) < limit):
        rows += _run(session, search_sql.select([built.second]), params)
        best = _rank(rows, read)
    today = {(row.id, row.hint) for row in rows if row.hint in ("here", "booked")}
    by_id = {row.id: row for row in rows}

    def order(customer_id: int):
        row = by_id[customer_id]
        present = (customer_id, "here") in today or (customer_id, "booked") in today
        visited = row.last_visit_at
        return (best[customer_id][0], not present, visited is None,
                -visited.timestamp() if visited else 0, -customer_id)

    results = []
    for customer_id in sorted(best, key=order)[:limit]:
        row = by_id[customer_id]
        rank, why, phone_span, name_span = best[customer_id]
        results.append(Found(
            id=row.id, name=row.name, phone=row.phone, case_number=row.case_number,
            consultant=row.consultant, last_visit_at=row.last_visit_at,
            here=(customer_id, "here") in today, booked_today=(customer_id, "booked") in today,
            rank=rank, why=why, phone_span=phone_span, name_span=name_span,
            appointment_number=read.typed if why == "appointment" else ""))
    return results


def _rank(rows: list, query: _Query) -> dict[int, tuple]:
    """Each matching customer's best match; an appointment number matches outright."""
    best: dict[int, tuple] = {}
    for row in rows:
        if row.hint == "appointment":
            match = (EXACT, "appointment", None, None)
        else:
            match = _matches(row, query)
        if match is not None and (row.id not in best or match[0] < best[row.id][0]):
            best[row.id] = match
    return best
