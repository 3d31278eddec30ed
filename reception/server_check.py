"""``reception check`` on a PostgreSQL server: is the clinic's store whole and guarded?

A server keeps its own pages whole (no PRAGMA to run there); what can go wrong is the
schema and the guards the app relies on. One read-only look, as a chain manager (every
branch), at:

- the schema revision (the program's ``HEAD``);
- every table of the models and the store's own (``SELECT 1`` from each: there, readable);
- branch isolation: row-level security on, and forced, on every table with a ``branch_id``;
- the triggers: append-only logs, the customer's last visit;
- the search structures (pg_trgm indexes) and a bulk load's pause left behind.
"""

import sys

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import models  # noqa: F401 - every table registered
from reception import migrations
from reception.i18n import t
from reception.migrations.postgres import APPEND_ONLY_TABLES
from reception.text import printable

#: Tables the store keeps besides the models'.
STORE_TABLES = ("alembic_version", "customer_search_paused")
TRIGGERS = (*(f"{table}_append_only" for table in APPEND_ONLY_TABLES), "customer_last_visit")
SEARCH_INDEXES = ("customer_search_name", "customer_search_initials", "customer_search_phone",
                  "customer_search_case", "customer_search_phone_end")


def branch_tables() -> list[str]:
    return [table.name for table in SQLModel.metadata.sorted_tables
            if "branch_id" in table.columns and table.name != "branch_role"]


def findings(database) -> list[str]:
    """What is wrong with the server's store, one line each ([] when whole)."""
    found: list[str] = []
    revision = migrations.current_revision(database)
    if revision != migrations.HEAD:
        found.append(t("check.server_revision", revision=revision or "-",
                       head=migrations.HEAD))
    tables = [table.name for table in SQLModel.metadata.sorted_tables] + list(STORE_TABLES)
    with database.engine.connect() as connection:
        for table in tables:
            try:
                with connection.begin_nested():
                    connection.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').all()
            except DBAPIError as error:
                reason = str(error.orig or error).strip().splitlines()[0]
                found.append(t("check.server_table", table=table, reason=reason))
        guarded = {row.relname: (row.relrowsecurity, row.relforcerowsecurity)
                   for row in connection.execute(text(
                       "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
                       "WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'"))}
        for table in branch_tables():
            if table in guarded and guarded[table] != (True, True):
                found.append(t("check.server_no_isolation", table=table))
        triggers = set(connection.execute(text(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
        found += [t("check.server_no_trigger", name=name) for name in TRIGGERS
                  if name not in triggers]
        indexes = set(connection.execute(text(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")).scalars())
        found += [t("check.server_no_index", name=name) for name in SEARCH_INDEXES
                  if name not in indexes]
        if "customer_search_paused" in guarded:
            since = connection.execute(text(
                "SELECT min(since) FROM customer_search_paused")).scalar()
            if since is not None:
                found.append(t("check.server_paused", since=since))
    return found


def check_command(database) -> int:
    """``reception check`` on a server: 0 whole, 2 when something is wrong."""
    found = findings(database)
    for line in found or [t("check.server_clean")]:
        print(printable(line))
    sys.stdout.flush()
    return 2 if found else 0
