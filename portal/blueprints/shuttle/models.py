"""Shuttle routes: a shared stop list, routes whose timetables are published as kept versions,
followers, home districts, tonight's late-run seats and new-stop requests.

The shape follows transit timetable tools (GTFS, Conveyal Data Tools): a route has versions;
a draft is edited and published as a snapshot that is never changed again, with the date it
takes effect. Vehicle and driver are part of a version, so a diff can say "vehicle changed".
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    literal,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

TO_WORK, HOME, LATE = "to_work", "home", "late"
DIRECTIONS = {
    TO_WORK: _l("To work"),
    HOME: _l("Home after work"),
    LATE: _l("Late run after overtime"),
}
DRAFT, PUBLISHED = "draft", "published"
CORRECTION, SERVICE_CHANGE = "correction", "service_change"
KINDS = {
    CORRECTION: _l("Correction"),
    SERVICE_CHANGE: _l("Service change"),
}
WEEKDAYS = "1234567"  # ISO weekdays: Monday 1 .. Sunday 7


class District(db.Model):
    """An area in the office's list (居住区域): where people live and stops are."""

    __tablename__ = "shuttle_districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(60), default="")
    position: Mapped[int] = mapped_column(default=0)

    def label(self, lang: str = "zh_CN") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name


class Stop(db.Model):
    """A stop in the list shared by every route."""

    __tablename__ = "shuttle_stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("shuttle_districts.id"), index=True)
    note: Mapped[str] = mapped_column(String(120), default="")  # where exactly

    district: Mapped[District] = relationship(lazy="joined")


class Route(db.Model):
    """A route people know by its name; what it does is in its versions."""

    __tablename__ = "shuttle_routes"
    __table_args__ = (CheckConstraint(f"direction IN {tuple(DIRECTIONS)}", name="direction"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    direction: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list["Version"]] = relationship(
        back_populates="route", order_by="Version.id", cascade="all, delete-orphan")
    exceptions: Mapped[list["RouteException"]] = relationship(
        order_by="RouteException.day", cascade="all, delete-orphan")

    @property
    def direction_label(self) -> str:
        return str(DIRECTIONS[self.direction])


class Version(db.Model):
    """A draft (at most one per route) or a published timetable, kept for ever once published."""

    __tablename__ = "shuttle_versions"
    __table_args__ = (
        UniqueConstraint("route_id", "number", name="uq_shuttle_versions_number"),
        # One draft per route, whoever opens the editor first.
        Index("uq_shuttle_versions_one_draft", "route_id", unique=True,
              sqlite_where=text("status = 'draft'"), postgresql_where=text("status = 'draft'")),
        CheckConstraint("seats BETWEEN 1 AND 100", name="seats_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("shuttle_routes.id", ondelete="CASCADE"),
                                          index=True)
    number: Mapped[int | None] = mapped_column()  # 1, 2, … once published
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    kind: Mapped[str] = mapped_column(String(16), default=SERVICE_CHANGE)
    effective_from: Mapped[date | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")  # why on short notice
    weekdays: Mapped[str] = mapped_column(String(7), default="12345")
    plate: Mapped[str] = mapped_column(String(12), default="")
    seats: Mapped[int] = mapped_column(default=45)
    driver_name: Mapped[str] = mapped_column(String(40), default="")
    driver_phone: Mapped[str] = mapped_column(String(20), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    route: Mapped[Route] = relationship(back_populates="versions")
    times: Mapped[list["StopTime"]] = relationship(
        order_by="StopTime.position", cascade="all, delete-orphan", lazy="selectin")

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, ""))

    def runs_on_weekday(self, day: date) -> bool:
        return str(day.isoweekday()) in self.weekdays

    def time_at(self, stop_id: int) -> str | None:
        return next((t.time for t in self.times if t.stop_id == stop_id), None)


# "Published" written into the SQL rather than bound: SQLite plans a statement again at every
# execution when it compares a bound value with `status`, which the one-draft index filters on
# (70 µs of the timetables' 160).
IS_PUBLISHED = Version.status == literal(PUBLISHED, literal_execute=True)


class StopTime(db.Model):
    """A stop of a version, in order, with the time the bus leaves it (local HH:MM)."""

    __tablename__ = "shuttle_stop_times"
    __table_args__ = (
        UniqueConstraint("version_id", "position", name="uq_shuttle_times_position"),
        UniqueConstraint("version_id", "stop_id", name="uq_shuttle_times_stop"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("shuttle_versions.id", ondelete="CASCADE"),
                                            index=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("shuttle_stops.id"), index=True)
    position: Mapped[int] = mapped_column()
    time: Mapped[str] = mapped_column(String(5))

    stop: Mapped[Stop] = relationship(lazy="joined")

    @property
    def stop_name(self) -> str:
        return self.stop.name

    @property
    def stop_note(self) -> str:
        return self.stop.note


class RouteException(db.Model):
    """A day a route runs or does not run whatever its weekdays and the calendar say."""

    __tablename__ = "shuttle_exceptions"
    __table_args__ = (UniqueConstraint("route_id", "day", name="uq_shuttle_exceptions_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("shuttle_routes.id", ondelete="CASCADE"),
                                          index=True)
    day: Mapped[date] = mapped_column()
    runs: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(80), default="")


class Follow(db.Model):
    """A person follows a route: its new versions reach them as a notification."""

    __tablename__ = "shuttle_follows"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("shuttle_routes.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Home(db.Model):
    """A person's home district and preferred stop: never an address (PIPL: the least)."""

    __tablename__ = "shuttle_homes"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("shuttle_districts.id"), index=True)
    stop_id: Mapped[int | None] = mapped_column(ForeignKey("shuttle_stops.id"), index=True)
    month: Mapped[str] = mapped_column(String(7), default="")  # "2026-12": changes counted in
    changes: Mapped[int] = mapped_column(default=0)

    district: Mapped[District] = relationship(lazy="joined")
    stop: Mapped[Stop | None] = relationship(lazy="joined")


class LateBooking(db.Model):
    """A seat on one evening's late run. The seat number is unique per run and day and never
    above the vehicle's seats: the database itself forbids overselling."""

    __tablename__ = "shuttle_late_bookings"
    __table_args__ = (
        UniqueConstraint("route_id", "day", "seat", name="uq_shuttle_late_seat"),
        UniqueConstraint("route_id", "day", "user_id", name="uq_shuttle_late_person"),
        CheckConstraint("seat >= 1", name="seat_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("shuttle_routes.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(index=True)
    seat: Mapped[int] = mapped_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stop_id: Mapped[int] = mapped_column(ForeignKey("shuttle_stops.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="joined")
    stop: Mapped[Stop] = relationship(lazy="joined")
    route: Mapped[Route] = relationship(lazy="joined")


SOLVED, PLANNED, DECLINED = "solved", "planned", "declined"
OUTCOMES = {
    SOLVED: _l("Solved"),
    PLANNED: _l("Planned"),
    DECLINED: _l("Declined"),
}


class StopRequest(db.Model):
    """An employee asks for a new stop: a district and where. Answered with an outcome."""

    __tablename__ = "shuttle_stop_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("shuttle_districts.id"), index=True)
    place: Mapped[str] = mapped_column(String(120))  # where the stop should be
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str | None] = mapped_column(String(10))
    planned_on: Mapped[date | None] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    district: Mapped[District] = relationship(lazy="joined")
    user = relationship("User", foreign_keys=[user_id])

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES[self.outcome]) if self.outcome else ""


class ShuttleSettings(db.Model):
    """The shuttle's settings, one row (portal/settings.py reads and saves it)."""

    __tablename__ = "shuttle_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A service change published fewer days than this before it takes effect needs a reason.
    notice_days: Mapped[int] = mapped_column(default=3)
    late_cutoff: Mapped[str] = mapped_column(String(5), default="17:00")  # local HH:MM
    home_changes_per_month: Mapped[int] = mapped_column(default=2)
