"""Repair requests 报修: places, assets, requests with their photos and timeline, the rota.

Models hold columns, relationships and small query helpers; writes with several steps live in
services.py, reads for pages in queries.py, working-hours arithmetic in calendars.py.
"""

from datetime import date, datetime
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from portal.blueprints.accounts.models import User
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

CATEGORIES = {
    "lab": _l("Lab equipment"),
    "aircon": _l("Air conditioning"),
    "lighting": _l("Lighting"),
    "office": _l("Office equipment"),
    "it": _l("Network / IT"),
    "plumbing": _l("Plumbing"),
    "furniture": _l("Furniture"),
    "other": _l("Other"),
}
LAB = "lab"  # the 24-hour channel: 24/7 calendar, sent to the technician on duty at once

URGENCIES = {"low": _l("Low"), "normal": _l("Normal"), "urgent": _l("Urgent")}

# The two calendars targets are counted in (calendars.channel() says which a category uses).
CHANNELS = {
    "office": _l("Ordinary requests (office hours)"),
    "lab": _l("Lab equipment (24 hours a day)"),
}

SUBMITTED, ACCEPTED, IN_PROGRESS = "submitted", "accepted", "in_progress"
RESOLVED, CONFIRMED, REOPENED = "resolved", "confirmed", "reopened"
STATUSES = {
    SUBMITTED: _l("Submitted"),
    ACCEPTED: _l("Accepted"),
    IN_PROGRESS: _l("In progress"),
    RESOLVED: _l("Resolved"),
    CONFIRMED: _l("Confirmed"),
    REOPENED: _l("Reopened"),
}
OPEN_STATUSES = (SUBMITTED, ACCEPTED, IN_PROGRESS, RESOLVED, REOPENED)
# Waiting for facilities to respond (response target) or to fix (resolution target).
WAITING_RESPONSE = (SUBMITTED,)
WAITING_FIX = (ACCEPTED, IN_PROGRESS, REOPENED)

EVENTS = {
    "submitted": _l("Submitted"),
    "accepted": _l("Accepted"),
    "assigned": _l("Assigned"),
    "started": _l("Work started"),
    "resolved": _l("Resolved"),
    "confirmed": _l("Confirmed"),
    "auto_confirmed": _l("Confirmed automatically"),
    "reopened": _l("Reopened"),
    "rated": _l("Rated"),
    "on_call": _l("Sent to the technician on duty"),  # before rota_assigned existed
    "rota_assigned": _l("Assigned by the on-call rota"),
    "no_one_on_duty": _l("Nobody on the rota: sent to facilities"),
    "reminded": _l("Reminder sent"),
    "escalated": _l("Escalated to the facilities lead"),
}

# The rating scale in words, so the good end is plain (1 很差 … 5 很好).
RATINGS = {1: _l("Very poor"), 2: _l("Poor"), 3: _l("Fair"), 4: _l("Good"), 5: _l("Very good")}

# Everything a template needs to label a request, as one namespaced template global.
LABELS = SimpleNamespace(categories=CATEGORIES, urgencies=URGENCIES, statuses=STATUSES,
                         events=EVENTS, ratings=RATINGS)


class Location(db.Model):
    __tablename__ = "repair_locations"
    __table_args__ = (UniqueConstraint("building", "floor", "room"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building: Mapped[str] = mapped_column(String(60))
    floor: Mapped[str] = mapped_column(String(20))
    room: Mapped[str] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.label(self.building, self.floor, self.room)

    @staticmethod
    def label(building: str, floor: str, room: str) -> str:
        """How a room is named on pages (also from columns read without the object)."""
        return f"{building} · {floor} · {room}"


class Asset(db.Model):
    __tablename__ = "repair_assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # the asset tag on the device
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20), default="other")
    location_id: Mapped[int] = mapped_column(ForeignKey("repair_locations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    location: Mapped[Location] = relationship()

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class RepairRequest(db.Model):
    __tablename__ = "repair_requests"
    # The monthly figures read summaries (RepairDayFigures, RepairFigureTime) that every flush
    # changing the columns marked active_history keeps current (figures_summary.py): their old
    # values are loaded before a change, so the old contribution can be taken back.
    __table_args__ = (
        Index("ix_repair_requests_status_created", "status", "created_at"),
        Index("ix_repair_requests_requester_status", "requester_id", "status"),
        # The monthly figures read a month of requests by when they were opened, closed or
        # resolved: these cover what they count and time, so 100,000 rows cost what 1,000 do.
        Index("ix_repair_requests_figures_opened", "created_at", "category", "accepted_at"),
        Index("ix_repair_requests_figures_closed", "closed_at", "category"),
        Index("ix_repair_requests_figures_resolved", "resolved_at", "category", "created_at",
              "resolution_due", "accepted_at", "response_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # BX-2026-000123
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The requester's department when filed: its head may see the request.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    category: Mapped[str] = mapped_column(String(20), active_history=True)
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    location_id: Mapped[int] = mapped_column(ForeignKey("repair_locations.id"), index=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("repair_assets.id"))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=SUBMITTED)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True,
                                                 active_history=True)
    # Targets, computed once from the calendar when filed (resolution again on reopen).
    response_due: Mapped[datetime] = mapped_column(UTCDateTime, active_history=True)
    resolution_due: Mapped[datetime] = mapped_column(UTCDateTime, active_history=True)
    # The target that matters now (response, then resolution; none once resolved): one indexed
    # column, so "overdue" and "soonest first" stay cheap however many requests there are.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True,
                                                         active_history=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True,
                                                       active_history=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None] = mapped_column()
    rating_comment: Mapped[str] = mapped_column(Text, default="")

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    location: Mapped[Location] = relationship()
    asset: Mapped[Asset | None] = relationship()
    photos: Mapped[list["RepairPhoto"]] = relationship(
        back_populates="request", order_by="RepairPhoto.id", cascade="all, delete-orphan"
    )
    events: Mapped[list["RepairEvent"]] = relationship(
        back_populates="request", order_by="RepairEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_lab(self) -> bool:
        return self.category == LAB

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.due_at < now


class RepairPhoto(db.Model):
    """A checked, re-encoded photo, kept in the database so every app server can serve it."""

    __tablename__ = "repair_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("repair_requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="report")  # report | fix
    mimetype: Mapped[str] = mapped_column(String(30), default="image/jpeg")
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[RepairRequest] = relationship(back_populates="photos")


class RepairEvent(db.Model):
    """One line of a request's timeline: who did what, when, with an optional note."""

    __tablename__ = "repair_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("repair_requests.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request: Mapped[RepairRequest] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class RepairAlert(db.Model):
    """A reminder or escalation already sent: one per (request, kind, target time), never two."""

    __tablename__ = "repair_alerts"
    __table_args__ = (UniqueConstraint("request_id", "kind", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("repair_requests.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))  # remind_response, escalate_resolution, ...
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RepairCounter(db.Model):
    """The last number given out per year (BX-<year>-<n>), shared by every app server."""

    __tablename__ = "repair_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class OnCallShift(db.Model):
    """Who is on duty from when to when (the rota facilities keep)."""

    __tablename__ = "repair_on_call"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    user: Mapped[User] = relationship()


class RepairTarget(db.Model):
    """Response and resolution targets of one channel and urgency, in minutes.

    Facilities edit them on the settings page; a missing row falls back to calendars.TARGETS.
    A request stores its due times when filed, so a change here only affects later requests.
    """

    __tablename__ = "repair_targets"

    channel: Mapped[str] = mapped_column(String(10), primary_key=True)  # office | lab
    urgency: Mapped[str] = mapped_column(String(10), primary_key=True)
    response_minutes: Mapped[int] = mapped_column()
    resolution_minutes: Mapped[int] = mapped_column()


class RepairSettings(db.Model):
    """The module's few settings, one row, edited by facilities on the settings page."""

    __tablename__ = "repair_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    auto_confirm_days: Mapped[int] = mapped_column(default=7)
    remind_before_minutes: Mapped[int] = mapped_column(default=60)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    lead: Mapped[User | None] = relationship()


class RepairDayFigures(db.Model):
    """What the monthly figures count, per local day and category, kept current with requests.

    opened and responded (answered, with a response time) count by the day a request was filed;
    closed by the day it was closed; resolved and within (resolved within both targets) by the
    day it was resolved. A month is the sum of its days' rows: at most 31 x 8 of them.
    """

    __tablename__ = "repair_day_figures"

    day: Mapped[date] = mapped_column(Date, primary_key=True)  # in the portal's time zone
    category: Mapped[str] = mapped_column(String(20), primary_key=True)
    opened: Mapped[int] = mapped_column(default=0)
    responded: Mapped[int] = mapped_column(default=0)
    closed: Mapped[int] = mapped_column(default=0)
    resolved: Mapped[int] = mapped_column(default=0)
    within: Mapped[int] = mapped_column(default=0)


class RepairFigureTime(db.Model):
    """A request's response or resolution time, filed under the local month the figures count
    it in, so a month's median is read off an index (medians do not add up from days)."""

    __tablename__ = "repair_figure_times"
    __table_args__ = (
        Index("ix_repair_figure_times_month", "kind", "month", "category", "minutes"),
        Index("ix_repair_figure_times_month_all", "kind", "month", "minutes"),
    )

    request_id: Mapped[int] = mapped_column(
        ForeignKey("repair_requests.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # response | resolution
    month: Mapped[date] = mapped_column(Date)  # the month's first day, in the portal's zone
    category: Mapped[str] = mapped_column(String(20))
    minutes: Mapped[float] = mapped_column(Float)
