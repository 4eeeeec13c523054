"""Home panels: reception sees today's visits and who has not arrived yet; a host their visits
this week."""

from datetime import timedelta

from portal.blueprints.visitors import queries
from portal.blueprints.visitors.models import EXPECTED
from portal.timeutil import local_today, monday_of


def desk_today(user) -> dict | None:
    today = local_today()
    visits = [v for v in queries.front_desk(today)
              if queries.day_start(today) <= v.arrives_at < queries.day_start(
                  today + timedelta(days=1)) or v.status != EXPECTED]
    if not visits:
        return None
    waiting = [v for v in visits if v.status == EXPECTED]
    return {"visits": visits, "waiting": waiting}


def my_week(user) -> dict | None:
    monday = monday_of(local_today())
    visits = queries.my_visits(user, queries.day_start(monday),
                               queries.day_start(monday + timedelta(days=7)))
    return {"visits": visits} if visits else None


PANELS = [
    (frozenset({"reception"}), "visitors/_panel_desk.html", desk_today),
    (None, "visitors/_panel_mine.html", my_week),
]
