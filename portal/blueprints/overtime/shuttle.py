"""The seam with the shuttle module (通勤班车, being built on its own branch).

Until it lands, `late_run_for` finds no late run (None). Once it does, it answers whether a
late shuttle run left after the overtime ended and serves the district the employee went to;
the claim form and the approver's page already show its answer. The other way round,
`taxi_spend_by_district` gives the shuttle's coverage page the taxi spend per home district.
"""

from sqlalchemy import func, select

from portal.blueprints.overtime.models import APPROVED, Claim
from portal.extensions import db

SMALL_COUNT = 5  # fewer people than this in a district are not shown as their own row (PIPL)


def late_run_for(user, record) -> str | None:
    """A late run that left after `record` ended and serves the employee's home district, as a
    line to show ("22:30 晚班 2 号线, 浦东新区"); None while the shuttle module is not there."""
    return None


def taxi_spend_by_district(month: str) -> list[tuple[str, int, int]]:
    """(district, people, approved cents) for `month`, drop-off districts with enough people."""
    rows = db.session.execute(
        select(Claim.to_district, func.count(func.distinct(Claim.user_id)),
               func.sum(Claim.amount_cents))
        .where(Claim.month == month, Claim.status == APPROVED)
        .group_by(Claim.to_district).order_by(func.sum(Claim.amount_cents).desc()))
    return [(district, people, cents) for district, people, cents in rows
            if people >= SMALL_COUNT]
