"""Home panels: reception sees today's visits and who has not arrived yet; a host their visits
this week."""

from datetime import timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import joinedload, lazyload

from portal.blueprints.accounts.models import User
from portal.blueprints.visitors.models import CANCELLED, EXPECTED, Visit
from portal.blueprints.visitors.queries import day_start
from portal.extensions import db
from portal.modules import Panel
from portal.timeutil import local_today, monday_of


def desk_today(user, facts) -> dict | None:
    """Of the front desk's visits (on site today or tomorrow), those arriving today and those
    already checked in, with their hosts' names: one query."""
    today = local_today()
    start, end = day_start(today), day_start(today + timedelta(days=1))
    # A visit lasts at most 14 days: the arrival bound keeps this on the arrival index.
    visits = list(db.session.scalars(
        select(Visit).where(Visit.arrives_at < day_start(today + timedelta(days=2)),
                            Visit.departs_at >= start,
                            Visit.arrives_at >= start - timedelta(days=15),
                            Visit.status != CANCELLED,
                            or_(and_(Visit.arrives_at >= start, Visit.arrives_at < end),
                                Visit.status != EXPECTED))
        .options(joinedload(Visit.host).options(lazyload(User.role_rows)))
        .order_by(Visit.arrives_at)))
    if not visits:
        return None
    return {"visits": visits, "waiting": [v for v in visits if v.status == EXPECTED]}


def _this_week(user):
    monday = monday_of(local_today())
    since, until = day_start(monday), day_start(monday + timedelta(days=7))
    # A visit lasts at most 14 days: the arrival bound keeps this on the (host, arrival) index.
    return (Visit.host_id == user.id, Visit.departs_at >= since,
            Visit.arrives_at >= since - timedelta(days=15), Visit.arrives_at < until)


def week_facts(user) -> dict:
    return {"any": exists().where(*_this_week(user))}


def my_week(user, facts) -> dict | None:
    """A host: their visits this week (hidden when there are none)."""
    if not facts["any"]:
        return None
    visits = list(db.session.scalars(
        select(Visit).where(*_this_week(user)).order_by(Visit.arrives_at).limit(100)))
    return {"visits": visits} if visits else None


PANELS = [
    Panel("visitors/_panel_desk.html", desk_today, frozenset({"reception"})),
    Panel("visitors/_panel_mine.html", my_week, facts=week_facts),
]
