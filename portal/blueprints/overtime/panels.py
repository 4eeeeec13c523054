"""Home panels of this module: `Panel`s (see portal/modules.py and home/panels.py)."""

from sqlalchemy import exists, func, or_, select

from portal.blueprints.accounts.models import Department
from portal.blueprints.overtime import queries
from portal.blueprints.overtime.models import (
    OPEN_STATUSES,
    STATUSES,
    WAITING_HEAD,
    WAITING_OFFICE,
    Claim,
    MonthClose,
    OvertimeRecord,
    StandIn,
)
from portal.modules import Panel
from portal.timeutil import local_today


def tonight_facts(user) -> dict:
    """Whether I have a record tonight, and open claims."""
    return {"record": exists().where(OvertimeRecord.user_id == user.id,
                                     OvertimeRecord.day == local_today()),
            "claims": exists().where(Claim.user_id == user.id, Claim.status.in_(OPEN_STATUSES))}


def tonight(user, facts) -> dict | None:
    """Everyone: tonight's overtime and open claims (hidden when there is neither)."""
    if not facts["record"] and not facts["claims"]:
        return None
    return {"record": queries.record_of(user, local_today()) if facts["record"] else None,
            "claims": queries.open_claims(user) if facts["claims"] else []}


def waiting_facts(user) -> dict:
    """How many claims wait for this person: at the head stage of a department they head (or
    stand in for today), at the office stage for the office; never their own."""
    today = local_today()
    stood_in_for = select(StandIn.approver_id).where(
        StandIn.stand_in_id == user.id, StandIn.first_day <= today, StandIn.last_day >= today)
    headed = select(Department.id).where(or_(Department.head_id == user.id,
                                             Department.head_id.in_(stood_in_for)))
    conditions = [(Claim.status == WAITING_HEAD) & Claim.department_id.in_(headed)]
    if user.has_role("office"):
        conditions.append(Claim.status == WAITING_OFFICE)
    return {"count": select(func.count()).select_from(Claim)
            .where(or_(*conditions), Claim.user_id != user.id).scalar_subquery()}


def waiting(user, facts) -> dict | None:
    """Heads, stand-ins and the office: claims waiting for them."""
    return {"count": facts["count"]} if facts["count"] else None


def _month() -> str:
    return f"{local_today():%Y-%m}"


def month_facts(user) -> dict:
    """This month's claims by state, and whether it is closed."""
    month = _month()
    counts = {status: select(func.count()).select_from(Claim)
              .where(Claim.month == month, Claim.status == status).scalar_subquery()
              for status in STATUSES}
    return {**counts, "closed": exists().where(MonthClose.month == month)}


def month_state(user, facts) -> dict:
    """The office: this month's claims by state, and whether it is closed."""
    return {"month": _month(), "counts": {status: facts[status] for status in STATUSES},
            "state": facts["closed"]}


PANELS: list = [
    Panel("overtime/_panel_tonight.html", tonight, facts=tonight_facts),
    Panel("overtime/_panel_waiting.html", waiting, frozenset({"dept_head", "office"}),
          waiting_facts),
    Panel("overtime/_panel_month.html", month_state, frozenset({"office"}), month_facts),
]
