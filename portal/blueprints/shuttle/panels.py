"""Home panel: my stop, my routes and the next departure from my stop (holidays honoured).

Its values are plain (dates, times as text, names), read as columns: home keeps the rendered
panel per distinct values.
"""

from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal_column,
    null,
    select,
    union_all,
)

from portal import sql
from portal.blueprints.calendar.models import WORKED, CompanyDay
from portal.blueprints.shuttle.models import (
    IS_PUBLISHED,
    Follow,
    Home,
    Route,
    RouteException,
    Stop,
    StopTime,
    Version,
)
from portal.modules import USER_ID, Panel
from portal.timeutil import local_at, local_now

SHOWN = 3
HORIZON = 21  # days ahead searched for the next departure, as queries.next_departure


def shuttle_facts() -> dict:
    """My stop (its id and name) and whether I follow any route."""
    mine = Home.user_id == USER_ID
    return {"stop_id": select(Home.stop_id).where(mine).scalar_subquery(),
            "stop_name": select(Stop.name).join(Home, Home.stop_id == Stop.id).where(mine)
            .scalar_subquery(),
            "follows": exists().where(Follow.user_id == USER_ID)}


# The columns of the statement below, each row filling those of its kind (the others NULL).
_COLUMNS = {"route_id": Integer, "number": Integer, "day": Date, "weekdays": String,
            "position": Integer, "stop_id": Integer, "time": String, "name": String,
            "runs": Boolean}


def _part(kind: str, **columns):
    """One SELECT of the union: its kind, then `columns` in _COLUMNS' order, NULL elsewhere."""
    values = [columns.get(name, cast(null(), type_)).label(name)
              for name, type_ in _COLUMNS.items()]
    return select(literal_column(f"'{kind}'", String).label("kind"), *values)


@cache
def _timetables_statement():
    """For each route I follow (the first three) with a version in effect on `first`, as plain
    rows of four kinds: "r" the route (its position and name); "t" a stop of that version or of
    one taking effect up to `last` (number, effective date, weekdays, stop and time); "x" the
    route's exceptions up to `last`; "c" the calendar's days in between (kind as name). Built
    once; one query."""
    first, last = bindparam("first", type_=Date), bindparam("last", type_=Date)
    followed = (select(Follow.route_id).where(Follow.user_id == USER_ID)
                .order_by(Follow.route_id).limit(SHOWN))
    in_effect = (select(Version.route_id, func.max(Version.number).label("number"))
                 .where(IS_PUBLISHED, Version.effective_from <= first,
                        Version.route_id.in_(followed))
                 .group_by(Version.route_id).subquery())
    shown = followed  # a followed route without a version in effect has no "t" rows: dropped
    times = (_part("t", route_id=Version.route_id, number=Version.number,
                   day=Version.effective_from, weekdays=Version.weekdays,
                   position=StopTime.position, stop_id=StopTime.stop_id, time=StopTime.time,
                   name=Stop.name)
             .join(in_effect, (Version.route_id == in_effect.c.route_id)
                   & (Version.number >= in_effect.c.number))
             .join(StopTime, StopTime.version_id == Version.id)
             .join(Stop, Stop.id == StopTime.stop_id)
             .where(IS_PUBLISHED, Version.effective_from <= last))
    routes = (_part("r", route_id=Route.id, position=Route.position, name=Route.name)
              .where(Route.id.in_(shown)))
    exceptions = (_part("x", route_id=RouteException.route_id, day=RouteException.day,
                        runs=RouteException.runs)
                  .where(RouteException.route_id.in_(shown),
                         RouteException.day.between(first, last)))
    calendar = (_part("c", day=CompanyDay.day, name=CompanyDay.kind)
                .where(CompanyDay.day.between(first, last)))
    return union_all(times, routes, exceptions, calendar)


class _Version(NamedTuple):
    """A version of a route as the panel reasons with it: its stops {stop id: (time, name)}
    in order."""

    number: int
    effective_from: date
    weekdays: str
    stops: dict


class _Route(NamedTuple):
    """A followed route: its place in the list, its versions (latest number first) and
    exceptions {day: runs}."""

    position: int
    name: str
    versions: list
    exceptions: dict


def _timetables(user, first: date, last: date) -> tuple[dict[int, _Route], dict[date, str]]:
    """In one query: {route id: _Route} of the routes I follow, and the calendar's days
    {day: kind} from `first` to `last`."""
    rows = sql.rows(_timetables_statement(), {USER_ID.key: user.id, "first": first, "last": last})
    versions: dict[tuple[int, int], _Version] = {}
    exceptions: dict[int, dict[date, bool]] = {}
    calendar: dict[date, str] = {}
    for row in sorted(rows, key=lambda row: (row.kind != "t", row.position or 0)):
        if row.kind == "t":  # the stops in order: the first is where a route starts
            key = (row.route_id, row.number)
            if key not in versions:
                versions[key] = _Version(row.number, row.day, row.weekdays, {})
            versions[key].stops[row.stop_id] = (row.time, row.name)
        elif row.kind == "x":
            exceptions.setdefault(row.route_id, {})[row.day] = row.runs
        elif row.kind == "c":
            calendar[row.day] = row.name
    routes = {row.route_id: _Route(row.position, row.name, [], exceptions.get(row.route_id, {}))
              for row in rows if row.kind == "r"}
    for (route_id, _number), version in sorted(versions.items(), key=lambda kept: -kept[0][1]):
        routes[route_id].versions.append(version)
    return {route_id: route for route_id, route in routes.items() if route.versions}, calendar


def _runs(version: _Version, runs: bool | None, kind: str | None, day: date) -> bool:
    """The route's exception decides; else the calendar's special day; else the weekdays."""
    if runs is not None:
        return runs
    if kind is not None:
        return kind in WORKED
    return str(day.isoweekday()) in version.weekdays


def _next_departure(route: _Route, stop_id: int, calendar: dict, now) -> tuple[date, str] | None:
    """The day and time the bus next leaves `stop_id` within HORIZON days, today included."""
    for offset in range(HORIZON + 1):
        day = now.date() + timedelta(days=offset)
        version = next((v for v in route.versions if v.effective_from <= day), None)
        if version is None or not _runs(version, route.exceptions.get(day), calendar.get(day),
                                        day):
            continue
        hhmm, _name = version.stops.get(stop_id, (None, None))
        if hhmm is not None and local_at(day, hhmm, now.tzinfo) > now:
            return day, hhmm
    return None


class ShuttleRow(NamedTuple):
    """A line of the panel: the route, the stop and the next departure (None: none in three
    weeks)."""

    route_id: int
    route_name: str
    stop_name: str
    day: date | None
    time: str | None


def my_shuttle(user, facts) -> dict:
    """The routes I follow (up to three) with their next departure from my stop."""
    now = local_now()
    today = now.date()
    routes, calendar = (_timetables(user, today, today + timedelta(days=HORIZON))
                        if facts["follows"] else ({}, {}))
    rows = []
    for route_id, route in sorted(routes.items(), key=lambda kept: kept[1][:2]):
        current = route.versions[-1]  # the one in effect today: the lowest number kept
        home = facts["stop_id"]
        stop_id = home if home and home in current.stops else next(iter(current.stops))
        day, hhmm = _next_departure(route, stop_id, calendar, now) or (None, None)
        rows.append(ShuttleRow(route_id, route.name, current.stops[stop_id][1], day, hhmm))
    return {"home_stop": facts["stop_name"], "rows": rows, "today": today}


PANELS: list = [Panel("shuttle/_panel.html", my_shuttle, facts=shuttle_facts)]
