"""Holding a room for a time: the one place that decides whether a slot is free.

Two app servers booking the same slot at the same moment must end with one booking. The room's
row is locked first (an UPDATE: a row lock on PostgreSQL, the write lock on SQLite, held until
commit), so the second booking waits, then sees the first and is refused with a clear message.
On PostgreSQL an exclusion constraint (room WITH =, time range WITH &&, on the rows that hold
their room) refuses an overlap even from a writer that skipped this code.
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.blueprints.meetings.models import LONGEST_HOURS, Meeting, Room
from portal.errors import Refused
from portal.extensions import db

EXCLUSION = "ex_meetings_room_time"  # the migration's constraint (PostgreSQL)
TAKEN = _l("This room is already booked at that time. Choose another time or room.")


def lock_room(room: Room) -> None:
    """Wait for (then hold) the room's row until commit: bookings of one room go one by one."""
    db.session.execute(update(Room).where(Room.id == room.id)
                       .values(capacity=Room.capacity)
                       .execution_options(synchronize_session=False))


def clash(room_id: int, starts_at: datetime, ends_at: datetime,
          leave_out: int | None = None) -> Meeting | None:
    """The meeting holding `room_id` at some moment between `starts_at` and `ends_at`."""
    query = select(Meeting).where(
        Meeting.room_id == room_id, Meeting.room_held.is_(True),
        Meeting.starts_at < ends_at, Meeting.ends_at > starts_at,
        # On the (room, start) index: nothing longer than LONGEST_HOURS starts earlier.
        Meeting.starts_at > starts_at - timedelta(hours=LONGEST_HOURS))
    if leave_out is not None:
        query = query.where(Meeting.id != leave_out)
    return db.session.scalar(query.limit(1))


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise Refused(_l("The meeting must end after it starts."))
    if ends_at - starts_at > timedelta(hours=LONGEST_HOURS):
        raise Refused(_l("A booking can last at most %(hours)d hours.", hours=LONGEST_HOURS))


def hold(meeting: Meeting) -> None:
    """Flush `meeting` holding its room, or raise Refused (nothing of it is written)."""
    with db.session.no_autoflush:  # a moved meeting must not be written before it is checked
        if clash(meeting.room_id, meeting.starts_at, meeting.ends_at, leave_out=meeting.id):
            raise Refused(TAKEN)
    try:
        with db.session.begin_nested():
            db.session.add(meeting)
            db.session.flush()
    except IntegrityError as error:
        if EXCLUSION not in str(error.orig):
            raise
        raise Refused(TAKEN) from error  # another writer got there first
