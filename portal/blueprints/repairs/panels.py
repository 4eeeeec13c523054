"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

from portal.blueprints.repairs import queries
from portal.timeutil import utcnow


def my_open_requests(user) -> dict | None:
    """Everyone: their own open requests (hidden when there are none)."""
    rows = queries.my_requests(user, open_only=True, limit=5)
    return {"rows": rows, "now": utcnow()} if rows else None


def facilities_counts(user) -> dict:
    """Facilities: how many requests are open and how many are overdue."""
    open_count, overdue = queries.open_and_overdue_counts(utcnow())
    return {"open": open_count, "overdue": overdue}


PANELS: list = [
    ({"facilities"}, "repairs/_panel_facilities.html", facilities_counts),
    (None, "repairs/_panel_mine.html", my_open_requests),
]
