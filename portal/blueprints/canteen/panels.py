"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

from portal.blueprints.canteen import menu_cache, queries
from portal.timeutil import local_now, local_today, monday_of


def todays_menu(user) -> dict:
    """The meal being served now (or next) and the one after it; never a meal already over."""
    now = local_now()
    day, order = queries.featured(now)
    if day == now.date():
        order = queries.upcoming_meals(now)
    # The week as kept by menu_cache (read once per change), not the week's rows on every visit.
    _published, days = menu_cache.published_menu(menu_cache.current_version(), monday_of(day))
    menu = next((d for d in days if d.day == day), None)
    return {"day": day, "today": now.date(), "menu": menu,
            "order": order[:2], "hidden": queries.allergens_of(user)}


def tonights_headcount(user) -> dict:
    """Night meals reserved for tonight, by dish."""
    today = local_today()
    return {"counts": queries.headcount(today), "cutoff": queries.settings().night_cutoff}


PANELS: list = [
    (None, "canteen/_panel_today.html", todays_menu),
    ({"canteen"}, "canteen/_panel_headcount.html", tonights_headcount),
]
