"""Home panels of this module: `Panel`s (see portal/modules.py and home/panels.py)."""

from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import Boolean, bindparam, exists, func, or_, select

from portal.blueprints.accounts.models import Department
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
from portal.extensions import db
from portal.modules import TODAY, USER_ID, Panel
from portal.sql import one_of
from portal.timeutil import local_today


def tonight_facts() -> dict:
    """Whether I have a record tonight, and open claims."""
    return {"record": exists().where(OvertimeRecord.user_id == USER_ID,
                                     OvertimeRecord.day == TODAY),
            "claims": exists().where(Claim.user_id == USER_ID, one_of(Claim.status, OPEN_STATUSES))}


@cache
def _record():
    """My record of an evening: its times, as columns (built once)."""
    return select(OvertimeRecord.start_time, OvertimeRecord.end_time, OvertimeRecord.expected_end
                  ).where(OvertimeRecord.user_id == USER_ID, OvertimeRecord.day == TODAY)


@cache
def _open_claims():
    """My open claims by day, as columns (built once)."""
    return (select(Claim.id, Claim.day, Claim.amount_cents, Claim.status)
            .where(Claim.user_id == USER_ID, one_of(Claim.status, OPEN_STATUSES))
            .order_by(Claim.day))


class OpenClaim(NamedTuple):
    """A line of my open claims, as plain values."""

    id: int
    day: date
    amount: str  # as the claim writes it, e.g. ¥35.00
    status: str


def tonight(user, facts) -> dict | None:
    """Everyone: tonight's overtime and open claims (hidden when there is neither)."""
    if not facts["record"] and not facts["claims"]:
        return None
    connection = db.session.connection()
    params = {USER_ID.key: user.id, TODAY.key: local_today()}
    record = connection.execute(_record(), params).first() if facts["record"] else None
    claims = ([OpenClaim(row.id, row.day, Claim.amount.fget(row), row.status)
               for row in connection.execute(_open_claims(), params)] if facts["claims"] else [])
    return {"record": record, "claims": claims}


def waiting_facts() -> dict:
    """How many claims wait for this person: at the head stage of a department they head (or
    stand in for today), at the office stage for the office; never their own."""
    stood_in_for = select(StandIn.approver_id).where(
        StandIn.stand_in_id == USER_ID, StandIn.first_day <= TODAY, StandIn.last_day >= TODAY)
    headed = select(Department.id).where(or_(Department.head_id == USER_ID,
                                             Department.head_id.in_(stood_in_for)))
    office = bindparam("overtime_office", type_=Boolean)
    return {"count": select(func.count()).select_from(Claim).where(
        or_((Claim.status == WAITING_HEAD) & Claim.department_id.in_(headed),
            office & (Claim.status == WAITING_OFFICE)),
        Claim.user_id != USER_ID).scalar_subquery()}


def waiting_params(user) -> dict:
    return {"overtime_office": user.has_role("office")}


def waiting(user, facts) -> dict | None:
    """Heads, stand-ins and the office: claims waiting for them."""
    return {"count": facts["count"]} if facts["count"] else None


def _month() -> str:
    return f"{local_today():%Y-%m}"


def month_facts() -> dict:
    """This month's claims by state, and whether it is closed."""
    month = bindparam("overtime_month")
    counts = {status: select(func.count()).select_from(Claim)
              .where(Claim.month == month, Claim.status == status).scalar_subquery()
              for status in STATUSES}
    return {**counts, "closed": exists().where(MonthClose.month == month)}


def month_params(user) -> dict:
    return {"overtime_month": _month()}


def month_state(user, facts) -> dict:
    """The office: this month's claims by state, and whether it is closed."""
    return {"month": _month(), "counts": {status: facts[status] for status in STATUSES},
            "state": facts["closed"]}


PANELS: list = [
    Panel("overtime/_panel_tonight.html", tonight, facts=tonight_facts),
    Panel("overtime/_panel_waiting.html", waiting, frozenset({"dept_head", "office"}),
          waiting_facts, waiting_params),
    Panel("overtime/_panel_month.html", month_state, frozenset({"office"}), month_facts,
          month_params),
]
