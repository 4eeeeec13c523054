"""tasks: an index on where a task came from (source kind + id)

Revision ID: b7c1d2e3f4a5
Revises: a9b8c7d6e5f4
Create Date: 2026-12-07 05:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = 'a9b8c7d6e5f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_source', ['source_kind', 'source_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_source')
