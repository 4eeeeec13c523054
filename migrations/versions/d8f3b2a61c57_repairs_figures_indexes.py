"""repairs: covering indexes for the monthly figures (opened, closed, resolved in a month), so
they take as long at 100,000 requests as at 1,000 (issue 18)

Revision ID: d8f3b2a61c57
Revises: c4e1a7b93d20
Create Date: 2026-12-07 06:52:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd8f3b2a61c57'
down_revision = 'c4e1a7b93d20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('repair_requests', schema=None) as batch_op:
        batch_op.create_index('ix_repair_requests_figures_opened',
                              ['created_at', 'category', 'accepted_at'], unique=False)
        batch_op.create_index('ix_repair_requests_figures_closed',
                              ['closed_at', 'category'], unique=False)
        batch_op.create_index('ix_repair_requests_figures_resolved',
                              ['resolved_at', 'category', 'created_at', 'resolution_due',
                               'accepted_at', 'response_due'], unique=False)


def downgrade():
    with op.batch_alter_table('repair_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_repair_requests_figures_resolved')
        batch_op.drop_index('ix_repair_requests_figures_closed')
        batch_op.drop_index('ix_repair_requests_figures_opened')
