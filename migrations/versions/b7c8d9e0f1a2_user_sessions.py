"""user_sessions: one row per sign-in, ended by signing out; replaces users.session_token

Revision ID: b7c8d9e0f1a2
Revises: a9b8c7d6e5f4
Create Date: 2026-12-07 06:00:00

Every sign-in made before this migration ends (its cookies carried the old token).
"""
import secrets

import sqlalchemy as sa
from alembic import op

from portal.timeutil import UTCDateTime

# revision identifiers, used by Alembic.
revision = 'b7c8d9e0f1a2'
down_revision = 'a9b8c7d6e5f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'user_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('id_hash', sa.String(length=64), nullable=False),
        sa.Column('device', sa.String(length=40), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('last_seen_at', UTCDateTime(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.Column('ended_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
        sa.UniqueConstraint('id_hash', name=op.f('uq_user_sessions_id_hash')),
    )
    op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)
    op.create_index(op.f('ix_user_sessions_expires_at'), 'user_sessions', ['expires_at'],
                    unique=False)
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('session_token')


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=False,
                                      server_default=secrets.token_hex(16)))
    op.drop_index(op.f('ix_user_sessions_expires_at'), table_name='user_sessions')
    op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
    op.drop_table('user_sessions')
