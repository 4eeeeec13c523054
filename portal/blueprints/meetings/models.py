"""Rooms and meetings 会议: a room is a place of the repair module's location list with what a
meeting needs to know of it; a meeting holds its room for its time, and the database refuses a
second meeting in the same room at an overlapping time (see services.book and the migration).

Action items and the equipment check are tasks (portal/blueprints/tasks) whose source is the
meeting: source_kind "meeting" or "meeting_check", source_id the meeting's id.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.repairs.models import Location
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

EQUIPMENT = {
    "projector": _l("Projector"),
    "screen": _l("Screen"),
    "video": _l("Video conferencing"),
    "microphones": _l("Microphones"),
    "whiteboard": _l("Whiteboard"),
}

PENDING, CONFIRMED, CANCELLED = "pending", "confirmed", "cancelled"
STATUSES = {
    PENDING: _l("Waiting for the office's approval"),
    CONFIRMED: _l("Booked"),
    CANCELLED: _l("Cancelled"),
}

NO_ANSWER, ACCEPTED, DECLINED = "", "accepted", "declined"
RESPONSES = {NO_ANSWER: _l("No answer yet"), ACCEPTED: _l("Will attend"),
             DECLINED: _l("Will not attend")}

ACTION_SOURCE, CHECK_SOURCE = "meeting", "meeting_check"  # Task.source_kind

# A meeting is at most this long: the day view reads the bookings that start within this much
# before the day, on an index, however many bookings the years have piled up.
LONGEST_HOURS = 12

room_departments = db.Table(
    "meeting_room_departments",
    db.Column("room_id", ForeignKey("meeting_rooms.id", ondelete="CASCADE"), primary_key=True),
    db.Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"),
              primary_key=True),
)

meeting_departments = db.Table(
    "meeting_departments",
    db.Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    db.Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"),
              primary_key=True),
)


class Room(db.Model):
    """A meeting room: one row of the location list, with capacity, equipment and who books it."""

    __tablename__ = "meeting_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("repair_locations.id"), unique=True)
    capacity: Mapped[int] = mapped_column(default=10)
    equipment: Mapped[str] = mapped_column(String(200), default="")  # codes, space separated
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    location: Mapped[Location] = relationship(lazy="joined")
    # Who may book it; none listed: every department.
    departments: Mapped[list[Department]] = relationship(secondary=room_departments,
                                                         order_by=Department.name)

    @property
    def name(self) -> str:
        return self.location.room

    @property
    def equipment_codes(self) -> list[str]:
        return [code for code in self.equipment.split() if code in EQUIPMENT]

    def __str__(self) -> str:
        return str(self.location)

    def bookable_by(self, user: User) -> bool:
        if not self.active:
            return False
        if not self.departments or user.has_role("office"):
            return True
        return user.department_id in {d.id for d in self.departments}


class Meeting(db.Model):
    """One meeting in one room at one time (a weekly series is one row per week)."""

    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_room_starts", "room_id", "starts_at"),
        Index("ix_meetings_held_starts", "room_held", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    agenda: Mapped[str] = mapped_column(Text, default="")
    room_id: Mapped[int] = mapped_column(ForeignKey("meeting_rooms.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default=CONFIRMED)
    # Whether the room is kept for the meeting: false once cancelled, refused or released. The
    # no-overlap rule (an exclusion constraint on PostgreSQL) counts only these rows.
    room_held: Mapped[bool] = mapped_column(Boolean, default=True)
    series_id: Mapped[int | None] = mapped_column(index=True)  # the first meeting of the series
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: +1 on every change
    minute_taker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fault_number: Mapped[str] = mapped_column(String(20), default="")  # the check's repair request
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organiser: Mapped[User] = relationship(foreign_keys=[organiser_id])
    minute_taker: Mapped[User | None] = relationship(foreign_keys=[minute_taker_id])
    room: Mapped[Room] = relationship()
    attendees: Mapped[list["Attendee"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendee.id")
    departments: Mapped[list[Department]] = relationship(secondary=meeting_departments,
                                                         order_by=Department.name)

    @property
    def number(self) -> str:
        return f"HY-{self.id:05d}"

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    def attendee(self, user: User) -> "Attendee | None":
        return next((a for a in self.attendees if a.user_id == user.id), None)


class Attendee(db.Model):
    """A person asked to the meeting (named, or as a member of an invited department)."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    response: Mapped[str] = mapped_column(String(10), default=NO_ANSWER)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    user: Mapped[User] = relationship()


class MeetingAlert(db.Model):
    """A reminder already sent for one start time (or one release): never the same one twice."""

    __tablename__ = "meeting_alerts"
    __table_args__ = (UniqueConstraint("meeting_id", "kind", "starts_at",
                                       name="uq_meeting_alert"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # day_before | soon
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MeetingSettings(db.Model):
    """The module's settings, one row (portal/settings.py), edited by the office."""

    __tablename__ = "meeting_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A booking nobody checked in to this many minutes after its start gives the room back.
    release_after_minutes: Mapped[int] = mapped_column(default=15)
