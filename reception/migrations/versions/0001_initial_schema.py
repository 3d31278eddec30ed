"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22

Every table of the product, plus (on SQLite) the customer search index and the
triggers that make the key log, day sign-offs and the audit trail append-only.
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.types


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_number_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )
    op.create_table('staff',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('pin_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_role'), ['role'], unique=False)

    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('record_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)

    op.create_table('call',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('started_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('caller_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('caller_phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['taken_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_day'), ['day'], unique=False)

    op.create_table('callback_rule',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('days_after', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('customer',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('gender', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('name_initials', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('interest', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('first_visit_day', sa.Date(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_number'),
    sa.UniqueConstraint('phone')
    )
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_first_visit_day'), ['first_visit_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_customer_name_initials'), ['name_initials'], unique=False)

    op.create_table('day_event',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('snapshot', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('day_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_day_event_day'), ['day'], unique=False)

    op.create_table('draft',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('data', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('saved_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form', 'owner_id')
    )
    op.create_table('paper_count',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day', 'name')
    )
    with op.batch_alter_table('paper_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_count_day'), ['day'], unique=False)

    op.create_table('room_key',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('roles_allowed', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('needs_manager_approval', sa.Boolean(), nullable=False),
    sa.Column('limit_minutes', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('rota_entry',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('shift', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day', 'staff_id')
    )
    with op.batch_alter_table('rota_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rota_entry_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_rota_entry_staff_id'), ['staff_id'], unique=False)

    op.create_table('setting',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('updated_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('sign_in',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('terminal', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('signed_in_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signed_out_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_last_seen_at'), ['last_seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_staff_id'), ['staff_id'], unique=False)

    op.create_table('visitor',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.Column('has_appointment', sa.Boolean(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('arrived_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('left_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['host_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visitor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visitor_day'), ['day'], unique=False)

    op.create_table('appointment',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('arrived_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], ),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appointment_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointment_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointment_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_appointment_scheduled_at'), ['scheduled_at'], unique=False)

    op.create_table('callback',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('event_day', sa.Date(), nullable=False),
    sa.Column('due_day', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_outcome', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('next_try_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('closed_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['rule_id'], ['callback_rule.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('customer_id', 'rule_id', 'event_day')
    )
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_due_day'), ['due_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_status'), ['status'], unique=False)

    op.create_table('message',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('caller_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('matter', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('relayed_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('relayed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['recipient_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['relayed_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_message_relayed_at'), ['relayed_at'], unique=False)

    op.create_table('stay',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('room', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('check_in_day', sa.Date(), nullable=False),
    sa.Column('check_out_day', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('stay', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stay_check_in_day'), ['check_in_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_stay_check_out_day'), ['check_out_day'], unique=False)
        batch_op.create_index(batch_op.f('ix_stay_customer_id'), ['customer_id'], unique=False)

    op.create_table('callback_attempt',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('retry_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['callback_id'], ['callback.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('callback_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_attempt_callback_id'), ['callback_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_attempt_day'), ['day'], unique=False)

    op.create_table('callback_survey',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('callback_id', sa.Integer(), nullable=False),
    sa.Column('front_desk_score', sa.Integer(), nullable=True),
    sa.Column('front_desk_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('beautician_score', sa.Integer(), nullable=True),
    sa.Column('beautician_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('consultant_score', sa.Integer(), nullable=True),
    sa.Column('consultant_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('company_score', sa.Integer(), nullable=True),
    sa.Column('company_text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['callback_id'], ['callback.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('callback_id')
    )
    op.create_table('visit',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('is_new', sa.Boolean(), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('status_since', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('arrived_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('items', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount_cents', sa.Integer(), nullable=True),
    sa.Column('departed_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], ),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_consultant_day', ['consultant_id', 'day'], unique=False)
        batch_op.create_index('ix_visit_customer_day', ['customer_id', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_day'), ['day'], unique=False)
        batch_op.create_index('ix_visit_day_status', ['day', 'status'], unique=False)

    op.create_table('key_event',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('loan_id', sa.Integer(), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['corrects_id'], ['key_event.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['key_id'], ['room_key.id'], ),
    sa.ForeignKeyConstraint(['loan_id'], ['key_event.id'], ),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('key_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_event_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_event_key_id'), ['key_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_event_loan_id'), ['loan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_event_staff_id'), ['staff_id'], unique=False)

    op.create_table('case_file_request',
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('key_event_id', sa.Integer(), nullable=True),
    sa.Column('fulfilled_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['consultant_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff.id'], ),
    sa.ForeignKeyConstraint(['customer_id'], ['customer.id'], ),
    sa.ForeignKeyConstraint(['key_event_id'], ['key_event.id'], ),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_file_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_request_day'), ['day'], unique=False)



    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_EXTRAS:
            op.execute(statement)
    else:
        from reception.migrations import postgres
        postgres.append_only()


# Any part of a name, phone, pinyin initials or case number, without scanning the table.
SQLITE_EXTRAS = [
    """CREATE VIRTUAL TABLE customer_search USING fts5(
        name, phone, name_initials, case_number,
        content='customer', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER customer_search_ai AFTER INSERT ON customer BEGIN
        INSERT INTO customer_search(rowid, name, phone, name_initials, case_number)
        VALUES (new.id, new.name, new.phone, new.name_initials, coalesce(new.case_number, ''));
    END""",
    """CREATE TRIGGER customer_search_ad AFTER DELETE ON customer BEGIN
        INSERT INTO customer_search(customer_search, rowid, name, phone, name_initials,
            case_number)
        VALUES ('delete', old.id, old.name, old.phone, old.name_initials,
            coalesce(old.case_number, ''));
    END""",
    """CREATE TRIGGER customer_search_au AFTER UPDATE ON customer BEGIN
        INSERT INTO customer_search(customer_search, rowid, name, phone, name_initials,
            case_number)
        VALUES ('delete', old.id, old.name, old.phone, old.name_initials,
            coalesce(old.case_number, ''));
        INSERT INTO customer_search(rowid, name, phone, name_initials, case_number)
        VALUES (new.id, new.name, new.phone, new.name_initials, coalesce(new.case_number, ''));
    END""",
] + [
    f"""CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} BEGIN
        SELECT RAISE(ABORT, 'append-only: {table} entries are never changed');
    END"""
    for table in ("key_event", "day_event", "audit_entry")
    for verb in ("UPDATE", "DELETE")
]

def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS customer_search")
    with op.batch_alter_table('case_file_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_request_day'))

    op.drop_table('case_file_request')
    with op.batch_alter_table('key_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_event_staff_id'))
        batch_op.drop_index(batch_op.f('ix_key_event_loan_id'))
        batch_op.drop_index(batch_op.f('ix_key_event_key_id'))
        batch_op.drop_index(batch_op.f('ix_key_event_day'))

    op.drop_table('key_event')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_day_status')
        batch_op.drop_index(batch_op.f('ix_visit_day'))
        batch_op.drop_index('ix_visit_customer_day')
        batch_op.drop_index('ix_visit_consultant_day')

    op.drop_table('visit')
    op.drop_table('callback_survey')
    with op.batch_alter_table('callback_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_attempt_day'))
        batch_op.drop_index(batch_op.f('ix_callback_attempt_callback_id'))

    op.drop_table('callback_attempt')
    with op.batch_alter_table('stay', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stay_customer_id'))
        batch_op.drop_index(batch_op.f('ix_stay_check_out_day'))
        batch_op.drop_index(batch_op.f('ix_stay_check_in_day'))

    op.drop_table('stay')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_relayed_at'))
        batch_op.drop_index(batch_op.f('ix_message_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_message_day'))

    op.drop_table('message')
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_status'))
        batch_op.drop_index(batch_op.f('ix_callback_due_day'))
        batch_op.drop_index(batch_op.f('ix_callback_customer_id'))

    op.drop_table('callback')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointment_scheduled_at'))
        batch_op.drop_index(batch_op.f('ix_appointment_phone'))
        batch_op.drop_index(batch_op.f('ix_appointment_day'))
        batch_op.drop_index(batch_op.f('ix_appointment_customer_id'))

    op.drop_table('appointment')
    with op.batch_alter_table('visitor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visitor_day'))

    op.drop_table('visitor')
    with op.batch_alter_table('sign_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_staff_id'))
        batch_op.drop_index(batch_op.f('ix_sign_in_last_seen_at'))

    op.drop_table('sign_in')
    op.drop_table('setting')
    with op.batch_alter_table('rota_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rota_entry_staff_id'))
        batch_op.drop_index(batch_op.f('ix_rota_entry_day'))

    op.drop_table('rota_entry')
    op.drop_table('room_key')
    with op.batch_alter_table('paper_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_count_day'))

    op.drop_table('paper_count')
    op.drop_table('draft')
    with op.batch_alter_table('day_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_day_event_day'))

    op.drop_table('day_event')
    with op.batch_alter_table('customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_name_initials'))
        batch_op.drop_index(batch_op.f('ix_customer_name'))
        batch_op.drop_index(batch_op.f('ix_customer_first_visit_day'))
        batch_op.drop_index(batch_op.f('ix_customer_consultant_id'))

    op.drop_table('customer')
    op.drop_table('callback_rule')
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_day'))

    op.drop_table('call')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_role'))
        batch_op.drop_index(batch_op.f('ix_staff_name'))

    op.drop_table('staff')
    op.drop_table('case_number_day')
