"""overtime: records, ride-subsidy policies, claims and their steps, stand-ins, month closes

Revision ID: c8d9e0f1a2b3
Revises: 7d3a9c5e1f28
Create Date: 2026-12-07 06:10:00
"""
import sqlalchemy as sa
from alembic import op

from portal.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'c8d9e0f1a2b3'
down_revision = '7d3a9c5e1f28'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'overtime_records',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('start_time', sa.String(5), nullable=False),
        sa.Column('end_time', sa.String(5), nullable=True),
        sa.Column('expected_end', sa.String(5), nullable=True),
        sa.Column('reason', sa.String(200), nullable=False),
        sa.Column('confirmed_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('confirmed_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.UniqueConstraint('user_id', 'day', name='uq_overtime_records_user_day'),
    )
    op.create_index('ix_overtime_records_day', 'overtime_records', ['day'])
    op.create_table(
        'overtime_policies',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('effective_from', sa.Date(), nullable=False, unique=True),
        sa.Column('earliest_end', sa.String(5), nullable=False),
        sa.Column('ride_window_minutes', sa.Integer(), nullable=False),
        sa.Column('max_per_ride_cents', sa.Integer(), nullable=False),
        sa.Column('monthly_cap_cents', sa.Integer(), nullable=False),
        sa.Column('receipt_above_cents', sa.Integer(), nullable=False),
        sa.Column('rest_days_allowed', sa.Boolean(), nullable=False),
        sa.Column('holidays_allowed', sa.Boolean(), nullable=False),
        sa.Column('rest_day_earliest_end', sa.String(5), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
    )
    op.create_table(
        'overtime_claims',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('department_id', sa.Integer(), sa.ForeignKey('departments.id'), nullable=True),
        sa.Column('record_id', sa.Integer(),
                  sa.ForeignKey('overtime_records.id', ondelete='SET NULL'), nullable=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('month', sa.String(7), nullable=False),
        sa.Column('from_district', sa.String(20), nullable=False),
        sa.Column('to_district', sa.String(20), nullable=False),
        sa.Column('ride_at', UTCDateTime(), nullable=False),
        sa.Column('amount_cents', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(200), nullable=False),
        sa.Column('invoice_no', sa.String(30), nullable=True),
        sa.Column('invoice_date', sa.Date(), nullable=True),
        sa.Column('invoice_amount_cents', sa.Integer(), nullable=True),
        sa.Column('receipt', sa.LargeBinary(), nullable=True),
        sa.Column('receipt_mime', sa.String(40), nullable=False),
        sa.Column('receipt_removed_at', UTCDateTime(), nullable=True),
        sa.Column('warnings', sa.String(500), nullable=False),
        sa.Column('status', sa.String(10), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('waiting_since', UTCDateTime(), nullable=True),
        sa.Column('reminded_at', UTCDateTime(), nullable=True),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.UniqueConstraint('user_id', 'day', name='uq_overtime_claims_user_day'),
        sa.UniqueConstraint('invoice_no', name='uq_overtime_claims_invoice_no'),
    )
    op.create_index('ix_overtime_claims_month_status', 'overtime_claims', ['month', 'status'])
    op.create_index('ix_overtime_claims_department_id', 'overtime_claims', ['department_id'])
    op.create_index('ix_overtime_claims_status', 'overtime_claims', ['status'])
    op.create_table(
        'overtime_claim_steps',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('claim_id', sa.Integer(),
                  sa.ForeignKey('overtime_claims.id', ondelete='CASCADE'), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(10), nullable=False),
        sa.Column('action', sa.String(10), nullable=False),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('on_behalf_of_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('reason', sa.String(300), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
    )
    op.create_index('ix_overtime_claim_steps_claim_id', 'overtime_claim_steps', ['claim_id'])
    op.create_table(
        'overtime_stand_ins',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('approver_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('stand_in_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
    )
    op.create_index('ix_overtime_stand_ins_approver_id', 'overtime_stand_ins', ['approver_id'])
    op.create_index('ix_overtime_stand_ins_stand_in_id', 'overtime_stand_ins', ['stand_in_id'])
    op.create_table(
        'overtime_month_closes',
        sa.Column('month', sa.String(7), primary_key=True),
        sa.Column('closed_at', UTCDateTime(), nullable=False),
        sa.Column('closed_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('exported_at', UTCDateTime(), nullable=True),
        sa.Column('paid_at', UTCDateTime(), nullable=True),
    )
    op.create_table(
        'overtime_settings',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('reminder_hours', sa.Integer(), nullable=False),
        sa.Column('receipt_retention_days', sa.Integer(), nullable=False),
    )


def downgrade():
    for table in ('overtime_settings', 'overtime_month_closes', 'overtime_stand_ins',
                  'overtime_claim_steps', 'overtime_claims', 'overtime_policies',
                  'overtime_records'):
        op.drop_table(table)
