"""Home panels of this module: `Panel`s (see portal/modules.py and home/panels.py)."""

from datetime import timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import exists, func, select

from portal import sql
from portal.blueprints.repairs import calendars, queries
from portal.blueprints.repairs.models import LAB, OPEN_STATUSES, Location, RepairRequest
from portal.modules import NOW, USER_ID, Panel
from portal.sql import one_of
from portal.timeutil import utcnow

FACILITIES = frozenset({"facilities"})


MINE = (RepairRequest.requester_id == USER_ID, one_of(RepairRequest.status, OPEN_STATUSES))


def mine_facts() -> dict:
    return {"any": exists().where(*MINE)}


class MyRepair(NamedTuple):
    """A line of my open requests, as plain values (overdue decided when read)."""

    id: int
    number: str
    status: str
    is_lab: bool
    overdue: bool
    location: str


@cache
def _mine():
    """My open requests with their locations, latest first, as columns (built once)."""
    return (select(RepairRequest.id, RepairRequest.number, RepairRequest.status,
                   RepairRequest.category, RepairRequest.due_at,
                   Location.building, Location.floor, Location.room)
            .join(Location, Location.id == RepairRequest.location_id).where(*MINE)
            .order_by(RepairRequest.id.desc()).limit(5))


def my_open_requests(user, facts) -> dict | None:
    """Everyone: their own open requests (hidden when there are none)."""
    if not facts["any"]:
        return None
    now = utcnow()
    rows = [MyRepair(id_, number, status, category == LAB, due_at is not None and due_at < now,
                     Location.label(building, floor, room))
            for id_, number, status, category, due_at, building, floor, room
            in sql.rows(_mine(), {USER_ID.key: user.id})]
    return {"rows": rows} if rows else None


def queue_facts() -> dict:
    """How many requests are open and how many are overdue."""
    def count(*conditions):
        return (select(func.count()).select_from(RepairRequest)
                .where(one_of(RepairRequest.status, OPEN_STATUSES), *conditions).scalar_subquery())
    return {"open": count(), "overdue": count(queries.overdue_clause(NOW))}


def facilities_counts(user, facts) -> dict:
    """Facilities: how many requests are open and how many are overdue."""
    return {"open": facts["open"], "overdue": facts["overdue"]}


def rota_gaps(user, facts) -> dict | None:
    """Facilities: a warning when hours of the next 14 days have nobody on duty."""
    now = utcnow()
    gaps = calendars.uncovered(now, now + timedelta(days=calendars.ROTA_DAYS))
    if not gaps:
        return None
    # The panel shows the minute: a gap starting now reads the same all minute long.
    first = gaps[0][0].replace(second=0, microsecond=0)
    return {"count": len(gaps), "first": first, "days": calendars.ROTA_DAYS}


PANELS: list = [
    Panel("repairs/_panel_rota.html", rota_gaps, FACILITIES),
    Panel("repairs/_panel_facilities.html", facilities_counts, FACILITIES, queue_facts),
    Panel("repairs/_panel_mine.html", my_open_requests, facts=mine_facts),
]
