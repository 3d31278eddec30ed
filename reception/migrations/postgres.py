"""The PostgreSQL side of what SQLite does with its own SQL in revisions 0001 and 0004:
append-only logs, the last visit kept on the customer, and the customer search structures
(pg_trgm trigram indexes where SQLite has FTS5 and its table of pieces)."""

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
    "CREATE INDEX customer_search_phone_end ON customer (phone_reversed text_pattern_ops)",
    """CREATE OR REPLACE FUNCTION reception_last_visit() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM customer_search_paused) THEN
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE customer SET last_visit_at =
                    (SELECT max(v.arrived_at) FROM visit v WHERE v.customer_id = customer.id)
                WHERE id = OLD.customer_id;
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

#: Any part of a name, initials, phone or case number: trigram indexes (pg_trgm is a
#: trusted extension: the database's owner may create it).
SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX customer_search_name ON customer USING gin (lower(name) gin_trgm_ops)",
    """CREATE INDEX customer_search_initials ON customer
        USING gin (lower(name_initials) gin_trgm_ops)""",
    "CREATE INDEX customer_search_phone ON customer USING gin (phone gin_trgm_ops)",
    """CREATE INDEX customer_search_case ON customer
        USING gin (coalesce(case_number, '') gin_trgm_ops)""",
]


def append_only() -> None:
    for statement in APPEND_ONLY:
        op.execute(statement)


def search_structures() -> None:
    for statement in LAST_VISIT + SEARCH:
        op.execute(statement)
    op.execute("UPDATE customer SET last_visit_at = "
               "(SELECT max(v.arrived_at) FROM visit v WHERE v.customer_id = customer.id)")
