"""Home panels of this module: `Panel`s (see portal/modules.py and home/panels.py)."""

from functools import cache
from typing import NamedTuple

from flask import render_template
from markupsafe import Markup
from sqlalchemy import bindparam, func, select

from portal import sql
from portal.blueprints.canteen import menu_cache, queries
from portal.blueprints.canteen.menu_cache import MenuVersion
from portal.blueprints.canteen.models import (
    ALLERGENS,
    CanteenSettings,
    DietPreference,
    Dish,
    NightReservation,
)
from portal.modules import USER_ID, Panel
from portal.templating import current_lang
from portal.timeutil import local_now, local_today, monday_of


def menu_facts() -> dict:
    """The menu's version (the week is read once per version) and the person's allergens."""
    return {
        "version": select(MenuVersion.version).where(MenuVersion.id == 1).scalar_subquery(),
        "allergens": select(DietPreference.allergens_text)
        .where(DietPreference.user_id == USER_ID).scalar_subquery(),
    }


def todays_menu(user, facts) -> dict:
    """The meal being served now (or next) and the one after it; never a meal already over."""
    now = local_now()
    day, order = queries.featured(now)
    if day == now.date():
        order = queries.upcoming_meals(now)
    # The week as kept by menu_cache (read once per change), not the week's rows on every visit.
    _published, days = menu_cache.published_menu(facts["version"], monday_of(day))
    menu = next((d for d in days if d.day == day), None)
    hidden = {a for a in (facts["allergens"] or "").split() if a in ALLERGENS}
    shown = {"day": day, "today": now.date(), "menu": menu, "order": order[:2], "hidden": hidden}
    # Alike for everyone with this language and these allergens: rendered once per menu version.
    html = menu_cache.kept(
        facts["version"], ("home panel", current_lang(), day, now.date(), tuple(order[:2]),
                           frozenset(hidden)),
        lambda: Markup(render_template("canteen/_panel_today_menu.html", panel=shown)))
    return {"html": html}


def headcount_facts() -> dict:
    """The night meals' cutoff: the saved setting, else its default."""
    saved = (select(CanteenSettings.night_cutoff).order_by(CanteenSettings.id).limit(1)
             .scalar_subquery())
    return {"cutoff": func.coalesce(saved, CanteenSettings.__table__.c.night_cutoff.default.arg)}


class NightDish(NamedTuple):
    """A dish of tonight's headcount, as plain values."""

    id: int
    name_zh: str
    name_en: str
    label = Dish.label  # the name in the viewer's language, as the dish writes it


@cache
def _headcount():
    """The dishes reserved on a day with their counts, as columns (built once)."""
    counted = (select(NightReservation.dish_id, func.count().label("count"))
               .where(NightReservation.day == bindparam("canteen_day"))
               .group_by(NightReservation.dish_id).subquery())
    return (select(Dish.id, Dish.name_zh, Dish.name_en, counted.c.count)
            .join(counted, counted.c.dish_id == Dish.id))


def tonights_headcount(user, facts) -> dict:
    """Night meals reserved for tonight, by dish, most first (one query)."""
    rows = sql.rows(_headcount(), {"canteen_day": local_today()})
    counts = sorted(((NightDish(id_, name_zh, name_en), count)
                     for id_, name_zh, name_en, count in rows),
                    key=lambda row: (-row[1], row[0].name_zh))
    return {"counts": counts, "cutoff": facts["cutoff"]}


PANELS: list = [
    Panel("canteen/_panel_today.html", todays_menu, facts=menu_facts),
    Panel("canteen/_panel_headcount.html", tonights_headcount, frozenset({"canteen"}),
          headcount_facts),
]
