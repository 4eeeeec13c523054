"""Rooms and meetings 会议: rooms (places of the location list), meetings, attendees, reminders
sent, settings; on PostgreSQL an exclusion constraint: one meeting per room at any moment

Revision ID: 6b2f8e1c4d73
Revises: 5a1e7c2d9b40
Create Date: 2026-12-07 05:40:00

"""
import sqlalchemy as sa
from alembic import op

import portal.timeutil  # noqa: F401  (custom column types)

# revision identifiers, used by Alembic.
revision = '6b2f8e1c4d73'
down_revision = '5a1e7c2d9b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meeting_rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('equipment', sa.String(length=200), nullable=False),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['repair_locations.id'], name=op.f('fk_meeting_rooms_location_id_repair_locations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_rooms')),
    sa.UniqueConstraint('location_id', name=op.f('uq_meeting_rooms_location_id'))
    )
    op.create_table('meeting_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_after_minutes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_settings'))
    )
    op.create_table('meeting_room_departments',
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_meeting_room_departments_department_id_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['meeting_rooms.id'], name=op.f('fk_meeting_room_departments_room_id_meeting_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('room_id', 'department_id', name=op.f('pk_meeting_room_departments'))
    )
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.Column('ends_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('room_held', sa.Boolean(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('minute_taker_id', sa.Integer(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_at', portal.timeutil.UTCDateTime(), nullable=True),
    sa.Column('checked_in_at', portal.timeutil.UTCDateTime(), nullable=True),
    sa.Column('released_at', portal.timeutil.UTCDateTime(), nullable=True),
    sa.Column('fault_number', sa.String(length=20), nullable=False),
    sa.Column('created_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['minute_taker_id'], ['users.id'], name=op.f('fk_meetings_minute_taker_id_users')),
    sa.ForeignKeyConstraint(['organiser_id'], ['users.id'], name=op.f('fk_meetings_organiser_id_users')),
    sa.ForeignKeyConstraint(['room_id'], ['meeting_rooms.id'], name=op.f('fk_meetings_room_id_meeting_rooms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_held_starts', ['room_held', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_minute_taker_id'), ['minute_taker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_index('ix_meetings_room_starts', ['room_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_series_id'), ['series_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        # The database itself refuses a second meeting holding one room at an overlapping time,
        # whichever app server writes it. (SQLite: services lock the room row and check.)
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        op.execute('ALTER TABLE meetings ADD CONSTRAINT ex_meetings_room_time EXCLUDE USING gist '
                   '(room_id WITH =, tsrange(starts_at, ends_at) WITH &&) WHERE (room_held)')

    op.create_table('meeting_attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('response', sa.String(length=10), nullable=False),
    sa.Column('responded_at', portal.timeutil.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendees_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_attendees_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_attendees')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_meeting_attendees_meeting_id'))
    )
    with op.batch_alter_table('meeting_attendees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendees_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_departments',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_meeting_departments_department_id_departments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_departments_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'department_id', name=op.f('pk_meeting_departments'))
    )
    op.create_table('meeting_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('starts_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.Column('sent_at', portal.timeutil.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_alerts_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_alerts')),
    sa.UniqueConstraint('meeting_id', 'kind', 'starts_at', name='uq_meeting_alert')
    )


def downgrade():
    op.drop_table('meeting_alerts')
    op.drop_table('meeting_departments')
    with op.batch_alter_table('meeting_attendees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_attendees_user_id'))
    op.drop_table('meeting_attendees')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_series_id'))
        batch_op.drop_index('ix_meetings_room_starts')
        batch_op.drop_index(batch_op.f('ix_meetings_organiser_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_minute_taker_id'))
        batch_op.drop_index('ix_meetings_held_starts')
    op.drop_table('meetings')
    op.drop_table('meeting_room_departments')
    op.drop_table('meeting_settings')
    op.drop_table('meeting_rooms')
