"""tasks: an index per list of open tasks and on where a task came from; attachments

Revision ID: b7c1d2e3f4a5
Revises: 6b2f8e1c4d73
Create Date: 2026-12-07 05:30:00

"""
import sqlalchemy as sa
from alembic import op

from portal.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = '6b2f8e1c4d73'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_source', ['source_kind', 'source_id'], unique=False)
        for column in ('owner_id', 'assigner_id', 'department_id'):
            batch_op.drop_index(f'ix_tasks_{column}')
        batch_op.create_index('ix_tasks_owner_status', ['owner_id', 'status', 'due_at'])
        batch_op.create_index('ix_tasks_assigner_status', ['assigner_id', 'status', 'due_at'])
        batch_op.create_index('ix_tasks_department_status', ['department_id', 'status', 'due_at'])
    op.create_table(
        'task_attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('filename', sa.String(length=100), nullable=False),
        sa.Column('mimetype', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['task_events.id'],
                                name=op.f('fk_task_attachments_event_id_task_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['task_id'], ['tasks.id'],
                                name=op.f('fk_task_attachments_task_id_tasks'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_task_attachments')),
    )
    with op.batch_alter_table('task_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_attachments_event_id'), ['event_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_task_attachments_task_id'), ['task_id'],
                              unique=False)


def downgrade():
    op.drop_table('task_attachments')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_source')
        for name in ('owner_status', 'assigner_status', 'department_status'):
            batch_op.drop_index(f'ix_tasks_{name}')
        for column in ('owner_id', 'assigner_id', 'department_id'):
            batch_op.create_index(f'ix_tasks_{column}', [column])
