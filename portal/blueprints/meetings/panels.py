"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

from datetime import timedelta

from portal.blueprints.meetings import queries
from portal.timeutil import utcnow


def my_meetings(user) -> dict | None:
    """Everyone: my next meetings (hidden when there are none)."""
    rows = queries.my_meetings(user, utcnow() - timedelta(hours=1), limit=5)
    return {"rows": rows} if rows else None


def equipment_checks(user) -> dict | None:
    """Facilities: the coming equipment checks, beside their repair panels."""
    rows = queries.upcoming_checks(utcnow(), limit=5)
    return {"rows": rows} if rows else None


PANELS: list = [
    ({"facilities"}, "meetings/_panel_checks.html", equipment_checks),
    (None, "meetings/_panel_mine.html", my_meetings),
]
