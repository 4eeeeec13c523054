"""Home panel: my stop, my routes and the next departure from my stop (holidays honoured)."""

from datetime import timedelta
from functools import cache

from sqlalchemy import Date, and_, bindparam, exists, func, select
from sqlalchemy.orm import joinedload

from portal.blueprints.calendar.models import CompanyDay
from portal.blueprints.shuttle.models import (
    PUBLISHED,
    Follow,
    Home,
    Route,
    RouteException,
    Stop,
    StopTime,
    Version,
)
from portal.blueprints.shuttle.queries import Departure
from portal.extensions import db
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


@cache
def _timetables_statement():
    """For each route I follow (the first three) with a version in effect on `first`, that
    version and those taking effect up to `last`, with their times, route and the route's
    exceptions up to `last`; beside them, the calendar's days in between. Built once."""
    first, last = bindparam("first", type_=Date), bindparam("last", type_=Date)
    followed = (select(Follow.route_id).where(Follow.user_id == USER_ID)
                .order_by(Follow.route_id).limit(SHOWN))
    in_effect = (select(Version.route_id, func.max(Version.number).label("number"))
                 .where(Version.status == PUBLISHED, Version.effective_from <= first,
                        Version.route_id.in_(followed))
                 .group_by(Version.route_id).subquery())
    return (select(Version, CompanyDay)
            .join(in_effect, and_(Version.route_id == in_effect.c.route_id,
                                  Version.number >= in_effect.c.number))
            .outerjoin(CompanyDay, CompanyDay.day.between(first, last))
            .where(Version.status == PUBLISHED, Version.effective_from <= last)
            .options(joinedload(Version.times).joinedload(StopTime.stop).lazyload(Stop.district),
                     joinedload(Version.route).joinedload(
                Route.exceptions.and_(RouteException.day.between(first, last)))))


def _timetables(user, first, last) -> tuple[dict[int, list[Version]], dict]:
    """In one query: {route id: its versions from `first` to `last`, latest number first} of
    the routes I follow, and the calendar's days in between."""
    rows = db.session.execute(_timetables_statement(),
                              {USER_ID.key: user.id, "first": first, "last": last}).unique().all()
    versions: dict[int, set] = {}
    for version, _day in rows:
        versions.setdefault(version.route_id, set()).add(version)
    calendar = {row.day: row for _version, row in rows if row is not None}
    latest_first = {route_id: sorted(kept, key=lambda v: -v.number)
                    for route_id, kept in versions.items()}
    return latest_first, calendar


def _runs(version: Version, exception: RouteException | None, company_day, day) -> bool:
    """The route's exception decides; else the calendar's special day; else the weekdays."""
    if exception is not None:
        return exception.runs
    if company_day is not None:
        return company_day.working
    return version.runs_on_weekday(day)


def _next_departure(versions: list[Version], stop_id: int, calendar: dict, now):
    """The next time the bus leaves `stop_id` within HORIZON days, today included."""
    exceptions = {e.day: e for e in versions[0].route.exceptions}
    for offset in range(HORIZON + 1):
        day = now.date() + timedelta(days=offset)
        version = next((v for v in versions if v.effective_from <= day), None)
        if version is None or not _runs(version, exceptions.get(day), calendar.get(day), day):
            continue
        hhmm = version.time_at(stop_id)
        if hhmm is not None and (at := local_at(day, hhmm, now.tzinfo)) > now:
            return Departure(at, hhmm, version)
    return None


def my_shuttle(user, facts) -> dict:
    """The routes I follow (up to three) with their next departure from my stop."""
    now = local_now()
    today = now.date()
    timetables, calendar = (_timetables(user, today, today + timedelta(days=HORIZON))
                            if facts["follows"] else ({}, {}))
    rows = []
    for versions in timetables.values():
        current = versions[-1]  # the one in effect today: the lowest number kept
        home = facts["stop_id"]
        stop_id = home if home and current.time_at(home) else current.times[0].stop_id
        stop = next(t.stop for t in current.times if t.stop_id == stop_id)
        rows.append({"route": current.route, "stop": stop,
                     "departure": _next_departure(versions, stop_id, calendar, now)})
    rows.sort(key=lambda row: (row["route"].position, row["route"].name))
    return {"home_stop": facts["stop_name"], "rows": rows, "today": today}


PANELS: list = [Panel("shuttle/_panel.html", my_shuttle, facts=shuttle_facts)]
