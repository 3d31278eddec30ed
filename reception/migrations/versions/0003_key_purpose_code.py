"""A key loan's built-in purpose as a code (shown in the reader's language).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

Loans written before keep their purpose as the text typed then (purpose_code stays "").
The key log is append-only: the column is added in place (no table copy), so its
triggers stay.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('key_event', sa.Column('purpose_code',
                                         sqlmodel.sql.sqltypes.AutoString(length=40),
                                         nullable=False, server_default=''))


def downgrade() -> None:
    op.execute("ALTER TABLE key_event DROP COLUMN purpose_code")
