"""What differs between the two stores' schemas, kept in one place for the migrations.

Branches: every table whose rows belong to one branch has a ``branch_id`` column. On SQLite
(one branch) its default is 1. On PostgreSQL its default is the branch of the transaction
(``SET LOCAL reception.branch``, set by the store at the start of each unit of work), and
row-level security lets a transaction see and write only that branch's rows — or, when the
branch is ``all`` (a chain manager's report), read every branch and write none. The policies
are forced on the tables' owner too, so only a superuser sees around them. A counter's own
database role, listed in ``branch_role``, cannot even choose another branch: the setting
then selects nothing.
"""

import sqlalchemy as sa
from alembic import op

#: SQL-standard bodies (``BEGIN ATOMIC``): parsed once, when made, so they name the tables and
#: functions they use whatever the caller's ``search_path`` (pg_dump empties it).
BRANCH_FUNCTIONS = [
    # May the database role signed in work for this branch? A role listed in branch_role
    # (a counter's role) only for its branches; a role not listed (the owner, a chain
    # manager) for every branch. The setting alone cannot widen a counter's reach.
    """CREATE OR REPLACE FUNCTION reception_role_may(branch integer) RETURNS boolean
        LANGUAGE sql STABLE BEGIN ATOMIC
        SELECT NOT EXISTS (SELECT 1 FROM branch_role WHERE role_name = current_user)
            OR EXISTS (SELECT 1 FROM branch_role
                       WHERE role_name = current_user AND branch_id = $1); END""",
    # The branch of the current transaction, or NULL (unset, ``all``, or not this role's).
    """CREATE OR REPLACE FUNCTION reception_branch() RETURNS integer
        LANGUAGE sql STABLE BEGIN ATOMIC
        SELECT CASE WHEN current_setting('reception.branch', true) ~ '^[0-9]+$'
                     AND reception_role_may(current_setting('reception.branch', true)::integer)
                    THEN current_setting('reception.branch', true)::integer END; END""",
    """CREATE OR REPLACE FUNCTION reception_all_branches() RETURNS boolean
        LANGUAGE sql STABLE BEGIN ATOMIC
        SELECT coalesce(current_setting('reception.branch', true) = 'all', false)
           AND NOT EXISTS (SELECT 1 FROM branch_role WHERE role_name = current_user); END""",
]


def is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def branch_column() -> sa.Column:
    """The ``branch_id`` column of a new table (``op.create_table(name, ..., branch_column())``)."""
    return sa.Column("branch_id", sa.Integer(), sa.ForeignKey("branch.id"), nullable=False,
                     server_default="1")


def scope_to_branch(table: str) -> None:
    """After ``op.create_table`` (or adding the column): the index, and on PostgreSQL the
    default and the row-level security that keep the table per branch."""
    op.create_index(f"ix_{table}_branch_id", table, ["branch_id"])
    if not is_postgres():
        return
    op.execute(f"ALTER TABLE {table} ALTER COLUMN branch_id SET DEFAULT reception_branch()")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    for statement in branch_policies(table):
        op.execute(statement)


def branch_policies(table: str, *, per_row: bool = False) -> list[str]:
    """The policies that keep ``table``'s rows to the transaction's branch. The branch is
    asked once per statement (a sub-select the planner runs once): called as a plain
    function it was asked for every row read or written — 78,000 times for the demo's
    month, 4 of its 17 s on the server. ``per_row``: the policies before 0010."""
    branch, every = (("reception_branch()", "reception_all_branches()") if per_row else
                     ("(SELECT reception_branch())", "(SELECT reception_all_branches())"))
    return [f"""CREATE POLICY {table}_of_branch ON {table}
                USING (branch_id = {branch}) WITH CHECK (branch_id = {branch})""",
            f"""CREATE POLICY {table}_chain_reads ON {table} FOR SELECT USING ({every})"""]


#: Every table kept to a branch by its policies (each migration that made one scoped it).
SCOPED_TABLES = ("SELECT tablename FROM pg_policies WHERE policyname = tablename || "
                 "'_of_branch' ORDER BY tablename")


def drop_branch_policies(table: str) -> list[str]:
    return [f"DROP POLICY IF EXISTS {table}_of_branch ON {table}",
            f"DROP POLICY IF EXISTS {table}_chain_reads ON {table}"]


def unscope(table: str) -> None:
    """Undo ``scope_to_branch`` (downgrades)."""
    if is_postgres():
        for statement in drop_branch_policies(table):
            op.execute(statement)
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.drop_index(f"ix_{table}_branch_id", table_name=table)
