"""Visitor reception 客户接待: visits, visitors, materials, meals, the reception standard's
steps, settings

Revision ID: 7c3d9a2e5f18
Revises: d8f3b2a61c57
Create Date: 2026-12-07 06:30:00

"""
import sqlalchemy as sa
from alembic import op

import portal.timeutil  # noqa: F401  (custom column types)

# revision identifiers, used by Alembic.
revision = '7c3d9a2e5f18'
down_revision = 'd8f3b2a61c57'
branch_labels = None
depends_on = None

UTC = portal.timeutil.UTCDateTime


def upgrade():
    op.create_table('visit_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ask_id_type', sa.Boolean(), nullable=False),
    sa.Column('retention_days', sa.Integer(), nullable=False),
    sa.Column('evening_hour', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_settings'))
    )
    op.create_table('visit_checklist_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=80), nullable=False),
    sa.Column('title_en', sa.String(length=80), nullable=False),
    sa.Column('acceptance', sa.String(length=200), nullable=False),
    sa.Column('lead_minutes', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_checklist_steps'))
    )
    op.create_table('visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('company', sa.String(length=120), nullable=False),
    sa.Column('arrives_at', UTC(), nullable=False),
    sa.Column('departs_at', UTC(), nullable=False),
    sa.Column('host_id', sa.Integer(), nullable=False),
    sa.Column('reception_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.Column('visitor_count', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('reminded_at', UTC(), nullable=True),
    sa.Column('purged_at', UTC(), nullable=True),
    sa.Column('created_at', UTC(), nullable=False),
    sa.ForeignKeyConstraint(['host_id'], ['users.id'], name=op.f('fk_visits_host_id_users')),
    sa.ForeignKeyConstraint(['reception_id'], ['users.id'], name=op.f('fk_visits_reception_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_visits_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits')),
    sa.UniqueConstraint('code', name=op.f('uq_visits_code'))
    )
    op.create_index('ix_visits_arrives', 'visits', ['arrives_at'])
    op.create_index('ix_visits_host_arrives', 'visits', ['host_id', 'arrives_at'])
    op.create_index('ix_visits_status_departs', 'visits', ['status', 'departs_at'])
    op.create_index(op.f('ix_visits_company'), 'visits', ['company'])
    op.create_index(op.f('ix_visits_reception_id'), 'visits', ['reception_id'])
    op.create_table('visit_visitors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('company', sa.String(length=120), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=120), nullable=False),
    sa.Column('id_type', sa.String(length=20), nullable=False),
    sa.Column('checked_in_at', UTC(), nullable=True),
    sa.Column('checked_out_at', UTC(), nullable=True),
    sa.Column('not_checked_out', sa.Boolean(), nullable=False),
    sa.Column('badge_prints', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_visitors_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_visitors'))
    )
    op.create_index(op.f('ix_visit_visitors_visit_id'), 'visit_visitors', ['visit_id'])
    op.create_table('visit_materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=120), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_materials_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_materials'))
    )
    op.create_index(op.f('ix_visit_materials_visit_id'), 'visit_materials', ['visit_id'])
    op.create_table('visit_meals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('meal', sa.String(length=12), nullable=False),
    sa.Column('headcount', sa.Integer(), nullable=False),
    sa.Column('diet_notes', sa.String(length=200), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_visit_meals_visit_id_visits'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_meals'))
    )
    op.create_index('ix_visit_meals_day', 'visit_meals', ['day', 'cancelled'])


def downgrade():
    op.drop_table('visit_meals')
    op.drop_table('visit_materials')
    op.drop_table('visit_visitors')
    op.drop_table('visits')
    op.drop_table('visit_checklist_steps')
    op.drop_table('visit_settings')
