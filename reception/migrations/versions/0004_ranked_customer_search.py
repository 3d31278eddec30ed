"""Ranked customer search: last visit, phone ending, one- and two-character pieces of names.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

- ``customer.last_visit_at``: the arrival time of the customer's latest visit, kept by the
  store with every visit written, changed or removed (triggers on ``visit``: the demo's bulk
  inserts and any import keep it too), filled here from the visits on file, and indexed.
- ``customer.phone_reversed``: the phone read backwards (a generated column, not stored)
  with an index, so "the phone ends with 5678" is an index range.
- ``customer_search_gram``: every one- and two-character piece of the name and of its pinyin
  initials, and the last one and two digits of the phone, each marked ``edge`` when it is at
  the start of the name or initials or the end of the phone, with the last visit (Unix
  seconds, 0 for never), so a one- or two-character query reads the most recent matches
  straight from its primary key. Kept with the customer by triggers, like the FTS index.
- The FTS index is now rewritten only when a searched column changes, not on every visit.

Customer is not rebuilt (columns are added in place): its triggers stay. A later migration
that copies the table (``batch_alter_table``) must create its triggers again.
"""

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

#: Longest phone the column holds (``customer.phone`` is VARCHAR(40)).
PHONE_MAX = 40
#: Longest name (``reception.customers.NAME_MAX``): the positions a piece can start at.
NAME_MAX = 200

PHONE_REVERSED = " || ".join(f"substr(phone, -{i}, 1)" for i in range(1, PHONE_MAX + 1))
VISITED = "coalesce(CAST(strftime('%s', {0}) AS INTEGER), 0)"


def grams(row: str) -> str:
    """An INSERT of the pieces of one customer (``row="new"``, in a trigger) or of all."""
    if row == "new":
        visited = VISITED.format("new.last_visit_at")
        texts = (f"SELECT new.id AS id, new.name AS t, {visited} AS visited "
                 f"UNION ALL SELECT new.id, new.name_initials, {visited}")
        phones = f"SELECT new.id AS id, new.phone AS phone, {visited} AS visited"
    else:
        visited = VISITED.format("c.last_visit_at")
        texts = (f"SELECT c.id AS id, c.name AS t, {visited} AS visited FROM customer c "
                 f"UNION ALL SELECT c.id, c.name_initials, {visited} FROM customer c")
        phones = f"SELECT c.id AS id, c.phone AS phone, {visited} AS visited FROM customer c"
    return f"""INSERT OR IGNORE INTO customer_search_gram (gram, edge, visited, customer_id)
        SELECT DISTINCT lower(substr(s.t, p.n, k.n)), p.n = 1, s.visited, s.id
        FROM ({texts}) AS s
        JOIN customer_search_position AS p ON p.n <= length(s.t)
        JOIN customer_search_position AS k ON k.n <= 2 AND p.n + k.n - 1 <= length(s.t)
        UNION
        SELECT substr(f.phone, -k.n), 1, f.visited, f.id
        FROM ({phones}) AS f
        JOIN customer_search_position AS k ON k.n <= 2 AND k.n <= length(f.phone)"""


#: Every search trigger stands still while a bulk load (``reception demo``) holds a row in
#: ``customer_search_paused``; ``reception.search_index.resume`` then rebuilds it all at once.
RUNNING = "WHEN NOT EXISTS (SELECT 1 FROM customer_search_paused)"

FTS_INSERT = f"""CREATE TRIGGER customer_search_ai AFTER INSERT ON customer {RUNNING} BEGIN
        INSERT INTO customer_search(rowid, name, phone, name_initials, case_number)
        VALUES (new.id, new.name, new.phone, new.name_initials, coalesce(new.case_number, ''));
    END"""
FTS_DELETE = f"""CREATE TRIGGER customer_search_ad AFTER DELETE ON customer {RUNNING} BEGIN
        INSERT INTO customer_search(customer_search, rowid, name, phone, name_initials,
            case_number)
        VALUES ('delete', old.id, old.name, old.phone, old.name_initials,
            coalesce(old.case_number, ''));
    END"""
FTS_UPDATE = """CREATE TRIGGER customer_search_au AFTER UPDATE{columns} ON customer{running} BEGIN
        INSERT INTO customer_search(customer_search, rowid, name, phone, name_initials,
            case_number)
        VALUES ('delete', old.id, old.name, old.phone, old.name_initials,
            coalesce(old.case_number, ''));
        INSERT INTO customer_search(rowid, name, phone, name_initials, case_number)
        VALUES (new.id, new.name, new.phone, new.name_initials, coalesce(new.case_number, ''));
    END"""

LAST_VISIT_OF = "(SELECT max(v.arrived_at) FROM visit v WHERE v.customer_id = {0})"

TRIGGERS = [
    # The last visit, whoever writes the visit.
    f"""CREATE TRIGGER customer_search_visit_ai AFTER INSERT ON visit {RUNNING} BEGIN
        UPDATE customer SET last_visit_at = new.arrived_at
        WHERE id = new.customer_id
          AND (last_visit_at IS NULL OR last_visit_at < new.arrived_at);
    END""",
    f"""CREATE TRIGGER customer_search_visit_au AFTER UPDATE OF customer_id, arrived_at ON visit
        {RUNNING} BEGIN
        UPDATE customer SET last_visit_at = {LAST_VISIT_OF.format('customer.id')}
        WHERE id IN (old.customer_id, new.customer_id);
    END""",
    f"""CREATE TRIGGER customer_search_visit_ad AFTER DELETE ON visit {RUNNING} BEGIN
        UPDATE customer SET last_visit_at = {LAST_VISIT_OF.format('old.customer_id')}
        WHERE id = old.customer_id;
    END""",
    # The pieces of names, initials and phone endings.
    f"""CREATE TRIGGER customer_search_gram_ai AFTER INSERT ON customer {RUNNING} BEGIN
        {grams('new')};
    END""",
    f"""CREATE TRIGGER customer_search_gram_au AFTER UPDATE OF name, name_initials, phone
        ON customer {RUNNING} BEGIN
        DELETE FROM customer_search_gram WHERE customer_id = old.id;
        {grams('new')};
    END""",
    f"""CREATE TRIGGER customer_search_gram_visited AFTER UPDATE OF last_visit_at ON customer
        WHEN new.last_visit_at IS NOT old.last_visit_at
          AND NOT EXISTS (SELECT 1 FROM customer_search_paused) BEGIN
        UPDATE customer_search_gram SET visited = {VISITED.format('new.last_visit_at')}
        WHERE customer_id = new.id;
    END""",
    f"""CREATE TRIGGER customer_search_gram_ad AFTER DELETE ON customer {RUNNING} BEGIN
        DELETE FROM customer_search_gram WHERE customer_id = old.id;
    END""",
]
TRIGGER_NAMES = ["customer_search_visit_ai", "customer_search_visit_au",
                 "customer_search_visit_ad", "customer_search_gram_ai", "customer_search_gram_au",
                 "customer_search_gram_visited", "customer_search_gram_ad"]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        from reception.migrations import postgres
        postgres.search_structures()
        return
    op.execute("CREATE TABLE customer_search_paused (since VARCHAR(40) NOT NULL)")
    for name in ("customer_search_ai", "customer_search_ad", "customer_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(FTS_INSERT)
    op.execute(FTS_DELETE)
    op.execute(FTS_UPDATE.format(columns=" OF name, phone, name_initials, case_number",
                                 running=" " + RUNNING))
    op.execute("ALTER TABLE customer ADD COLUMN last_visit_at DATETIME")
    op.execute(f"ALTER TABLE customer ADD COLUMN phone_reversed VARCHAR(40) "
               f"GENERATED ALWAYS AS ({PHONE_REVERSED}) VIRTUAL")
    op.execute(f"UPDATE customer SET last_visit_at = {LAST_VISIT_OF.format('customer.id')}")
    op.execute("CREATE INDEX ix_customer_last_visit_at ON customer (last_visit_at)")
    op.execute("CREATE INDEX customer_search_phone_end ON customer (phone_reversed)")
    op.execute("CREATE TABLE customer_search_position (n INTEGER PRIMARY KEY)")
    op.execute("WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p "
               f"WHERE n < {NAME_MAX}) INSERT INTO customer_search_position SELECT n FROM p")
    op.execute("""CREATE TABLE customer_search_gram (
        gram VARCHAR(2) NOT NULL,
        edge INTEGER NOT NULL,
        visited INTEGER NOT NULL,
        customer_id INTEGER NOT NULL,
        PRIMARY KEY (gram, edge, visited, customer_id)) WITHOUT ROWID""")
    op.execute(grams("c"))
    op.execute("CREATE INDEX customer_search_gram_customer ON customer_search_gram (customer_id)")
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS customer_search_gram")
    op.execute("DROP TABLE IF EXISTS customer_search_position")
    op.execute("DROP INDEX IF EXISTS customer_search_phone_end")
    op.execute("DROP INDEX IF EXISTS ix_customer_last_visit_at")
    op.execute("ALTER TABLE customer DROP COLUMN phone_reversed")
    op.execute("ALTER TABLE customer DROP COLUMN last_visit_at")
    for name in ("customer_search_ai", "customer_search_ad", "customer_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(FTS_INSERT.replace(f" {RUNNING}", ""))
    op.execute(FTS_DELETE.replace(f" {RUNNING}", ""))
    op.execute(FTS_UPDATE.format(columns="", running=""))
    op.execute("DROP TABLE IF EXISTS customer_search_paused")
