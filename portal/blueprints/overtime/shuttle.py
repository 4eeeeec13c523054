"""Where overtime meets the shuttle module (通勤班车).

`late_run_for` answers from the shuttle's published late runs whether one left after the
overtime ended and serves the employee's home district; the claim form and the approver's page
show its answer. The other way round, `taxi_spend_by_district` gives the shuttle's coverage page
the taxi spend per home district, and `has_record_on` lets only people working late book a seat.
"""

from datetime import date, datetime

from sqlalchemy import func, select

from portal.blueprints.overtime.models import APPROVED, Claim, OvertimeRecord
from portal.blueprints.shuttle import queries as shuttle_queries
from portal.extensions import db
from portal.templating import current_lang
from portal.timeutil import parse_hhmm

SMALL_COUNT = 5  # fewer people than this in a district are not shown as their own row (PIPL)


def late_run_for(user, record) -> str | None:
    """A late run that left after `record` ended and serves the employee's home district (as
    they keep it in the shuttle module), as a line to show ("22:30 晚班 2 号线, 浦东新区");
    None when there was none, or the record has no end yet, or no home district is known."""
    if record is None or record.end_on() is None:
        return None
    home = shuttle_queries.home_of(user)
    if home is None:
        return None
    ended, day = record.end_on(), record.day
    routes = shuttle_queries.late_routes()
    versions = shuttle_queries.in_effect(day, [route.id for route in routes])
    for route in routes:
        version = versions.get(route.id)
        if version is None or not version.times:
            continue
        left = datetime.combine(day, parse_hhmm(version.times[0].time))
        serves = any(t.stop.district_id == home.district_id for t in version.times)
        if left <= ended or not serves:
            continue
        if not shuttle_queries.service_days(route, day, day, [version])[0].runs:
            continue
        return f"{version.times[0].time} {route.name}, {home.district.label(current_lang())}"
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


def has_record_on(user, day: date) -> bool:
    """Whether `user` recorded overtime for the evening of `day` (the shuttle's late-run seat)."""
    return db.session.scalar(select(OvertimeRecord.id).where(
        OvertimeRecord.user_id == user.id, OvertimeRecord.day == day)) is not None
