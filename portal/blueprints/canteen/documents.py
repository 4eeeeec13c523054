"""Documents made in jobs: kind -> renderer(document) -> (filename, mimetype, bytes)."""

from datetime import date

from portal.blueprints.canteen import queries
from portal.blueprints.canteen.models import MEAL_HOURS, MEALS
from portal.pdf import render_pdf


def week_pdf(document) -> tuple[str, str, bytes]:
    """The week's menu on one A4 landscape page, in Chinese, for the canteen wall."""
    monday = date.fromisoformat(document.params["monday"])
    week = queries.week_of(monday)
    days = queries.week_days(week, monday)
    # One page whatever the canteen typed: the busiest meal decides the type size.
    busiest = max((len(items) for day in days for items in day.meals.values()), default=0)
    size = 10 if busiest <= 4 else 8.5 if busiest <= 6 else 7 if busiest <= 9 else 5.5
    pdf = render_pdf("canteen/pdf/week.html", week=week, days=days, meals=MEALS,
                     hours=MEAL_HOURS, monday=monday, font_size=size)
    return f"menu-{monday:%Y%m%d}.pdf", "application/pdf", pdf


RENDERERS = {"canteen_week_pdf": week_pdf}
