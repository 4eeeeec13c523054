"""Home panels of this module: `Panel`s (see portal/modules.py and home/panels.py)."""

from functools import cache

from sqlalchemy import func, select

from portal import sql
from portal.blueprints.tasks.models import ACTIVE, SUBMITTED, Task
from portal.modules import NOW, USER_ID, Panel
from portal.sql import one_of
from portal.timeutil import utcnow

SHOWN = 5


def _count(*conditions):
    return select(func.count()).select_from(Task).where(*conditions).scalar_subquery()


def my_facts() -> dict:
    """Open tasks assigned to me, how many are past due, and how many wait for my acceptance."""
    mine = (Task.owner_id == USER_ID, one_of(Task.status, ACTIVE))
    return {"open": _count(*mine),
            "overdue": _count(*mine, Task.status != SUBMITTED, Task.due_at <= NOW),
            "waiting": _count(Task.assigner_id == USER_ID, Task.status == SUBMITTED)}


@cache
def _rows():
    """My open tasks, soonest due first, as plain rows of what the panel shows (built once)."""
    return (select(Task.id, Task.title, Task.status, Task.due_at,
                   ((Task.status != SUBMITTED) & (Task.due_at <= NOW)).label("overdue"))
            .where(Task.owner_id == USER_ID, one_of(Task.status, ACTIVE))
            .order_by(Task.due_at, Task.id).limit(SHOWN))


def my_tasks(user, facts) -> dict | None:
    """Everyone: what is assigned to them and what waits for their acceptance (hidden when
    there is neither). The list shows titles, states and due times: no people are loaded."""
    if not facts["open"] and not facts["waiting"]:
        return None
    rows = sql.rows(_rows(), {USER_ID.key: user.id, NOW.key: utcnow()}) if facts["open"] else []
    return {"open": facts["open"], "overdue": facts["overdue"], "waiting": facts["waiting"],
            "rows": rows}


PANELS: list = [Panel("tasks/_panel_mine.html", my_tasks, facts=my_facts)]
