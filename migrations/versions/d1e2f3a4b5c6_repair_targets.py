"""repairs: response and resolution targets per channel and urgency, editable by facilities

Revision ID: d1e2f3a4b5c6
Revises: c5d6e7f8a9b0
Create Date: 2026-11-29 12:05:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.timeutil  # noqa: F401  (custom column types)


# revision identifiers, used by Alembic.
revision = 'd1e2f3a4b5c6'
down_revision = 'c5d6e7f8a9b0'
branch_labels = None
depends_on = None

# The values of calendars.TARGETS when this migration was written, copied rather than imported
# so that a later change to the constants does not change what this migration did.
# (channel, urgency, response minutes, resolution minutes); office minutes are office hours
# (a working day is 540 minutes), lab minutes are clock minutes.
SEED = [
    ('office', 'urgent', 60, 4 * 60),
    ('office', 'normal', 4 * 60, 2 * 540),
    ('office', 'low', 540, 5 * 540),
    ('lab', 'urgent', 30, 4 * 60),
    ('lab', 'normal', 60, 24 * 60),
    ('lab', 'low', 4 * 60, 72 * 60),
]


def upgrade():
    targets = op.create_table('repair_targets',
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('response_minutes', sa.Integer(), nullable=False),
    sa.Column('resolution_minutes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'urgency', name=op.f('pk_repair_targets'))
    )
    op.bulk_insert(targets, [
        {'channel': channel, 'urgency': urgency, 'response_minutes': response,
         'resolution_minutes': resolution}
        for channel, urgency, response, resolution in SEED
    ])


def downgrade():
    op.drop_table('repair_targets')
