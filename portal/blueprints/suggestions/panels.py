"""Home panel: the office sees what waits in the suggestion box."""

from datetime import timedelta

from sqlalchemy import bindparam, func, select

from portal.blueprints.suggestions.models import OPEN, Suggestion
from portal.modules import Panel
from portal.timeutil import local_today


def waiting_facts() -> dict:
    """Open items, and how many waited a week or more."""
    def count(*conditions):
        return (select(func.count()).select_from(Suggestion)
                .where(Suggestion.status == OPEN, *conditions).scalar_subquery())
    return {"open": count(), "late": count(Suggestion.created_on <= bindparam("suggestions_late"))}


def waiting_params(user) -> dict:
    return {"suggestions_late": local_today() - timedelta(days=7)}


def waiting(user, facts) -> dict | None:
    if not facts["open"]:
        return None
    return {"open_count": facts["open"], "late": int(facts["late"] or 0)}


PANELS: list = [Panel("suggestions/_panel_office.html", waiting, frozenset({"office"}),
                      waiting_facts, waiting_params)]
