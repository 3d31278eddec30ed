"""The customer search's statements, for each store (``customer_search`` ranks what they read).

Both stores read the same parts, each from an index and with the limit, most recent visit
first; only the SQL differs, and it differs here only:

- today's visits and appointments, the appointment typed by its number, and the exact
  phone, case number, name and initials (unique and plain indexes);
- one or two characters: the pieces table ``customer_search_gram`` (primary key ``gram, edge,
  visited``: the most recent first, straight from the key), kept by triggers on both;
- three or more: phone endings from the reversed phone, name and initials starts from their
  own indexes (an index range; on PostgreSQL in the "C" collation, byte order as on
  SQLite), and — in a second statement — matches at any other position: the FTS5 trigram
  index ``customer_search`` on SQLite, pg_trgm's GIN trigram indexes (``LIKE '%…%'``) on
  PostgreSQL (which needs a UTF-8 ``LC_CTYPE`` to index Chinese). The server plans each
  statement for the values typed (``plan_cache_mode``, set by ``reception.server_store``):
  a prepared statement's generic plan cannot tell what a ``LIKE`` will match.

On SQLite the second statement is asked for only when the first found fewer than the limit
exact and edge matches. On PostgreSQL both go in one statement (``select``), one round trip
to the server: the matches at any other position are read there under the same condition
(the server counts the first part's exact and edge rows: never more than the ranking does,
so it reads them whenever the second statement would have been asked for).

The structures are made by migration 0004 (``reception.migrations.postgres`` on a server).
"""

from dataclasses import dataclass, field
from datetime import date

#: Shortest query a trigram index can match (FTS5's trigram tokenizer; pg_trgm).
TRIGRAM = 3
POSTGRESQL = "postgresql"

_COLUMNS = ("c.id, c.name, c.phone, c.name_initials, c.case_number, c.consultant_id, "
            "c.last_visit_at")


@dataclass
class Statements:
    """The parts of the first statement, the optional second one, and their parameters;
    ``together``: the second is in the first statement already (``select``)."""

    parts: list[str]
    second: str | None
    params: dict = field(default_factory=dict)
    together: bool = False

    def first(self) -> str:
        return select(self.parts, then=self.second if self.together else None)


#: The parts whose rows are exact or edge matches (``customer_search``'s EXACT and EDGE):
#: what the server counts before it reads matches at any other position.
_EXACT_OR_EDGE = "('exact', 'edge', 'appointment')"


def select(parts: list[str], *, then: str | None = None) -> str:
    """One statement: the rows of ``parts`` with each customer's consultant; ``then``: also
    the rows of that statement, read only when the parts found fewer than ``:limit``
    different customers matching exactly or at the edge (a one-time filter: otherwise
    the server never starts reading them)."""
    rows = " UNION ALL ".join(parts)
    found = ""
    if then is not None:
        found = f"WITH found AS MATERIALIZED ({rows}) "
        rows = (f"SELECT * FROM found UNION ALL SELECT * FROM ({then}) AS more "
                f"WHERE (SELECT count(DISTINCT f.id) FROM found f "
                f"WHERE f.hint IN {_EXACT_OR_EDGE}) < :limit")
    return (f"{found}SELECT u.*, coalesce(s.name, '') AS consultant FROM ({rows}) AS u "
            "LEFT JOIN staff s ON s.id = u.consultant_id")


class _Dialect:
    def __init__(self, name: str) -> None:
        self.server = name == POSTGRESQL

    def recent(self) -> str:
        # SQLite puts NULL (never visited) last in a descending order; PostgreSQL first.
        nulls = " NULLS LAST" if self.server else ""
        return f"ORDER BY c.last_visit_at DESC{nulls}, c.id DESC LIMIT :limit"

    def part(self, hint: str, where: str, *, recent: bool = True) -> str:
        order = " " + self.recent() if recent else ""
        return (f"SELECT * FROM (SELECT '{hint}' AS hint, {_COLUMNS} FROM customer c "
                f"WHERE {where}{order}) AS p")

    def starts(self, column: str, key: str) -> str:
        """``column`` starts with the parameter ``key`` (bounds from ``_range``)."""
        if self.server:
            column = f'{column} COLLATE "C"'
        return f"{column} >= :{key} AND {column} < :{key}_end"

    def anywhere(self, columns: tuple[str, ...], typed: str, params: dict) -> str:
        """The second statement: a match at any position of ``columns`` (three characters
        or more), the ``limit`` most recent."""
        if not self.server:
            params["match"] = "{" + " ".join(columns) + "} : " + _phrase(typed)
            return self.part("part", "c.id IN (SELECT rowid FROM customer_search "
                                     "WHERE customer_search MATCH :match)")
        # One part per trigram index (an OR of two would read the whole table instead),
        # then the most recent of them: what SQLite's one index gives.
        params["anywhere"] = "%" + _like_escaped(typed.lower()) + "%"
        union = " UNION ".join(self.part("part", f"{_TRIGRAM_INDEXED[column]} LIKE :anywhere")
                               for column in columns)
        return (f"SELECT * FROM ({union}) AS m "
                "ORDER BY m.last_visit_at DESC NULLS LAST, m.id DESC LIMIT :limit")


#: The expressions pg_trgm's GIN indexes are built on (``reception.migrations.postgres``).
_TRIGRAM_INDEXED = {"name": "lower(c.name)", "name_initials": "lower(c.name_initials)",
                    "phone": "c.phone", "case_number": "coalesce(c.case_number, '')"}


def _gram(hint: str, edge: int) -> str:
    return (f"SELECT * FROM (SELECT '{hint}' AS hint, {_COLUMNS} FROM customer_search_gram g "
            f"JOIN customer c ON c.id = g.customer_id WHERE g.gram = :gram AND g.edge = {edge} "
            "ORDER BY g.visited DESC, g.customer_id DESC LIMIT :limit) AS p")


def statements(dialect: str, *, typed: str, lower: str, digits: str | None,
               phones: frozenset[str], today: date) -> Statements:
    """What ``customer_search.search`` runs for one query, on the store of ``dialect``."""
    sql = _Dialect(dialect)
    params: dict = {"today": today, "typed": typed, "lower": lower}
    parts = [
        sql.part("here", "c.id IN (SELECT v.customer_id FROM visit v WHERE v.day = :today "
                         "AND v.status != 'left')", recent=False),
        sql.part("booked", "c.id IN (SELECT a.customer_id FROM appointment a "
                           "WHERE a.day = :today AND a.status = 'booked')", recent=False),
        sql.part("appointment", "c.id IN (SELECT a.customer_id FROM appointment a "
                                "WHERE a.number = :typed)"),
    ]
    if digits:
        forms = sorted(phones)
        params["phone"], params["phone_too"] = forms[0], forms[-1]
        params["digits"] = digits
        parts += [sql.part("exact", "c.phone IN (:phone, :phone_too)"),
                  sql.part("exact", "c.case_number = :digits")]
        if len(digits) < TRIGRAM:
            params["gram"] = digits
            parts.append(_gram("edge", 1))
            return Statements(parts, None, params)
        params["reversed"], params["reversed_end"] = _range(digits[::-1])
        parts.append(sql.part("edge", sql.starts("c.phone_reversed", "reversed")))
        second = sql.anywhere(("phone", "case_number"), digits, params)
    else:
        parts += [sql.part("exact", "c.name = :typed"),
                  sql.part("exact", "c.name_initials = :lower")]
        if len(typed) < TRIGRAM:
            params["gram"] = lower
            parts += [_gram("edge", 1), _gram("part", 0)]
            return Statements(parts, None, params)
        params["start"], params["start_end"] = _range(typed)
        params["istart"], params["istart_end"] = _range(lower)
        parts += [sql.part("edge", sql.starts("c.name", "start")),
                  sql.part("edge", sql.starts("c.name_initials", "istart"))]
        second = sql.anywhere(("name", "name_initials"), typed, params)
    return Statements(parts, second, params, together=sql.server)


def _range(prefix: str) -> tuple[str, str]:
    """Bounds of the strings that start with ``prefix``, for an index range."""
    return prefix, prefix + "\U0010ffff"


def _phrase(query: str) -> str:
    return '"' + query.replace('"', '""') + '"'


def _like_escaped(text: str) -> str:
    """``text`` as itself in a LIKE pattern (backslash is PostgreSQL's escape)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
