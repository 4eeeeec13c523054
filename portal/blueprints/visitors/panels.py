"""Home panels: reception sees today's visits and who has not arrived yet; a host their visits
this week."""

from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import and_, bindparam, exists, or_, select

from portal import sql
from portal.blueprints.accounts.models import User
from portal.blueprints.visitors.models import CANCELLED, EXPECTED, Visit
from portal.blueprints.visitors.queries import day_start
from portal.modules import USER_ID, Panel
from portal.timeutil import local_today, monday_of


@cache
def _desk():
    """Of the front desk's visits (on site today or tomorrow), those arriving today and those
    already checked in, with their hosts' names, by arrival (built once)."""
    start, end, after = (bindparam(f"visitors_{name}") for name in ("start", "end", "after"))
    # A visit lasts at most 14 days: the arrival bound keeps this on the arrival index.
    return (select(Visit.id, Visit.arrives_at, Visit.status, User.name.label("host_name"))
            .join(User, User.id == Visit.host_id)
            .where(Visit.arrives_at < after, Visit.departs_at >= start,
                   Visit.arrives_at >= bindparam("visitors_earliest"), Visit.status != CANCELLED,
                   or_(and_(Visit.arrives_at >= start, Visit.arrives_at < end),
                       Visit.status != EXPECTED))
            .order_by(Visit.arrives_at))


def _number(row) -> str:
    """A visit's number as the visit itself writes it, from a row holding its id."""
    return Visit.number.fget(row)


class WaitingVisit(NamedTuple):
    """A visit the desk still waits for, as plain values."""

    number: str
    arrives_at: datetime
    host_name: str


def desk_today(user, facts) -> dict | None:
    """Reception: how many visits today and those not checked in yet (one query)."""
    today = local_today()
    start = day_start(today)
    visits = sql.rows(_desk(), {
        "visitors_start": start, "visitors_end": day_start(today + timedelta(days=1)),
        "visitors_after": day_start(today + timedelta(days=2)),
        "visitors_earliest": start - timedelta(days=15)})
    if not visits:
        return None
    return {"count": len(visits),
            "waiting": [WaitingVisit(_number(v), v.arrives_at, v.host_name)
                        for v in visits if v.status == EXPECTED]}


def _week() -> dict:
    """This week's bounds, and the earliest arrival of a visit still on site in it."""
    monday = monday_of(local_today())
    since = day_start(monday)
    # A visit lasts at most 14 days: the arrival bound keeps this on the (host, arrival) index.
    return {"visitors_since": since, "visitors_earliest": since - timedelta(days=15),
            "visitors_until": day_start(monday + timedelta(days=7))}


def _hosted(user_id, week):
    return (Visit.host_id == user_id, Visit.departs_at >= week["visitors_since"],
            Visit.arrives_at >= week["visitors_earliest"],
            Visit.arrives_at < week["visitors_until"])


def week_facts() -> dict:
    return {"any": exists().where(*_hosted(USER_ID, {name: bindparam(name) for name in _week()}))}


def week_params(user) -> dict:
    return _week()


@cache
def _hosted_rows():
    """My visits this week, by arrival, as columns (built once)."""
    week = {name: bindparam(name) for name in _week()}
    return (select(Visit.id, Visit.purpose, Visit.arrives_at, Visit.status)
            .where(*_hosted(USER_ID, week)).order_by(Visit.arrives_at).limit(100))


class HostedVisit(NamedTuple):
    """A visit of mine this week, as plain values."""

    id: int
    number: str
    purpose: str
    arrives_at: datetime
    status: str


def my_week(user, facts) -> dict | None:
    """A host: their visits this week (hidden when there are none)."""
    if not facts["any"]:
        return None
    rows = sql.rows(_hosted_rows(), {USER_ID.key: user.id, **_week()})
    visits = [HostedVisit(row.id, _number(row), row.purpose, row.arrives_at, row.status)
              for row in rows]
    return {"visits": visits} if visits else None


PANELS = [
    Panel("visitors/_panel_desk.html", desk_today, frozenset({"reception"})),
    Panel("visitors/_panel_mine.html", my_week, facts=week_facts, params=week_params),
]
