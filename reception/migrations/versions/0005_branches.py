"""Branches: a chain's clinics on one server, each row of a branch's records marked with it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

- ``branch``: the chain's branches; a store starts with one (id 1, code ``main``), named
  after the clinic. On SQLite it stays the only one.
- ``branch_role``: the database roles of counters, each held to its branches (PostgreSQL).
- ``branch_id`` on every table whose rows belong to one branch, filled with 1 for the rows
  on file (``reception.migrations.dialect``: on PostgreSQL, with row-level security).
- What was unique in the clinic is unique in its branch: key names, appointment numbers,
  the day's paper counts, one callback per customer, rule and day (the branch last in each
  constraint, so its index still answers a look-up by the old columns).

Tables are changed in place (columns added), except the four whose unique constraint
changes: none of them has triggers.
"""

import sqlalchemy as sa
from alembic import op

from reception.migrations.dialect import (
    BRANCH_FUNCTIONS,
    is_postgres,
    scope_to_branch,
    unscope,
)

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BRANCH_TABLES = (
    "staff", "rota_entry", "sign_in", "visit", "appointment", "visitor", "case_file_request",
    "call", "message", "room_key", "key_event", "callback", "callback_attempt",
    "callback_survey", "draft", "day_event", "paper_count", "audit_entry", "stay",
)
#: table -> (the old unique columns, PostgreSQL's name for that constraint)
PER_BRANCH_UNIQUE = {
    "room_key": (["name"], "room_key_name_key"),
    "appointment": (["number"], "appointment_number_key"),
    "paper_count": (["day", "name"], "paper_count_day_name_key"),
    "callback": (["customer_id", "rule_id", "event_day"],
                 "callback_customer_id_rule_id_event_day_key"),
}
#: Names SQLite's unnamed constraints get while a table is copied (batch mode).
SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    op.create_table(
        "branch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "branch_role",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"]),
        sa.PrimaryKeyConstraint("role_name", "branch_id"),
    )
    op.execute("INSERT INTO branch (id, code, name, created_at) VALUES (1, 'main', "
               "coalesce((SELECT value FROM setting WHERE key = 'clinic_name'), ''), "
               "CURRENT_TIMESTAMP)")
    if is_postgres():
        op.execute("SELECT setval(pg_get_serial_sequence('branch', 'id'), 1)")
        for statement in BRANCH_FUNCTIONS:
            op.execute(statement)
    for table in BRANCH_TABLES:
        if is_postgres():
            op.add_column(table, sa.Column("branch_id", sa.Integer(),
                                           sa.ForeignKey("branch.id"), nullable=False,
                                           server_default="1"))
        else:  # in place: alembic would copy the table to add a reference
            op.execute(f"ALTER TABLE {table} ADD COLUMN branch_id INTEGER NOT NULL "
                       "DEFAULT 1 REFERENCES branch (id)")
        scope_to_branch(table)
    for table, (columns, pg_name) in PER_BRANCH_UNIQUE.items():
        if is_postgres():
            op.drop_constraint(pg_name, table, type_="unique")
            op.create_unique_constraint(None, table, [*columns, "branch_id"])
        else:
            with op.batch_alter_table(table, recreate="always",
                                      naming_convention=SQLITE_NAMES) as batch:
                batch.drop_constraint(f"uq_{table}_{columns[0]}", type_="unique")
                batch.create_unique_constraint(f"uq_{table}_branch_id", [*columns, "branch_id"])


def downgrade() -> None:
    for table, (columns, _pg_name) in PER_BRANCH_UNIQUE.items():
        with op.batch_alter_table(table, recreate="auto",
                                  naming_convention=SQLITE_NAMES) as batch:
            batch.drop_constraint(f"uq_{table}_branch_id", type_="unique")
            batch.create_unique_constraint(f"uq_{table}_{columns[0]}", columns)
    for table in BRANCH_TABLES:
        unscope(table)
        op.drop_column(table, "branch_id")
    if is_postgres():  # they name branch_role
        for function in ("reception_all_branches()", "reception_branch()",
                         "reception_role_may(integer)"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_table("branch_role")
    op.drop_table("branch")
