"""The last visit kept on the customer, race-free on PostgreSQL: the trigger locks the
customer's row before it reads the visits (``reception.migrations.postgres``,
``LAST_VISIT_LOCKED``). SQLite writes one unit at a time: nothing to change there.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from alembic import op

from reception.migrations.dialect import is_postgres
from reception.migrations.postgres import LAST_VISIT_BEFORE_0009, LAST_VISIT_LOCKED

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if is_postgres():
        op.execute(LAST_VISIT_LOCKED)


def downgrade() -> None:
    if is_postgres():
        op.execute(LAST_VISIT_BEFORE_0009)
