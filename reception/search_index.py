"""The customer search's own structures, kept by the store (migration 0004): the pieces
table ``customer_search_gram``, ``customer.last_visit_at``, and the trigram index (FTS5's
``customer_search`` on SQLite; on PostgreSQL pg_trgm's GIN indexes, which the server keeps
itself). Triggers keep them with every write, one row at a time.

A bulk load (``reception demo``: a million visits) pauses those triggers and rebuilds
everything once at the end, set-based: minutes of per-row upkeep become seconds.
"""

from sqlalchemy import text
from sqlmodel import Session

from reception.clock import clock

_VISITED = "coalesce(CAST(strftime('%s', c.last_visit_at) AS INTEGER), 0)"
# The same pieces as the triggers of migration 0004 make for one customer.
_GRAMS = f"""INSERT OR IGNORE INTO customer_search_gram (gram, edge, visited, customer_id)
    SELECT DISTINCT lower(substr(s.t, p.n, k.n)), p.n = 1, s.visited, s.id
    FROM (SELECT c.id AS id, c.name AS t, {_VISITED} AS visited FROM customer c
          UNION ALL SELECT c.id, c.name_initials, {_VISITED} FROM customer c) AS s
    JOIN customer_search_position AS p ON p.n <= length(s.t)
    JOIN customer_search_position AS k ON k.n <= 2 AND p.n + k.n - 1 <= length(s.t)
    UNION
    SELECT substr(f.phone, -k.n), 1, f.visited, f.id
    FROM (SELECT c.id AS id, c.phone AS phone, {_VISITED} AS visited FROM customer c) AS f
    JOIN customer_search_position AS k ON k.n <= 2 AND k.n <= length(f.phone)"""


def pause(session: Session) -> None:
    """Stop the search triggers until ``resume`` (in this transaction and later ones)."""
    session.execute(text("INSERT INTO customer_search_paused (since) VALUES (:now)"),
                    {"now": clock.now_utc().isoformat()})


#: PostgreSQL: the trigram indexes keep themselves; only the last visits are made up. A
#: branch's transaction sees its own visits (row-level security), so a last visit is only
#: ever moved later, never back past another branch's.
_LAST_VISITS_SERVER = """UPDATE customer SET last_visit_at = latest.at
    FROM (SELECT customer_id, max(arrived_at) AS at FROM visit GROUP BY customer_id) AS latest
    WHERE customer.id = latest.customer_id
      AND (customer.last_visit_at IS NULL OR customer.last_visit_at < latest.at)"""


def resume(session: Session) -> None:
    """Rebuild the last visits, the pieces and the FTS index; the triggers run again."""
    if session.get_bind().dialect.name == "postgresql":
        _resume_server(session)
        return
    session.execute(text("UPDATE customer SET last_visit_at = (SELECT max(v.arrived_at) "
                         "FROM visit v WHERE v.customer_id = customer.id)"))
    session.execute(text("DELETE FROM customer_search_gram"))
    session.execute(text(_GRAMS))
    session.execute(text("INSERT INTO customer_search(customer_search) VALUES ('rebuild')"))
    session.execute(text("DELETE FROM customer_search_paused"))


def _resume_server(session: Session) -> None:
    from reception.migrations.postgres import ALL_GRAMS

    session.execute(text(_LAST_VISITS_SERVER))
    session.execute(text("DELETE FROM customer_search_gram"))
    session.execute(text(ALL_GRAMS))
    session.execute(text("DELETE FROM customer_search_paused"))
    # The trigram indexes took the load into their pending lists: fold them in now, not at
    # the next autovacuum (until then every search reads the whole list).
    session.execute(text("SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i "
                         "JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_am m "
                         "ON m.oid = x.relam WHERE i.indrelid = 'customer'::regclass "
                         "AND m.amname = 'gin'"))
    # The planner's statistics, for tables that just grew by a bulk load.
    session.execute(text("ANALYZE customer, customer_search_gram, visit, appointment"))
