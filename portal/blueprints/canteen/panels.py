"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

from portal.blueprints.canteen import queries
from portal.timeutil import local_now, local_today


def todays_menu(user) -> dict:
    """The meal being served now (or next) and the one after it; never a meal already over."""
    now = local_now()
    day, order = queries.featured(now)
    if day == now.date():
        order = queries.upcoming_meals(now)
    return {"day": day, "today": now.date(), "menu": queries.published_day(day),
            "order": order[:2], "hidden": queries.allergens_of(user)}


def tonights_headcount(user) -> dict:
    """Night meals reserved for tonight, by dish."""
    today = local_today()
    return {"counts": queries.headcount(today), "cutoff": queries.settings().night_cutoff}


PANELS: list = [
    (None, "canteen/_panel_today.html", todays_menu),
    ({"canteen"}, "canteen/_panel_headcount.html", tonights_headcount),
]
