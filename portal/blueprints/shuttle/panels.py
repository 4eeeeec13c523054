"""Home panel: my stop, my routes and the next departure from my stop (holidays honoured)."""

from sqlalchemy import select

from portal.blueprints.shuttle import queries
from portal.blueprints.shuttle.models import Route
from portal.extensions import db
from portal.timeutil import local_now

SHOWN = 3


def my_shuttle(user) -> dict:
    """The routes I follow (up to three) with their next departure from my stop."""
    now = local_now()
    home = queries.home_of(user)
    followed = sorted(queries.followed_ids(user))[:SHOWN]
    routes = db.session.scalars(select(Route).where(Route.id.in_(followed))
                                .order_by(Route.position, Route.name))
    versions = queries.in_effect(now.date(), followed)
    rows = []
    for route in routes:
        version = versions.get(route.id)
        if version is None:
            continue
        stop_id = home.stop_id if home and home.stop_id and version.time_at(home.stop_id) \
            else version.times[0].stop_id
        departure = queries.next_departure(route, stop_id, now)
        stop = next(t.stop for t in version.times if t.stop_id == stop_id)
        rows.append({"route": route, "stop": stop, "departure": departure})
    return {"home": home, "rows": rows, "today": now.date()}


PANELS: list = [(None, "shuttle/_panel.html", my_shuttle)]
