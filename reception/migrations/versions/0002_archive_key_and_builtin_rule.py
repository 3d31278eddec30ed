"""Archive key and built-in callback rule as flags; indexes for the night check and dashboard.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Before this, the archive key was named by the setting ``archive_key_id`` (else by its name
档案室) and the built-in callback rule by a reserved name; both become columns.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.types


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_flagged'), ['flagged'], unique=False)

    with op.batch_alter_table('callback_rule', schema=None) as batch_op:
        batch_op.add_column(sa.Column('builtin', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('case_file_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_request_fulfilled_at'), ['fulfilled_at'], unique=False)

    with op.batch_alter_table('room_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_archive', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_appointment_id'), ['appointment_id'], unique=False)

    op.execute("UPDATE callback_rule SET builtin = TRUE "
               "WHERE name = 'builtin:new_customer_next_day'")
    op.execute("UPDATE room_key SET is_archive = TRUE WHERE id = "
               "(SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'archive_key_id')")
    op.execute("UPDATE room_key SET is_archive = TRUE WHERE name = '档案室' AND NOT EXISTS "
               "(SELECT 1 FROM room_key WHERE is_archive)")
    op.execute("DELETE FROM setting WHERE key = 'archive_key_id'")


def downgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_appointment_id'))

    with op.batch_alter_table('room_key', schema=None) as batch_op:
        batch_op.drop_column('is_archive')

    with op.batch_alter_table('case_file_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_request_fulfilled_at'))

    with op.batch_alter_table('callback_rule', schema=None) as batch_op:
        batch_op.drop_column('builtin')

    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_flagged'))

