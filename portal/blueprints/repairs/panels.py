"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

from datetime import timedelta

from portal.blueprints.repairs import calendars, queries
from portal.timeutil import utcnow


def my_open_requests(user) -> dict | None:
    """Everyone: their own open requests (hidden when there are none)."""
    rows = queries.my_requests(user, open_only=True, limit=5)
    return {"rows": rows, "now": utcnow()} if rows else None


def facilities_counts(user) -> dict:
    """Facilities: how many requests are open and how many are overdue."""
    open_count, overdue = queries.open_and_overdue_counts(utcnow())
    return {"open": open_count, "overdue": overdue}


def rota_gaps(user) -> dict | None:
    """Facilities: a warning when hours of the next 14 days have nobody on duty."""
    now = utcnow()
    gaps = calendars.uncovered(now, now + timedelta(days=calendars.ROTA_DAYS))
    if not gaps:
        return None
    return {"count": len(gaps), "first": gaps[0][0], "days": calendars.ROTA_DAYS}


PANELS: list = [
    ({"facilities"}, "repairs/_panel_rota.html", rota_gaps),
    ({"facilities"}, "repairs/_panel_facilities.html", facilities_counts),
    (None, "repairs/_panel_mine.html", my_open_requests),
]
