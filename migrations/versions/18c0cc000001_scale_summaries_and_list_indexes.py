"""repairs: per-day figures and per-month times kept current with requests (filled from the
requests here); indexes for the filters of the list pages (issue 18: flat at scale)

Revision ID: 18c0cc000001
Revises: 7c3d9a2e5f18
Create Date: 2026-12-07 09:10:00

"""
import os
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context

# revision identifiers, used by Alembic.
revision = '18c0cc000001'
down_revision = '7c3d9a2e5f18'
branch_labels = None
depends_on = None


def _portal_tz() -> ZoneInfo:
    if has_app_context():
        return ZoneInfo(current_app.config["TIMEZONE"])
    return ZoneInfo(os.environ.get("PORTAL_TIMEZONE", "Asia/Shanghai"))


def upgrade():
    op.create_table('repair_day_figures',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('opened', sa.Integer(), nullable=False),
    sa.Column('responded', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Integer(), nullable=False),
    sa.Column('resolved', sa.Integer(), nullable=False),
    sa.Column('within', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', 'category')
    )
    op.create_table('repair_figure_times',
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('minutes', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['repair_requests.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'kind')
    )
    with op.batch_alter_table('repair_figure_times', schema=None) as batch_op:
        batch_op.create_index('ix_repair_figure_times_month',
                              ['kind', 'month', 'category', 'minutes'], unique=False)
        batch_op.create_index('ix_repair_figure_times_month_all', ['kind', 'month', 'minutes'],
                              unique=False)
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_action_id', ['action', 'id'], unique=False,
                              postgresql_ops={'action': 'text_pattern_ops'})
    with op.batch_alter_table('overtime_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_overtime_claims_month_status')
        batch_op.create_index('ix_overtime_claims_review',
                              ['month', 'status', 'waiting_since', 'id'], unique=False)
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.create_index('ix_suggestions_board_category', ['category_id', 'published_at'],
                              unique=False)
    # The requests there are now, counted once; from here on every change keeps them current.
    from portal.blueprints.repairs import figures_summary
    figures_summary.rebuild(op.get_bind(), _portal_tz())


def downgrade():
    with op.batch_alter_table('suggestions', schema=None) as batch_op:
        batch_op.drop_index('ix_suggestions_board_category')
    with op.batch_alter_table('overtime_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_overtime_claims_review')
        batch_op.create_index('ix_overtime_claims_month_status', ['month', 'status'],
                              unique=False)
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_action_id')
    with op.batch_alter_table('repair_figure_times', schema=None) as batch_op:
        batch_op.drop_index('ix_repair_figure_times_month_all')
        batch_op.drop_index('ix_repair_figure_times_month')
    op.drop_table('repair_figure_times')
    op.drop_table('repair_day_figures')
