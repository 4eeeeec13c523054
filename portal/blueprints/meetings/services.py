"""Writes of the meetings module: booking, inviting, answering, moving, cancelling, minutes.

Plain functions named by verb; they flush, the route or job commits. Who may do what is
decided in the can_* helpers here, and every write checks it again.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import force_locale, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.audit.services import record
from portal.blueprints.calendar import queries as company_calendar
from portal.blueprints.meetings import booking, checks
from portal.blueprints.meetings.models import (
    ACCEPTED,
    ACTION_SOURCE,
    CANCELLED,
    CONFIRMED,
    DECLINED,
    PENDING,
    Attendee,
    Meeting,
    Room,
)
from portal.blueprints.notifications.services import notify
from portal.blueprints.tasks.services import create_task
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.timeutil import to_local, utcnow
from portal.urls import path_for

MAX_WEEKS = 26  # a weekly series is booked half a year ahead at most


def detail_path(meeting_id: int) -> str:
    return path_for("meetings.detail", meeting_id=meeting_id)


def can_see(meeting: Meeting, user: User) -> bool:
    """Need to know: organiser, attendees, minute-taker, the office."""
    return takes_part(meeting, user) or user.has_role("office")


def takes_part(meeting: Meeting, user: User) -> bool:
    return (user.id in (meeting.organiser_id, meeting.minute_taker_id)
            or meeting.attendee(user) is not None)


def can_change(meeting: Meeting, user: User) -> bool:
    return meeting.organiser_id == user.id or user.has_role("office")


def can_write_minutes(meeting: Meeting, user: User) -> bool:
    return user.id in (meeting.organiser_id, meeting.minute_taker_id) or user.has_role("office")


def _when(meeting: Meeting, user: User) -> str:
    with force_locale(user.language or "zh_CN"):
        return format_datetime(to_local(meeting.starts_at), "yyyy-MM-dd HH:mm")


def tell(user: User | None, title: str, meeting: Meeting, body: str = "", **params) -> None:
    if user is not None and user.active:
        notify(user, title, body, link=detail_path(meeting.id), number=meeting.number,
               subject=meeting.title, when=_when(meeting, user), room=meeting.room.name, **params)


def everyone(meeting: Meeting) -> list[User]:
    """Who hears about the meeting: organiser, minute-taker, attendees (each once)."""
    people = {meeting.organiser_id: meeting.organiser}
    if meeting.minute_taker is not None:
        people[meeting.minute_taker_id] = meeting.minute_taker
    for attendee in meeting.attendees:
        people.setdefault(attendee.user_id, attendee.user)
    return list(people.values())


def _guests(meeting: Meeting) -> list[User]:
    return [p for p in everyone(meeting) if p.id != meeting.organiser_id]


@dataclass
class Plan:
    """What a booking form asks for."""

    room: Room
    title: str
    starts_at: datetime
    ends_at: datetime
    agenda: str = ""
    people: list[User] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    minute_taker: User | None = None
    weeks: int = 1  # 1: once; n: the same time n weeks running


@dataclass
class Booked:
    meetings: list[Meeting]
    skipped: list[tuple[date, str]]  # (day, why): holidays and days the room was taken


def _attendees(plan: Plan, organiser: User) -> list[User]:
    """The people named and the active members of the departments invited, each once; the
    organiser is the organiser, not an attendee."""
    people = {p.id: p for p in plan.people}
    for department in plan.departments:
        for member in department.members:
            if member.active:
                people.setdefault(member.id, member)
    people.pop(organiser.id, None)
    return list(people.values())


def book(organiser: User, plan: Plan) -> Booked:
    """Book the room and invite: once, or weekly, skipping the company's days off (said so)."""
    if not plan.room.bookable_by(organiser):
        raise Refused(_l("Your department cannot book this room."))
    booking.check_times(plan.starts_at, plan.ends_at)
    if not 1 <= plan.weeks <= MAX_WEEKS:
        raise Refused(_l("A weekly series runs 1 to %(weeks)d weeks.", weeks=MAX_WEEKS))
    booking.lock_room(plan.room)
    guests = _attendees(plan, organiser)
    status = PENDING if plan.room.needs_approval and not organiser.has_role("office") else CONFIRMED
    made, skipped = [], []
    for week in range(plan.weeks):
        step = timedelta(weeks=week)
        starts_at, ends_at = plan.starts_at + step, plan.ends_at + step
        day = to_local(starts_at).date()
        if plan.weeks > 1:
            info = company_calendar.day_info(day)
            if not info.working:
                skipped.append((day, info.name or str(_l("not a working day"))))
                continue
        meeting = Meeting(organiser_id=organiser.id, organiser=organiser, title=plan.title.strip(),
                          agenda=plan.agenda.strip(), room_id=plan.room.id, room=plan.room,
                          starts_at=starts_at, ends_at=ends_at, status=status, room_held=True,
                          minute_taker=plan.minute_taker,
                          series_id=made[0].series_id if made else None,
                          departments=list(plan.departments),
                          attendees=[Attendee(user_id=p.id, user=p) for p in guests])
        try:
            booking.hold(meeting)
        except Refused:
            if not made and week == 0:
                raise  # the first (or only) meeting must have its room
            skipped.append((day, str(_l("the room is already booked"))))
            continue
        if plan.weeks > 1 and meeting.series_id is None:
            meeting.series_id = meeting.id
        made.append(meeting)
    if not made:
        raise Refused(_l("No week of this series could be booked."))
    for meeting in made:
        record("meeting.book", meeting.number, actor=organiser, room=plan.room.name,
               starts_at=meeting.starts_at.isoformat())
        if status == CONFIRMED:
            checks.order_check(meeting)
    _announce(made, skipped, organiser)
    return Booked(made, skipped)


def _announce(made: list[Meeting], skipped: list, organiser: User) -> None:
    first = made[0]
    if first.status == PENDING:
        for person in User.with_role("office"):
            tell(person, N_("Room booking %(number)s waits for your approval: %(room)s, %(when)s"),
                  first)
        return
    series = N_("Weekly, %(count)d meetings from %(when)s.") if len(made) > 1 else ""
    for person in _guests(first):
        tell(person, N_("Meeting invitation: %(subject)s, %(when)s, %(room)s"), first,
              series, count=len(made))
    if skipped:
        days = ", ".join(f"{day:%Y-%m-%d} ({why})" for day, why in skipped)
        tell(organiser, N_("Some weeks of %(subject)s were not booked"), first,
              N_("Not booked: %(days)s"), days=days)


def approve(meeting: Meeting, user: User) -> None:
    """The office lets a booking of a room that needs approval go ahead; invitations go out."""
    if meeting.status != PENDING:
        raise Refused(_l("This booking is not waiting for approval."))
    meeting.status = CONFIRMED
    meeting.sequence += 1
    checks.order_check(meeting)
    record("meeting.approve", meeting.number, actor=user)
    tell(meeting.organiser, N_("Your booking %(number)s is approved: %(room)s, %(when)s"),
          meeting)
    for person in _guests(meeting):
        tell(person, N_("Meeting invitation: %(subject)s, %(when)s, %(room)s"), meeting)


def refuse(meeting: Meeting, user: User) -> None:
    if meeting.status != PENDING:
        raise Refused(_l("This booking is not waiting for approval."))
    meeting.status, meeting.room_held = CANCELLED, False
    record("meeting.refuse", meeting.number, actor=user)
    tell(meeting.organiser, N_("Your booking %(number)s was not approved: %(room)s, %(when)s"),
          meeting)


def respond(meeting: Meeting, user: User, answer: str) -> None:
    """An attendee says whether they come; the organiser sees it on the meeting's page."""
    attendee = meeting.attendee(user)
    if attendee is None or meeting.cancelled:
        raise Refused(_l("You are not invited to this meeting."))
    if answer not in (ACCEPTED, DECLINED):
        raise Refused(_l("Say whether you will attend."))
    attendee.response, attendee.responded_at = answer, utcnow()


def reschedule(meeting: Meeting, user: User, room: Room, starts_at: datetime,
               ends_at: datetime) -> None:
    """Move the meeting (time and/or room); everyone is told, the check moves with it."""
    if not can_change(meeting, user) or meeting.cancelled:
        raise Refused(_l("This meeting cannot be changed now."))
    if not room.bookable_by(meeting.organiser):
        raise Refused(_l("Your department cannot book this room."))
    booking.check_times(starts_at, ends_at)
    booking.lock_room(room)
    old_room = meeting.room
    meeting.room_id, meeting.room = room.id, room
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.room_held, meeting.released_at, meeting.checked_in_at = True, None, None
    if room.needs_approval and room.id != old_room.id and not user.has_role("office"):
        meeting.status = PENDING
    booking.hold(meeting)
    meeting.sequence += 1
    checks.move_check(meeting, user, room_changed=room.id != old_room.id)
    record("meeting.reschedule", meeting.number, actor=user, room=room.name,
           starts_at=starts_at.isoformat())
    for person in everyone(meeting):
        if person.id != user.id:
            tell(person, N_("Meeting moved: %(subject)s, now %(when)s, %(room)s"), meeting)


def following(meeting: Meeting) -> list[Meeting]:
    """The later meetings of its weekly series that still take place."""
    if meeting.series_id is None:
        return []
    return list(db.session.scalars(select(Meeting).where(
        Meeting.series_id == meeting.series_id, Meeting.starts_at > meeting.starts_at,
        Meeting.status != CANCELLED).order_by(Meeting.starts_at)))


def cancel(meeting: Meeting, user: User, with_following: bool = False) -> None:
    """Cancel (`with_following`: the rest of its series too): rooms free, checks called off,
    everyone told once."""
    if not can_change(meeting, user) or meeting.cancelled:
        raise Refused(_l("This meeting cannot be changed now."))
    later = following(meeting) if with_following else []
    for each in [meeting, *later]:
        each.status, each.room_held = CANCELLED, False
        each.sequence += 1
        checks.call_off_check(each, user)
        record("meeting.cancel", each.number, actor=user)
    for person in everyone(meeting):
        if person.id == user.id:
            continue
        if later:
            tell(person, N_("Meeting cancelled: %(subject)s, %(when)s and the %(count)d after"),
                 meeting, count=len(later))
        else:
            tell(person, N_("Meeting cancelled: %(subject)s, %(when)s"), meeting)


def check_in(meeting: Meeting, user: User, now: datetime, release_after: int) -> None:
    """Someone of the meeting says it is taking place, so the room is not given back."""
    if meeting.cancelled or not meeting.room_held:
        raise Refused(_l("This booking no longer holds the room."))
    if not (meeting.starts_at - timedelta(minutes=15) <= now
            <= meeting.starts_at + timedelta(minutes=release_after)):
        raise Refused(_l("Check in from 15 minutes before the start until %(minutes)d minutes "
                         "after it.", minutes=release_after))
    if meeting.checked_in_at is None:
        meeting.checked_in_at = now


def record_minutes(meeting: Meeting, user: User, text: str) -> None:
    """The organiser or the minute-taker writes the minutes; the first time, everyone gets them."""
    if not can_write_minutes(meeting, user) or meeting.cancelled:
        raise Refused(_l("Only the organiser or the minute-taker writes the minutes."))
    if not text.strip():
        raise Refused(_l("Write the minutes first."))
    first = meeting.minutes_at is None
    meeting.minutes, meeting.minutes_at = text.strip(), utcnow()
    if first:
        for person in everyone(meeting):
            if person.id != user.id:
                tell(person, N_("Minutes of %(subject)s are ready"), meeting)


def add_action(meeting: Meeting, user: User, title: str, owner: User, due_at: datetime,
               acceptance: str):
    """An action item of the minutes: a task for `owner`, linked to the meeting."""
    if not can_write_minutes(meeting, user) or meeting.cancelled:
        raise Refused(_l("Only the organiser or the minute-taker writes the minutes."))
    return create_task(user, title, acceptance, due_at, owner=owner,
                       details=f"{meeting.number} {meeting.title}",
                       source_kind=ACTION_SOURCE, source_id=meeting.id)
