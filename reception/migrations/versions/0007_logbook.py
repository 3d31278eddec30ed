"""The counter's logbooks, checklists, handovers, room bookings; the visitor's registration.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-30

New tables: ``log_kind`` and its append-only ``log_entry`` (corrections are new rows),
``checklist_item`` and ``checklist_tick``, ``handover``, ``room`` and ``room_booking``.
``visitor`` gains the registration form's columns, added in place (no table copy).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types
from reception.migrations.dialect import branch_column, scope_to_branch, unscope

revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None

TEXT = sqlmodel.sql.sqltypes.AutoString
TIME = models.types.UTCDateTime


#: Every new table belongs to one branch (``reception.migrations.dialect``).
TABLES = ('log_kind', 'log_entry', 'checklist_item', 'checklist_tick', 'handover', 'room',
          'room_booking')


def stamped() -> list[sa.Column]:
    return [branch_column(),
            sa.Column('created_at', TIME(timezone=True), nullable=False),
            sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True)]


def upgrade() -> None:
    op.create_table(
        'log_kind', *stamped(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('code', TEXT(length=20), nullable=False),
        sa.Column('name', TEXT(length=60), nullable=False),
        sa.Column('fields', TEXT(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
    )
    op.create_table(
        'log_entry', *stamped(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('kind_id', sa.Integer(), sa.ForeignKey('log_kind.id'), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('at', TIME(timezone=True), nullable=False),
        sa.Column('data', TEXT(), nullable=False),
        sa.Column('customer_id', sa.Integer(), sa.ForeignKey('customer.id'), nullable=True),
        sa.Column('visit_id', sa.Integer(), sa.ForeignKey('visit.id'), nullable=True),
        sa.Column('visitor_id', sa.Integer(), sa.ForeignKey('visitor.id'), nullable=True),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('corrects_id', sa.Integer(), sa.ForeignKey('log_entry.id'), nullable=True),
        sa.Column('voids', sa.Boolean(), nullable=False),
        sa.Column('note', TEXT(), nullable=False),
    )
    op.create_index('ix_log_entry_kind_id', 'log_entry', ['kind_id'])
    op.create_index('ix_log_entry_day', 'log_entry', ['day'])
    op.create_index('ix_log_entry_corrects_id', 'log_entry', ['corrects_id'])
    op.create_table(
        'checklist_item', *stamped(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('checklist', TEXT(length=20), nullable=False),
        sa.Column('code', TEXT(length=40), nullable=False),
        sa.Column('text', TEXT(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_checklist_item_checklist', 'checklist_item', ['checklist'])
    op.create_table(
        'checklist_tick', *stamped(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('item_id', sa.Integer(), sa.ForeignKey('checklist_item.id'), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('due_at', TIME(timezone=True), nullable=False),
        sa.Column('ticked_at', TIME(timezone=True), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
        sa.Column('note', TEXT(), nullable=False),
        sa.UniqueConstraint('day', 'item_id', 'round'),
    )
    op.create_index('ix_checklist_tick_day', 'checklist_tick', ['day'])
    op.create_table(
        'handover', *stamped(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('from_staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=False),
        sa.Column('note', TEXT(), nullable=False),
        sa.Column('contents', TEXT(), nullable=False),
        sa.Column('acknowledged_at', TIME(timezone=True), nullable=True),
        sa.Column('acknowledged_by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
    )
    op.create_index('ix_handover_day', 'handover', ['day'])
    op.create_index('ix_handover_acknowledged_at', 'handover', ['acknowledged_at'])
    op.create_table(
        'room', *stamped(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('name', TEXT(length=60), nullable=False),
        sa.Column('kind', TEXT(length=20), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.UniqueConstraint('name', 'branch_id'),
    )
    op.create_table(
        'room_booking', *stamped(),
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('room_id', sa.Integer(), sa.ForeignKey('room.id'), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('starts_at', TIME(timezone=True), nullable=False),
        sa.Column('ends_at', TIME(timezone=True), nullable=False),
        sa.Column('host', TEXT(), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.Column('tea', sa.Boolean(), nullable=False),
        sa.Column('air_conditioning', sa.Boolean(), nullable=False),
        sa.Column('note', TEXT(), nullable=False),
        sa.Column('prepared_at', TIME(timezone=True), nullable=True),
        sa.Column('cancelled_at', TIME(timezone=True), nullable=True),
        sa.Column('cancelled_by_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
    )
    op.create_index('ix_room_booking_room_id', 'room_booking', ['room_id'])
    op.create_index('ix_room_booking_day', 'room_booking', ['day'])
    op.create_index('ix_room_booking_starts_at', 'room_booking', ['starts_at'])

    for table in TABLES:
        scope_to_branch(table)

    # The registration form on the visitor's record: columns added in place.
    for column in (
        sa.Column('company', TEXT(), nullable=False, server_default=''),
        sa.Column('people', sa.Integer(), nullable=False, server_default='1'),
        sa.Column('room', TEXT(), nullable=False, server_default=''),
        sa.Column('id_checked', sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column('drink', TEXT(), nullable=False, server_default=''),
        sa.Column('badge', TEXT(length=40), nullable=False, server_default=''),
        sa.Column('badge_returned_at', TIME(timezone=True), nullable=True),
        sa.Column('handed_to_hr_at', TIME(timezone=True), nullable=True),
    ):
        op.add_column('visitor', column)


def downgrade() -> None:
    with op.batch_alter_table('visitor') as batch_op:
        for name in ('handed_to_hr_at', 'badge_returned_at', 'badge', 'drink', 'id_checked',
                     'room', 'people', 'company'):
            batch_op.drop_column(name)
    for table in reversed(TABLES):
        unscope(table)
        op.drop_table(table)
