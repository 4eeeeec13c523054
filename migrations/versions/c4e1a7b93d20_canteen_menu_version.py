"""canteen_menu_version: one number that every change to a published menu moves on, so the
rendered menu is kept until it changes (issue 18)

Revision ID: c4e1a7b93d20
Revises: c8d9e0f1a2b3
Create Date: 2026-12-07 06:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4e1a7b93d20'
down_revision = 'c8d9e0f1a2b3'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('canteen_menu_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_canteen_menu_version'))
    )
    op.bulk_insert(table, [{'id': 1, 'version': 1}])


def downgrade():
    op.drop_table('canteen_menu_version')
