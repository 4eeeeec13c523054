"""notifications.email_due: an e-mail still to go out (queued, or waiting for Redis to be back)

Revision ID: c4e5f6a7b8c9
Revises: b7c1d2e3f4a5
Create Date: 2026-12-07 06:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4e5f6a7b8c9'
down_revision = 'b7c1d2e3f4a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_due', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('email_due')
