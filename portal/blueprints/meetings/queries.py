"""Reads for the meeting pages: one meeting for one person (or 404), my meetings, the day view."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from flask import abort
from sqlalchemy import bindparam, literal, select, union
from sqlalchemy.orm import selectinload

from portal import sql
from portal.blueprints.accounts.models import User
from portal.blueprints.meetings.models import (
    ACTION_SOURCE,
    CANCELLED,
    CHECK_SOURCE,
    CONFIRMED,
    LONGEST_HOURS,
    PENDING,
    Attendee,
    Meeting,
    Room,
)
from portal.blueprints.meetings.services import can_see
from portal.blueprints.repairs.models import Location
from portal.blueprints.tasks.models import CANCELLED as CANCELLED_TASK
from portal.blueprints.tasks.models import Task
from portal.extensions import db
from portal.modules import USER_ID
from portal.timeutil import portal_tz

DAY_FROM, DAY_TO = 8, 21  # the day view's hours, local time
SLOT_MINUTES = 30
LIST_LIMIT = 50
SINCE = bindparam("since")


def get_meeting(meeting_id: int, user: User) -> Meeting:
    """The meeting if `user` may know of it; 404 otherwise (as if it did not exist)."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or not can_see(meeting, user):
        abort(404)
    return meeting


@cache
def _my_meetings():
    """What a card of my meetings shows, as plain rows, soonest first (built once): the room's
    name joined in, no Meeting, Room or Location objects, none of the texts."""
    # A union of three indexed lookups, not an OR (which reads the whole table on SQLite).
    mine = union(select(Meeting.id).where(Meeting.organiser_id == USER_ID),
                 select(Meeting.id).where(Meeting.minute_taker_id == USER_ID),
                 select(Attendee.meeting_id).where(Attendee.user_id == USER_ID))
    return (select(Meeting.id, Meeting.title, Meeting.status, Meeting.starts_at,
                   Meeting.ends_at, Meeting.released_at, Location.room)
            .join(Room, Meeting.room_id == Room.id).join(Location, Room.location_id == Location.id)
            .where(Meeting.id.in_(mine), Meeting.ends_at > SINCE,
                   Meeting.status != literal(CANCELLED))
            .order_by(Meeting.starts_at, Meeting.id).limit(LIST_LIMIT))


def my_meetings(user: User, since: datetime) -> list:
    """Meetings I organise, attend or take the minutes of, ending after `since`, soonest first:
    (id, title, status, starts_at, ends_at, released_at, room name) plain rows (the key of the
    page's kept content), on the request's read connection when the view has one."""
    return sql.rows(_my_meetings(), {USER_ID.key: user.id, SINCE.key: since})


def rooms(active_only: bool = True) -> list[Room]:
    query = (select(Room).join(Location)
             .options(selectinload(Room.departments))
             .order_by(Location.building, Location.floor, Location.room))
    if active_only:
        query = query.where(Room.active.is_(True))
    return list(db.session.scalars(query))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=portal_tz())
    return start, start + timedelta(days=1)


def held_on(day: date) -> list[Meeting]:
    """Every meeting holding a room on `day` (local), on the (held, start) index."""
    start, end = day_bounds(day)
    query = select(Meeting).where(
        Meeting.room_held.is_(True), Meeting.starts_at < end, Meeting.ends_at > start,
        Meeting.starts_at > start - timedelta(hours=LONGEST_HOURS)).order_by(Meeting.starts_at)
    return list(db.session.scalars(query))


@dataclass
class Slot:
    starts: datetime  # local
    meeting: Meeting | None

    @property
    def free(self) -> bool:
        return self.meeting is None


@dataclass
class RoomDay:
    room: Room
    slots: list[Slot]

    def free_runs(self, now: datetime) -> list[tuple[datetime, datetime]]:
        """Free stretches still ahead, as (from, to) local times: the phone's list."""
        runs: list[list[datetime]] = []
        step = timedelta(minutes=SLOT_MINUTES)
        for slot in self.slots:
            if not slot.free or slot.starts + step <= now:
                continue
            if runs and runs[-1][1] == slot.starts:
                runs[-1][1] = slot.starts + step
            else:
                runs.append([slot.starts, slot.starts + step])
        return [(a, b) for a, b in runs]


def day_view(day: date) -> list[RoomDay]:
    """Rooms × half hours of `day`: who holds each slot (two queries, whatever the history)."""
    tz = portal_tz()
    held: dict[int, list[tuple[datetime, datetime, Meeting]]] = {}
    for meeting in held_on(day):
        held.setdefault(meeting.room_id, []).append(
            (meeting.starts_at.astimezone(tz), meeting.ends_at.astimezone(tz), meeting))
    start = datetime.combine(day, time(DAY_FROM), tzinfo=tz)
    step = timedelta(minutes=SLOT_MINUTES)
    times = [start + n * step for n in range((DAY_TO - DAY_FROM) * 60 // SLOT_MINUTES)]
    view = []
    for room in rooms():
        taken = held.get(room.id, [])
        slots = [Slot(at, next((m for begins, ends, m in taken if begins < at + step
                                and ends > at), None)) for at in times]
        view.append(RoomDay(room, slots))
    return view


def pending_approvals() -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(Meeting.status == PENDING)
                                   .order_by(Meeting.starts_at)))


def actions_of(meeting: Meeting) -> list[Task]:
    return list(db.session.scalars(select(Task).where(
        Task.source_kind == ACTION_SOURCE, Task.source_id == meeting.id).order_by(Task.id)))


def upcoming_checks(now: datetime, limit: int = LIST_LIMIT) -> list[tuple[Task, Meeting]]:
    """Equipment checks (not cancelled) of meetings still to come, soonest first (facilities'
    list)."""
    rows = db.session.execute(
        select(Task, Meeting).join(Meeting, Meeting.id == Task.source_id)
        .where(Task.source_kind == CHECK_SOURCE, Task.status != CANCELLED_TASK,
               Meeting.status == CONFIRMED,
               Meeting.ends_at > now)
        .order_by(Task.due_at).limit(limit))
    return [(task, meeting) for task, meeting in rows]
