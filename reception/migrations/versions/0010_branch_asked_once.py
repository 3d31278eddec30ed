"""On PostgreSQL, the row-level security asks for the transaction's branch once per
statement instead of once per row (``reception.migrations.dialect.branch_policies``): the
same rows are seen and written, at a fraction of the server's work. SQLite has no policies.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from reception.migrations.dialect import (
    SCOPED_TABLES,
    branch_policies,
    drop_branch_policies,
    is_postgres,
)

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def replace_policies(*, per_row: bool) -> None:
    if not is_postgres():
        return
    for table in list(op.get_bind().execute(sa.text(SCOPED_TABLES)).scalars()):
        for statement in [*drop_branch_policies(table),
                          *branch_policies(table, per_row=per_row)]:
            op.execute(statement)


def upgrade() -> None:
    replace_policies(per_row=False)


def downgrade() -> None:
    replace_policies(per_row=True)
