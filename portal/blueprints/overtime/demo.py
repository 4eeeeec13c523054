"""Demo: the ride-subsidy policy in force since the start of the year, so claims can be tried."""

from datetime import date

from sqlalchemy import select

from portal.blueprints.overtime.models import Policy
from portal.extensions import db
from portal.timeutil import local_today


def load_demo() -> None:
    """One policy version (21:00, 2 hours, ¥100 a ride, ¥800 a month, receipt above ¥50)."""
    if db.session.scalar(select(Policy.id).limit(1)) is not None:
        return
    db.session.add(Policy(effective_from=date(local_today().year, 1, 1), earliest_end="21:00",
                          ride_window_minutes=120, max_per_ride_cents=10000,
                          monthly_cap_cents=80000, receipt_above_cents=5000,
                          rest_days_allowed=True, holidays_allowed=True,
                          rest_day_earliest_end="18:00"))
    db.session.flush()
