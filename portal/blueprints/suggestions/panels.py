"""Home panel: the office sees what waits in the suggestion box."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.blueprints.suggestions.models import OPEN, Suggestion
from portal.extensions import db
from portal.timeutil import local_today


def waiting(user) -> dict | None:
    """Open items, and how many waited a week or more."""
    overdue = local_today() - timedelta(days=7)
    open_count, late = db.session.execute(
        select(func.count(Suggestion.id),
               func.sum(func.cast(Suggestion.created_on <= overdue, db.Integer)))
        .where(Suggestion.status == OPEN)).one()
    if not open_count:
        return None
    return {"open_count": open_count, "late": int(late or 0)}


PANELS: list = [({"office"}, "suggestions/_panel_office.html", waiting)]
