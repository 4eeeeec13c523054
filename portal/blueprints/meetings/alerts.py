"""Reminders the day before and 30 minutes before, and giving back rooms nobody checked in to;
run by jobs.py every few minutes.

A MeetingAlert row per (meeting, kind, start time) is written with the notifications, in one
transaction, so each reminder goes out once however often (or concurrently) the job runs; a
moved meeting has a new start time and is reminded of again. (The same shape as TaskAlert.)
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.blueprints.meetings.models import (
    CONFIRMED,
    DECLINED,
    Meeting,
    MeetingAlert,
    MeetingSettings,
)
from portal.blueprints.meetings.services import everyone, tell
from portal.extensions import db
from portal.i18n import N_
from portal.settings import read_settings

REMINDERS = {
    # kind: (how long before the start, what it says)
    "day_before": (timedelta(hours=24), N_("Tomorrow: %(subject)s, %(when)s, %(room)s")),
    "soon": (timedelta(minutes=30), N_("In 30 minutes: %(subject)s, %(room)s")),
}


def _not_sent(kind: str):
    return ~exists().where(and_(MeetingAlert.meeting_id == Meeting.id, MeetingAlert.kind == kind,
                                MeetingAlert.starts_at == Meeting.starts_at))


def _claim(meeting: Meeting, kind: str, now: datetime) -> bool:
    """Record the reminder; False if another run recorded it first."""
    try:
        with db.session.begin_nested():
            db.session.add(MeetingAlert(meeting_id=meeting.id, kind=kind,
                                        starts_at=meeting.starts_at, sent_at=now))
        return True
    except IntegrityError:
        return False


def send_reminders(now: datetime) -> int:
    """Remind everyone who has not declined; each reminder once per start time."""
    sent = 0
    for kind, (before, title) in REMINDERS.items():
        # "Soon" is sent alone in the last half hour: no "tomorrow" then.
        later = REMINDERS["soon"][0] if kind == "day_before" else timedelta(0)
        due = db.session.scalars(select(Meeting).where(
            Meeting.status == CONFIRMED, Meeting.starts_at > now + later,
            Meeting.starts_at <= now + before, _not_sent(kind))
            .options(selectinload(Meeting.attendees)).order_by(Meeting.starts_at)).all()
        for meeting in due:
            if not _claim(meeting, kind, now):
                continue
            declined = {a.user_id for a in meeting.attendees if a.response == DECLINED}
            for person in everyone(meeting):
                if person.id not in declined:
                    tell(person, title, meeting)
            sent += 1
    return sent


def release_unclaimed(now: datetime) -> int:
    """Give back the room of a booking nobody checked in to within the set minutes of its start."""
    minutes = read_settings(MeetingSettings).release_after_minutes
    late = db.session.scalars(select(Meeting).where(
        Meeting.room_held.is_(True), Meeting.status == CONFIRMED,
        Meeting.checked_in_at.is_(None), Meeting.ends_at > now,
        Meeting.starts_at <= now - timedelta(minutes=minutes))).all()
    released = 0
    for meeting in late:
        # Conditional, so of two runs at once only one releases (and tells) it.
        taken = db.session.execute(
            update(Meeting).where(Meeting.id == meeting.id, Meeting.room_held.is_(True),
                                  Meeting.checked_in_at.is_(None))
            .values(room_held=False, released_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if taken:
            db.session.refresh(meeting)
            tell(meeting.organiser, N_("Room %(room)s was released: nobody checked in to "
                                        "%(subject)s"), meeting)
            released += 1
    return released
