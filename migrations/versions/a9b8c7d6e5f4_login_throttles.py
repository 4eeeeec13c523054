"""login_throttles: failed sign-ins per account+client and per client, in the database

Revision ID: a9b8c7d6e5f4
Revises: f3a4b5c6d7e8
Create Date: 2026-12-02 15:00:00

"""
import sqlalchemy as sa
from alembic import op

from portal.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'a9b8c7d6e5f4'
down_revision = 'f3a4b5c6d7e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_throttles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('employee_no', sa.String(length=20), nullable=False),
        sa.Column('client', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', UTCDateTime(), nullable=False),
        sa.Column('locked_until', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_login_throttles')),
        sa.UniqueConstraint('employee_no', 'client', name=op.f('uq_login_throttles_employee_no')),
    )
    op.create_index(op.f('ix_login_throttles_locked_until'), 'login_throttles',
                    ['locked_until'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_login_throttles_locked_until'), table_name='login_throttles')
    op.drop_table('login_throttles')
