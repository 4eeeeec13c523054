"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

from portal.blueprints.tasks import queries
from portal.timeutil import utcnow


def my_tasks(user) -> dict | None:
    """Everyone: what is assigned to them (hidden when nothing is)."""
    now = utcnow()
    count, overdue = queries.my_counts(user, now)
    if not count:
        return None
    return {"open": count, "overdue": overdue, "rows": queries.assigned_to(user, limit=5),
            "now": now}


PANELS: list = [(None, "tasks/_panel_mine.html", my_tasks)]
