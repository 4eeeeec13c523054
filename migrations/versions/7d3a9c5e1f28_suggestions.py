"""suggestions: staff suggestion box (online, anonymous, paper), supporters, answers

Revision ID: 7d3a9c5e1f28
Revises: c4e5f6a7b8c9
Create Date: 2026-12-07 06:00:00

"""
import sqlalchemy as sa
from alembic import op

from portal.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = '7d3a9c5e1f28'
down_revision = 'c4e5f6a7b8c9'
branch_labels = None
depends_on = None

CATEGORIES = [("食堂", "Canteen"), ("班车", "Shuttle bus"), ("环境", "Environment"),
              ("设施", "Facilities"), ("IT", "IT"), ("其他", "Other")]


def upgrade():
    categories = op.create_table(
        'suggestion_categories',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name_zh', sa.String(length=40), nullable=False),
        sa.Column('name_en', sa.String(length=40), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_categories')),
    )
    op.bulk_insert(categories, [
        {"id": n + 1, "name_zh": zh, "name_en": en, "position": n, "active": True}
        for n, (zh, en) in enumerate(CATEGORIES)])
    op.create_table(
        'suggestions',
        sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('anonymous', sa.Boolean(), nullable=False),
        sa.Column('submitter_id', sa.Integer(), nullable=True),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=True),
        sa.Column('code_hint', sa.String(length=4), nullable=False),
        sa.Column('intake_hash', sa.String(length=64), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('routed_at', UTCDateTime(), nullable=True),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('answer_link', sa.String(length=300), nullable=False),
        sa.Column('plan', sa.Text(), nullable=False),
        sa.Column('plan_owner_id', sa.Integer(), nullable=True),
        sa.Column('target_date', sa.Date(), nullable=True),
        sa.Column('task_id', sa.Integer(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', UTCDateTime(), nullable=True),
        sa.Column('outcome_version', sa.Integer(), nullable=False),
        sa.Column('notified_version', sa.Integer(), nullable=False),
        sa.Column('published_at', UTCDateTime(), nullable=True),
        sa.Column('merged_into_id', sa.BigInteger(), nullable=True),
        sa.Column('plus_count', sa.Integer(), nullable=False),
        sa.Column('rating', sa.SmallInteger(), nullable=True),
        sa.Column('rating_comment', sa.Text(), nullable=False),
        sa.Column('reminded_holder_on', sa.Date(), nullable=True),
        sa.Column('reminded_office_on', sa.Date(), nullable=True),
        sa.Column('replies_told_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['category_id'], ['suggestion_categories.id'],
                                name=op.f('fk_suggestions_category_id_suggestion_categories')),
        sa.ForeignKeyConstraint(['submitter_id'], ['users.id'],
                                name=op.f('fk_suggestions_submitter_id_users')),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_suggestions_department_id_departments')),
        sa.ForeignKeyConstraint(['plan_owner_id'], ['users.id'],
                                name=op.f('fk_suggestions_plan_owner_id_users')),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_suggestions_task_id_tasks')),
        sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'],
                                name=op.f('fk_suggestions_answered_by_id_users')),
        sa.ForeignKeyConstraint(['merged_into_id'], ['suggestions.id'],
                                name=op.f('fk_suggestions_merged_into_id_suggestions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestions')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_suggestions_code_hash')),
        sa.UniqueConstraint('intake_hash', name=op.f('uq_suggestions_intake_hash')),
    )
    op.create_index('ix_suggestions_week', 'suggestions', ['created_on', 'category_id'])
    op.create_index('ix_suggestions_board', 'suggestions', ['published_at'])
    op.create_index('ix_suggestions_status', 'suggestions', ['status', 'created_on'])
    op.create_index(op.f('ix_suggestions_submitter_id'), 'suggestions', ['submitter_id'])
    op.create_index(op.f('ix_suggestions_department_id'), 'suggestions', ['department_id'])
    op.create_table(
        'suggestion_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('suggestion_id', sa.BigInteger(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ondelete='CASCADE',
                                name=op.f('fk_suggestion_photos_suggestion_id_suggestions')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_photos')),
        sa.UniqueConstraint('suggestion_id', name=op.f('uq_suggestion_photos_suggestion_id')),
    )
    op.create_table(
        'suggestion_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('suggestion_id', sa.BigInteger(), nullable=False),
        sa.Column('from_submitter', sa.Boolean(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ondelete='CASCADE',
                                name=op.f('fk_suggestion_messages_suggestion_id_suggestions')),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'],
                                name=op.f('fk_suggestion_messages_author_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_messages')),
    )
    op.create_index(op.f('ix_suggestion_messages_suggestion_id'), 'suggestion_messages',
                    ['suggestion_id'])
    for table, constraint in (('suggestion_supports', 'uq_suggestion_support'),
                              ('suggestion_follows', 'uq_suggestion_follow'),
                              ('suggestion_answerers', 'uq_suggestion_answerer')):
        extra = [sa.Column('active', sa.Boolean(), nullable=False)] \
            if table == 'suggestion_follows' else []
        op.create_table(
            table,
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('suggestion_id', sa.BigInteger(), nullable=False),
            sa.Column('user_id', sa.Integer(), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ondelete='CASCADE',
                                    name=op.f(f'fk_{table}_suggestion_id_suggestions')),
            sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                    name=op.f(f'fk_{table}_user_id_users')),
            sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
            sa.UniqueConstraint('suggestion_id', 'user_id', name=constraint),
        )
        op.create_index(op.f(f'ix_{table}_suggestion_id'), table, ['suggestion_id'])
        if table != 'suggestion_answerers':
            op.create_index(op.f(f'ix_{table}_user_id'), table, ['user_id'])
    op.create_table(
        'suggestion_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('suggestion_id', sa.BigInteger(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['suggestion_id'], ['suggestions.id'], ondelete='CASCADE',
                                name=op.f('fk_suggestion_events_suggestion_id_suggestions')),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_suggestion_events_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_events')),
    )
    op.create_index(op.f('ix_suggestion_events_suggestion_id'), 'suggestion_events',
                    ['suggestion_id'])
    op.create_table(
        'suggestion_answer_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_answer_templates')),
    )


def downgrade():
    for table in ('suggestion_answer_templates', 'suggestion_events', 'suggestion_answerers',
                  'suggestion_follows', 'suggestion_supports', 'suggestion_messages',
                  'suggestion_photos', 'suggestions', 'suggestion_categories'):
        op.drop_table(table)
