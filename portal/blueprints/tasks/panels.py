"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

from portal.blueprints.tasks import queries
from portal.timeutil import utcnow


def my_tasks(user) -> dict | None:
    """Everyone: what is assigned to them and what waits for their acceptance (hidden when
    there is neither)."""
    now = utcnow()
    count, overdue = queries.my_counts(user, now)
    waiting = queries.waiting_for(user)
    if not count and not waiting:
        return None
    return {"open": count, "overdue": overdue, "waiting": waiting,
            "rows": queries.assigned_to(user, limit=5) if count else [], "now": now}


PANELS: list = [(None, "tasks/_panel_mine.html", my_tasks)]
