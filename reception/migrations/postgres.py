"""The PostgreSQL side of what SQLite does with its own SQL in revisions 0001 and 0004:
append-only logs, the last visit kept on the customer, and the customer search structures
(pg_trgm trigram indexes where SQLite has FTS5; the same table of pieces for one and two
characters, which trigrams cannot match)."""

from alembic import op

APPEND_ONLY_TABLES = ("key_event", "day_event", "audit_entry")

APPEND_ONLY = [
    """CREATE OR REPLACE FUNCTION reception_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'append-only: % entries are never changed', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
] + [
    f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION reception_append_only()"""
    for table in APPEND_ONLY_TABLES
]

#: The triggers stand still while a bulk load holds a row in customer_search_paused
#: (``reception.search_index.pause``/``resume``), as on SQLite.
LAST_VISIT = [
    "CREATE TABLE customer_search_paused (since VARCHAR(40) NOT NULL)",
    "ALTER TABLE customer ADD COLUMN last_visit_at TIMESTAMP WITH TIME ZONE",
    "CREATE INDEX ix_customer_last_visit_at ON customer (last_visit_at)",
    """ALTER TABLE customer ADD COLUMN phone_reversed VARCHAR(40)
        GENERATED ALWAYS AS (reverse(phone)) STORED""",
    'CREATE INDEX customer_search_phone_end ON customer (phone_reversed COLLATE "C")',
    # The customer's latest visit in any branch: the function runs as its owner (whom no
    # branch_role holds) reading every branch for that one look, then the branch goes back.
    """CREATE OR REPLACE FUNCTION reception_last_visit() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
        DECLARE
            kept text;
            latest timestamp with time zone;
        BEGIN
            IF EXISTS (SELECT 1 FROM customer_search_paused) THEN
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                kept := coalesce(current_setting('reception.branch', true), '');
                PERFORM set_config('reception.branch', 'all', true);
                SELECT max(v.arrived_at) INTO latest FROM visit v
                WHERE v.customer_id = OLD.customer_id;
                PERFORM set_config('reception.branch', kept, true);
                UPDATE customer SET last_visit_at = latest WHERE id = OLD.customer_id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                UPDATE customer SET last_visit_at = NEW.arrived_at
                WHERE id = NEW.customer_id
                  AND (last_visit_at IS NULL OR last_visit_at < NEW.arrived_at);
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER customer_last_visit AFTER INSERT OR DELETE
        OR UPDATE OF customer_id, arrived_at ON visit
        FOR EACH ROW EXECUTE FUNCTION reception_last_visit()""",
]

#: Revision 0009's last visit, race-free: the customer's row is locked before the visits
#: are read. A visit moved (or removed) at one branch while another branch registers one for
#: the same customer used to read the visits before the other's commit and then, once the
#: other's row lock went, write an older time over the newer one. Now the reader waits for
#: the row first, and its look at the visits (a new statement: a new snapshot) includes
#: whatever the other committed; an insert at the same time waits for the mover's row and
#: then compares with what it wrote. Both customers of a moved visit are locked in id order
#: (no deadlock between two moves in opposite directions).
LAST_VISIT_LOCKED = """CREATE OR REPLACE FUNCTION reception_last_visit() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
    DECLARE
        kept text;
        latest timestamp with time zone;
    BEGIN
        IF EXISTS (SELECT 1 FROM customer_search_paused) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            IF TG_OP = 'UPDATE' THEN
                PERFORM 1 FROM customer WHERE id IN (OLD.customer_id, NEW.customer_id)
                ORDER BY id FOR UPDATE;
            ELSE
                PERFORM 1 FROM customer WHERE id = OLD.customer_id FOR UPDATE;
            END IF;
            kept := coalesce(current_setting('reception.branch', true), '');
            PERFORM set_config('reception.branch', 'all', true);
            SELECT max(v.arrived_at) INTO latest FROM visit v
            WHERE v.customer_id = OLD.customer_id;
            PERFORM set_config('reception.branch', kept, true);
            UPDATE customer SET last_visit_at = latest WHERE id = OLD.customer_id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            UPDATE customer SET last_visit_at = NEW.arrived_at
            WHERE id = NEW.customer_id
              AND (last_visit_at IS NULL OR last_visit_at < NEW.arrived_at);
        END IF;
        RETURN NULL;
    END $$"""
#: Revision 0004's (what 0009's downgrade puts back).
LAST_VISIT_BEFORE_0009 = LAST_VISIT[5]


#: One and two characters: the pieces table, as on SQLite (revision 0004's
#: ``customer_search_gram``): every one- and two-character piece of the name and of the
#: initials, and the last one and two digits of the phone, ``edge`` at the start of the
#: name or initials or the end of the phone, with the last visit (Unix seconds, 0 for
#: never). ``reception_search_grams`` makes one customer's pieces, for the trigger here and
#: for the rebuild after a bulk load (``reception.search_index.resume``).
GRAMS = [
    """CREATE TABLE customer_search_gram (
        gram VARCHAR(2) NOT NULL,
        edge INTEGER NOT NULL,
        visited BIGINT NOT NULL,
        customer_id INTEGER NOT NULL,
        PRIMARY KEY (gram, edge, visited, customer_id))""",
    "CREATE INDEX customer_search_gram_customer ON customer_search_gram (customer_id)",
    """CREATE OR REPLACE FUNCTION reception_visited(at timestamptz) RETURNS bigint
        LANGUAGE sql IMMUTABLE AS $$
        SELECT coalesce(floor(extract(epoch FROM at))::bigint, 0) $$""",
    """CREATE OR REPLACE FUNCTION reception_search_grams(name text, initials text, phone text)
        RETURNS TABLE (gram text, edge integer) LANGUAGE sql IMMUTABLE AS $$
        SELECT DISTINCT lower(substr(s.t, p.n, k.n)), (p.n = 1)::integer
        FROM (VALUES (name), (initials)) AS s(t)
        CROSS JOIN LATERAL generate_series(1, length(s.t)) AS p(n)
        CROSS JOIN generate_series(1, 2) AS k(n)
        WHERE p.n + k.n - 1 <= length(s.t)
        UNION
        SELECT right(phone, k.n), 1 FROM generate_series(1, least(2, length(phone))) AS k(n)
        $$""",
    """CREATE OR REPLACE FUNCTION reception_search_grams_kept() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM customer_search_paused) THEN
                RETURN NULL;
            END IF;
            IF TG_OP = 'UPDATE' AND NEW.name = OLD.name
               AND NEW.name_initials = OLD.name_initials AND NEW.phone = OLD.phone THEN
                IF NEW.last_visit_at IS DISTINCT FROM OLD.last_visit_at THEN
                    UPDATE customer_search_gram
                    SET visited = reception_visited(NEW.last_visit_at)
                    WHERE customer_id = NEW.id;
                END IF;
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM customer_search_gram WHERE customer_id = OLD.id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO customer_search_gram (gram, edge, visited, customer_id)
                SELECT g.gram, g.edge, reception_visited(NEW.last_visit_at), NEW.id
                FROM reception_search_grams(NEW.name, NEW.name_initials, NEW.phone) AS g;
            END IF;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER customer_search_grams AFTER INSERT OR DELETE
        OR UPDATE OF name, name_initials, phone, last_visit_at ON customer
        FOR EACH ROW EXECUTE FUNCTION reception_search_grams_kept()""",
]

#: Three characters or more: the starts of names and initials as a range in the "C"
#: collation (byte order, as SQLite compares), and any other position from pg_trgm's GIN
#: trigram indexes, on the expressions ``reception.search_sql`` matches with ``LIKE``.
#: pg_trgm is a trusted extension: the database's owner may create it.
SEARCH = [
    'CREATE INDEX customer_search_name_start ON customer (name COLLATE "C")',
    'CREATE INDEX customer_search_initials_start ON customer (name_initials COLLATE "C")',
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX customer_search_name ON customer USING gin (lower(name) gin_trgm_ops)",
    """CREATE INDEX customer_search_initials ON customer
        USING gin (lower(name_initials) gin_trgm_ops)""",
    "CREATE INDEX customer_search_phone ON customer USING gin (phone gin_trgm_ops)",
    """CREATE INDEX customer_search_case ON customer
        USING gin (coalesce(case_number, '') gin_trgm_ops)""",
]

#: Every customer's pieces, at once (the migration; ``search_index.resume``).
ALL_GRAMS = """INSERT INTO customer_search_gram (gram, edge, visited, customer_id)
    SELECT g.gram, g.edge, reception_visited(c.last_visit_at), c.id FROM customer c
    CROSS JOIN LATERAL reception_search_grams(c.name, c.name_initials, c.phone) AS g"""


def append_only() -> None:
    for statement in APPEND_ONLY:
        op.execute(statement)


def search_structures() -> None:
    for statement in LAST_VISIT + SEARCH:
        op.execute(statement)
    op.execute("UPDATE customer SET last_visit_at = "
               "(SELECT max(v.arrived_at) FROM visit v WHERE v.customer_id = customer.id)")
    for statement in GRAMS:
        op.execute(statement)
    op.execute(ALL_GRAMS)
