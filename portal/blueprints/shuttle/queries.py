"""Reading the network: which version is in effect, service days, next departures, find-my-route.

Service days: a route's exception for the day decides; otherwise the company calendar's special
days (a public holiday or company day off: no bus; a make-up working day: the bus runs); otherwise
the version's weekdays.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Date, bindparam, exists, func, or_, select

from portal import settings as portal_settings
from portal import sql
from portal.blueprints.calendar import queries as calendar
from portal.blueprints.shuttle.models import (
    IS_PUBLISHED,
    LATE,
    District,
    Follow,
    Home,
    LateBooking,
    Route,
    RouteException,
    ShuttleSettings,
    Stop,
    StopTime,
    Version,
)
from portal.extensions import db
from portal.modules import USER_ID
from portal.timeutil import local_at


def settings() -> ShuttleSettings:
    return portal_settings.read_settings(ShuttleSettings)


def districts() -> list[District]:
    return list(db.session.scalars(select(District).order_by(District.position, District.name)))


def stops() -> list[Stop]:
    return list(db.session.scalars(select(Stop).order_by(Stop.name)))


def routes() -> list[Route]:
    return list(db.session.scalars(select(Route).order_by(Route.position, Route.name)))


def _latest(day: date, route_ids=None):
    """Subquery: (route_id, number) of each route's version in effect on `day`."""
    latest = (select(Version.route_id, func.max(Version.number).label("number"))
              .where(IS_PUBLISHED, Version.effective_from <= day)
              .group_by(Version.route_id))
    if route_ids is not None:
        latest = latest.where(Version.route_id.in_(route_ids))
    return latest.subquery()


def in_effect(day: date, route_ids=None, *options) -> dict[int, Version]:
    """Each route's version in effect on `day`: the latest published one already effective
    (`route_ids`: a list or a subquery; `options`: loader options, what the caller shows)."""
    latest = _latest(day, route_ids)
    rows = db.session.scalars(select(Version).join(
        latest, (Version.route_id == latest.c.route_id) & (Version.number == latest.c.number))
        .options(*options))
    return {version.route_id: version for version in rows}


@dataclass(frozen=True)
class Served:
    """A stop of a route's version in effect, as plain values (a whole network loads fast)."""

    route_id: int
    seats: int
    position: int
    time: str
    stop_id: int
    stop_name: str
    district_id: int


def network_on(day: date) -> list[Served]:
    """Every stop of every route in effect on `day`, in route order: one query, no objects."""
    latest = _latest(day)
    rows = db.session.execute(
        select(Version.route_id, Version.seats, StopTime.position, StopTime.time, Stop.id,
               Stop.name, Stop.district_id)
        .join(latest, (Version.route_id == latest.c.route_id)
              & (Version.number == latest.c.number))
        .join(StopTime, StopTime.version_id == Version.id).join(Stop)
        .order_by(Version.route_id, StopTime.position))
    return [Served(*row) for row in rows]


@dataclass(frozen=True)
class TimetableStop:
    """A stop of a timetable as plain values (what the timetable table shows)."""

    time: str
    stop_id: int
    stop_name: str
    stop_note: str


@dataclass
class RouteToday:
    """A route in effect today with its stops in order, and whether I follow it."""

    id: int
    name: str
    direction: str
    followed: bool
    times: list[TimetableStop] = field(default_factory=list)


@dataclass(frozen=True)
class Timetables:
    """The timetables page: the routes in effect, whether I have set a home, and my stop."""

    routes: list[RouteToday]
    has_home: bool
    my_stop: int | None


_MY_STOP = select(Home.stop_id).where(Home.user_id == USER_ID)
_HAS_HOME = exists().where(Home.user_id == USER_ID)


@cache
def _timetables_statement():
    """Every stop of every route in effect on `day`, in route order, whether I follow the route,
    and (on every row) whether I have a home and my stop: plain values, built once."""
    day = bindparam("day", type_=Date)
    latest = (select(Version.route_id, func.max(Version.number).label("number"))
              .where(IS_PUBLISHED, Version.effective_from <= day)
              .group_by(Version.route_id).subquery())
    return (select(Route.id, Route.name, Route.direction, Follow.user_id, StopTime.time,
                   Stop.id, Stop.name, Stop.note, _HAS_HOME, _MY_STOP.scalar_subquery())
            .join(latest, Route.id == latest.c.route_id)
            .join(Version, (Version.route_id == latest.c.route_id)
                  & (Version.number == latest.c.number))
            .join(StopTime, StopTime.version_id == Version.id)
            .join(Stop, Stop.id == StopTime.stop_id)
            .outerjoin(Follow, (Follow.route_id == Route.id) & (Follow.user_id == USER_ID))
            .order_by(Route.position, Route.name, StopTime.position))


def timetable_rows(user_id: int, day: date) -> tuple[tuple, tuple | None]:
    """What the timetables page shows on `day`, as plain rows (the key of its kept content):
    every stop of every route in effect, in the list's order, with whether I follow the route,
    and on every row whether I have a home and my stop. One query; when no route is in
    effect, a second reads my home alone: (rows, (my stop,) or None without a home)."""
    rows = tuple(sql.rows(_timetables_statement(), {USER_ID.key: user_id, "day": day}))
    if rows:
        return rows, None
    home = sql.first(_MY_STOP, {USER_ID.key: user_id})
    return rows, None if home is None else tuple(home)


def timetables(rows: tuple, home: tuple | None) -> Timetables:
    """The timetables page from `timetable_rows`."""
    if not rows:
        return Timetables([], home is not None, home[0] if home else None)
    routes: dict[int, RouteToday] = {}
    for route_id, name, direction, follower, time, stop_id, stop_name, note, *_home in rows:
        route = routes.get(route_id)
        if route is None:
            route = routes[route_id] = RouteToday(route_id, name, direction, follower is not None)
        route.times.append(TimetableStop(time, stop_id, stop_name, note))
    has_home, my_stop = rows[0][-2:]
    return Timetables(list(routes.values()), bool(has_home), my_stop)


def version_on(route: Route, day: date) -> Version | None:
    return in_effect(day, [route.id]).get(route.id)


def upcoming(route: Route, day: date) -> Version | None:
    """The next published version that takes effect after `day`, if one is announced."""
    return db.session.scalar(
        select(Version).where(Version.route_id == route.id, IS_PUBLISHED,
                              Version.effective_from > day)
        .order_by(Version.effective_from, Version.number.desc()).limit(1))


def published_versions(route: Route) -> list[Version]:
    return list(db.session.scalars(
        select(Version).where(Version.route_id == route.id, IS_PUBLISHED)
        .order_by(Version.number.desc())))


def draft_of(route: Route) -> Version | None:
    return db.session.scalar(select(Version).where(Version.route_id == route.id,
                                                   ~IS_PUBLISHED))


@dataclass(frozen=True)
class ServiceDay:
    day: date
    runs: bool
    why: str  # the exception's note or the calendar's name ("" for an ordinary day)


def service_days(route: Route, first: date, last: date,
                 versions: list[Version] | None = None) -> list[ServiceDay]:
    """Whether `route` runs on each day from `first` to `last`, and why not when it does not."""
    exceptions = {e.day: e for e in db.session.scalars(
        select(RouteException).where(RouteException.route_id == route.id,
                                     RouteException.day.between(first, last)))}
    if versions is None:
        versions = _versions_between(route, first, last)
    days = []
    for info in calendar.days_between(first, last):
        version = _effective(versions, info.day)
        exception = exceptions.get(info.day)
        if version is None:
            days.append(ServiceDay(info.day, False, ""))
        elif exception is not None:
            days.append(ServiceDay(info.day, exception.runs, exception.note))
        elif info.kind is not None:  # the calendar's special day: holiday, make-up, closed
            days.append(ServiceDay(info.day, info.working, info.name))
        else:
            days.append(ServiceDay(info.day, version.runs_on_weekday(info.day), ""))
    return days


def _versions_between(route: Route, first: date, last: date) -> list[Version]:
    """Published versions that can be in effect between the two days, latest number first:
    the one in effect on `first` and any taking effect after it, up to `last`."""
    rows = db.session.scalars(
        select(Version).where(Version.route_id == route.id, IS_PUBLISHED,
                              Version.effective_from <= last)
        .order_by(Version.number.desc()))
    versions = []
    for version in rows:
        versions.append(version)
        if version.effective_from <= first:
            break  # in effect on `first`: older ones can no longer be
    return versions


def _effective(versions: list[Version], day: date) -> Version | None:
    return next((v for v in versions if v.effective_from <= day), None)


@dataclass(frozen=True)
class Departure:
    at: datetime
    time: str
    version: Version


def next_departure(route: Route, stop_id: int, now: datetime, horizon: int = 21
                   ) -> Departure | None:
    """The next time the bus leaves `stop_id`, today included if it has not left yet."""
    today, last = now.date(), now.date() + timedelta(days=horizon)
    versions = _versions_between(route, today, last)
    for service in service_days(route, today, last, versions):
        version = _effective(versions, service.day)
        if not service.runs or version is None:
            continue
        hhmm = version.time_at(stop_id)
        if hhmm is None:
            continue
        at = local_at(service.day, hhmm, now.tzinfo)
        if at > now:
            return Departure(at, hhmm, version)
    return None


def find(query: str, day: date) -> tuple[list[Stop], list[tuple[Route, Version, list]]]:
    """Stops whose name, note or district matches, and the routes that serve them today."""
    words = query.strip()
    if not words:
        return [], []
    like = f"%{words}%"
    matched = list(db.session.scalars(
        select(Stop).join(District).where(or_(
            Stop.name.ilike(like), Stop.note.ilike(like), District.name.ilike(like),
            District.name_en.ilike(like))).order_by(Stop.name).limit(50)))
    if not matched:
        return [], []
    stop_ids = {stop.id for stop in matched}
    route_ids = set(db.session.scalars(
        select(Version.route_id).join(StopTime).where(StopTime.stop_id.in_(stop_ids),
                                                      IS_PUBLISHED)))
    versions = in_effect(day, route_ids)
    by_id = {route.id: route for route in db.session.scalars(
        select(Route).where(Route.id.in_(versions)).order_by(Route.position, Route.name))}
    found = []
    for route_id, route in by_id.items():
        times = [t for t in versions[route_id].times if t.stop_id in stop_ids]
        if times:
            found.append((route, versions[route_id], times))
    return matched, found


def home_of(user) -> Home | None:
    return db.session.get(Home, user.id)


def followed_ids(user) -> set[int]:
    return set(db.session.scalars(select(Follow.route_id).where(Follow.user_id == user.id)))


def late_routes() -> list[Route]:
    return list(db.session.scalars(
        select(Route).where(Route.direction == LATE).order_by(Route.position, Route.name)))


def booked(route_ids, day: date) -> dict[int, int]:
    """Seats taken per late run on `day`."""
    rows = db.session.execute(
        select(LateBooking.route_id, func.count()).where(LateBooking.route_id.in_(route_ids),
                                                         LateBooking.day == day)
        .group_by(LateBooking.route_id))
    return dict(rows.all())


def booking_of(user, day: date) -> LateBooking | None:
    return db.session.scalar(select(LateBooking).where(LateBooking.user_id == user.id,
                                                       LateBooking.day == day))


def passengers(route: Route, day: date) -> list[LateBooking]:
    """Tonight's list for the driver, in the order the bus reaches the stops."""
    rows = list(db.session.scalars(select(LateBooking).where(
        LateBooking.route_id == route.id, LateBooking.day == day)))
    version = version_on(route, day)
    order = {t.stop_id: t.position for t in version.times} if version else {}
    return sorted(rows, key=lambda b: (order.get(b.stop_id, 999), b.user.name))
