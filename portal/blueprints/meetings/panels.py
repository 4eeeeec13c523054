"""Home panels of this module: `Panel`s (see portal/modules.py and home/panels.py)."""

from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam, exists, select, union

from portal import sql
from portal.blueprints.meetings.models import (
    CANCELLED,
    CHECK_SOURCE,
    CONFIRMED,
    Attendee,
    Meeting,
    Room,
)
from portal.blueprints.repairs.models import Location
from portal.blueprints.tasks.models import CANCELLED as CANCELLED_TASK
from portal.blueprints.tasks.models import Task
from portal.modules import NOW, USER_ID, Panel
from portal.timeutil import utcnow

SHOWN = 5


def _mine(user_id, since):
    """My meetings (I organise, attend or take the minutes) not cancelled, ending after `since`."""
    # A union of three indexed lookups, not an OR (which reads the whole table on SQLite).
    ids = union(select(Meeting.id).where(Meeting.organiser_id == user_id),
                select(Meeting.id).where(Meeting.minute_taker_id == user_id),
                select(Attendee.meeting_id).where(Attendee.user_id == user_id))
    return Meeting.id.in_(ids), Meeting.ends_at > since, Meeting.status != CANCELLED


def _since():
    return utcnow() - timedelta(hours=1)  # a meeting an hour over is still shown


def mine_facts() -> dict:
    return {"any": exists().where(*_mine(USER_ID, bindparam("meetings_since")))}


def mine_params(user) -> dict:
    return {"meetings_since": _since()}


@cache
def _rows():
    """My next meetings with their rooms' names, soonest first, as plain rows (built once)."""
    return (select(Meeting.id, Meeting.title, Meeting.starts_at, Location.room.label("room_name"))
            .join(Room, Meeting.room_id == Room.id).join(Location, Room.location_id == Location.id)
            .where(*_mine(USER_ID, bindparam("meetings_since")))
            .order_by(Meeting.starts_at, Meeting.id).limit(SHOWN))


def my_meetings(user, facts) -> dict | None:
    """Everyone: my next meetings, with their rooms (hidden when there are none)."""
    if not facts["any"]:
        return None
    rows = sql.rows(_rows(), {USER_ID.key: user.id, **mine_params(user)})
    return {"rows": rows} if rows else None


@cache
def _checks():
    """Equipment checks (not cancelled) of meetings still to come, soonest first, as plain rows
    (the task, its room's name, when it is due; built once)."""
    return (select(Task.id, Location.room.label("room_name"), Task.due_at)
            .join(Meeting, Meeting.id == Task.source_id)
            .join(Room, Meeting.room_id == Room.id).join(Location, Room.location_id == Location.id)
            .where(Task.source_kind == CHECK_SOURCE, Task.status != CANCELLED_TASK,
                   Meeting.status == CONFIRMED, Meeting.ends_at > NOW)
            .order_by(Task.due_at).limit(SHOWN))


def equipment_checks(user, facts) -> dict | None:
    """Facilities: the coming equipment checks, beside their repair panels."""
    rows = sql.rows(_checks(), {NOW.key: utcnow()})
    return {"rows": rows} if rows else None


PANELS: list = [
    Panel("meetings/_panel_checks.html", equipment_checks, frozenset({"facilities"})),
    Panel("meetings/_panel_mine.html", my_meetings, facts=mine_facts, params=mine_params),
]
