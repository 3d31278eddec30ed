"""Stays at a postpartum centre: rooms, contracts (handover and archive), payments,
deductions, the departments' confirmations, the first week's visits, in-stay requests.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.types
from reception.migrations.dialect import branch_column, scope_to_branch, unscope

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stay_room',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    branch_column(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name', 'branch_id')
    )
    scope_to_branch('stay_room')
    op.create_table('stay_contract',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    branch_column(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('id_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('emergency_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('emergency_relation', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('emergency_phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('package', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('list_price', sa.Integer(), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('first_payment', sa.Integer(), nullable=False),
    sa.Column('balance_due', sa.Integer(), nullable=False),
    sa.Column('card_fee', sa.Integer(), nullable=False),
    sa.Column('signed_day', sa.Date(), nullable=False),
    sa.Column('hospital', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('hospital_escort', sa.Boolean(), nullable=False),
    sa.Column('due_day', sa.Date(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('in_contract', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('not_in_contract', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('other_terms', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('special_requests', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sales_id', sa.Integer(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('delivery_day', sa.Date(), nullable=True),
    sa.Column('delivery_mode', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('delivery_hospital', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('delivery_bed', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('babies', sa.Integer(), nullable=False),
    sa.Column('baby_sex', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('baby_weight_g', sa.Integer(), nullable=False),
    sa.Column('nurse', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('pickup_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pickup_place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('arrival_day', sa.Date(), nullable=True),
    sa.Column('check_out_day', sa.Date(), nullable=True),
    sa.Column('photo_day', sa.Date(), nullable=True),
    sa.Column('head_shave_day', sa.Date(), nullable=True),
    sa.Column('party_day', sa.Date(), nullable=True),
    sa.Column('dropoff_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dropoff_place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('follow_up', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('vouchers', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('extras', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('arrival_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('stay_id', sa.Integer(), nullable=True),
    sa.Column('items_confirmed', sa.Boolean(), nullable=False),
    sa.Column('room_checked', sa.Boolean(), nullable=False),
    sa.Column('survey_score', sa.Integer(), nullable=True),
    sa.Column('survey_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('checked_out_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['room_id'], ['stay_room.id'], ),
    sa.ForeignKeyConstraint(['sales_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['stay_id'], ['stay.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number', 'branch_id')
    )
    op.create_index(op.f('ix_stay_contract_arrival_day'), 'stay_contract', ['arrival_day'], unique=False)
    scope_to_branch('stay_contract')
    op.create_index(op.f('ix_stay_contract_check_out_day'), 'stay_contract', ['check_out_day'], unique=False)
    op.create_index(op.f('ix_stay_contract_customer_id'), 'stay_contract', ['customer_id'], unique=False)
    op.create_index(op.f('ix_stay_contract_due_day'), 'stay_contract', ['due_day'], unique=False)
    op.create_index(op.f('ix_stay_contract_room_id'), 'stay_contract', ['room_id'], unique=False)
    op.create_index(op.f('ix_stay_contract_signed_day'), 'stay_contract', ['signed_day'], unique=False)
    op.create_index(op.f('ix_stay_contract_status'), 'stay_contract', ['status'], unique=False)
    op.create_table('stay_confirmation',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    branch_column(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('signed_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['stay_contract.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contract_id', 'department', 'branch_id')
    )
    scope_to_branch('stay_confirmation')
    op.create_index(op.f('ix_stay_confirmation_contract_id'), 'stay_confirmation', ['contract_id'], unique=False)
    op.create_table('stay_deduction',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    branch_column(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['stay_contract.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    scope_to_branch('stay_deduction')
    op.create_index(op.f('ix_stay_deduction_contract_id'), 'stay_deduction', ['contract_id'], unique=False)
    op.create_table('stay_payment',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    branch_column(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['stay_contract.id'], ),
    sa.ForeignKeyConstraint(['corrects_id'], ['stay_payment.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt', 'branch_id')
    )
    scope_to_branch('stay_payment')
    op.create_index(op.f('ix_stay_payment_contract_id'), 'stay_payment', ['contract_id'], unique=False)
    op.create_index(op.f('ix_stay_payment_day'), 'stay_payment', ['day'], unique=False)
    op.create_table('stay_request',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    branch_column(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('done_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['stay_contract.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_stay_request_at'), 'stay_request', ['at'], unique=False)
    scope_to_branch('stay_request')
    op.create_index(op.f('ix_stay_request_contract_id'), 'stay_request', ['contract_id'], unique=False)
    op.create_index(op.f('ix_stay_request_done_at'), 'stay_request', ['done_at'], unique=False)
    op.create_table('stay_visit',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    branch_column(),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('day_no', sa.Integer(), nullable=False),
    sa.Column('at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['stay_contract.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contract_id', 'day_no', 'branch_id')
    )
    scope_to_branch('stay_visit')
    op.create_index(op.f('ix_stay_visit_contract_id'), 'stay_visit', ['contract_id'], unique=False)


def downgrade() -> None:
    unscope('stay_visit')
    op.drop_table('stay_visit')
    unscope('stay_request')
    op.drop_table('stay_request')
    unscope('stay_payment')
    op.drop_table('stay_payment')
    unscope('stay_deduction')
    op.drop_table('stay_deduction')
    unscope('stay_confirmation')
    op.drop_table('stay_confirmation')
    unscope('stay_contract')
    op.drop_table('stay_contract')
    unscope('stay_room')
    op.drop_table('stay_room')
