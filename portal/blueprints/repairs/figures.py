"""Monthly figures: opened, closed, median response and resolution, share within target.

A month is a calendar month in the portal's time zone. The page reads the summaries kept current
with every request change (figures_summary.py), never the month's requests: the counts are the
sum of at most 31 x 8 day rows, and each median (exact) is the middle entry of an index on the
month's times. Two queries whatever the number of requests.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import click
from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.blueprints.repairs import figures_summary
from portal.blueprints.repairs.figures_summary import RESOLUTION, RESPONSE
from portal.blueprints.repairs.models import CATEGORIES, RepairDayFigures, RepairFigureTime
from portal.blueprints.repairs.routes import bp
from portal.converters import calendar_date
from portal.exports import table_download
from portal.extensions import db
from portal.htmx import render
from portal.security import role_required
from portal.timeutil import local_now, portal_tz

TOTAL = "total"


@dataclass
class Row:
    category: str
    opened: int = 0
    closed: int = 0
    median_response: float | None = None  # minutes
    median_resolution: float | None = None  # minutes
    within: int = 0
    resolved: int = 0

    @property
    def within_share(self) -> float | None:
        return self.within / self.resolved if self.resolved else None


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    tz = portal_tz()
    start = datetime.combine(date(year, month, 1), time(0), tz)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(following, time(0), tz)


def _median(kind: str, size: int, month: date, category: str | None):
    """The middle one or two of the month's `size` times of `kind` (one category, or all),
    read in order off the index on (kind, month, category, minutes): no sort, no month scan
    beyond the middle."""
    where = [RepairFigureTime.kind == kind, RepairFigureTime.month == month]
    if category is not None:
        where.append(RepairFigureTime.category == category)
    middle = (select(RepairFigureTime.minutes).where(*where).order_by(RepairFigureTime.minutes)
              .limit(2 - size % 2).offset((size - 1) // 2).subquery())
    return select(func.avg(middle.c.minutes)).scalar_subquery()


def monthly_figures(year: int, month: int) -> tuple[list[Row], Row]:
    """One row per category (in the fixed category order) and the total, from the summaries
    (figures_summary.py): a month's day rows summed, then every median in one more query."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    rows = {key: Row(key) for key in CATEGORIES}
    total = Row(TOTAL)
    responded = {}
    days = RepairDayFigures
    for key, opened, answered, closed, resolved, within in db.session.execute(
            select(days.category, func.sum(days.opened), func.sum(days.responded),
                   func.sum(days.closed), func.sum(days.resolved), func.sum(days.within))
            .where(days.day >= first, days.day < following).group_by(days.category)):
        row = rows.setdefault(key, Row(key))
        row.opened, row.closed, row.resolved, row.within = opened, closed, resolved, within
        responded[key] = answered
        total.opened += opened
        total.closed += closed
        total.resolved += resolved
        total.within += within
    responded[TOTAL] = sum(responded.values())
    medians = []  # (row, attribute, query)
    for row in [*rows.values(), total]:
        category = None if row is total else row.category
        for kind, size, attribute in (
                (RESPONSE, responded.get(row.category, 0), "median_response"),
                (RESOLUTION, row.resolved, "median_resolution")):
            if size:
                medians.append((row, attribute, _median(kind, size, first, category)))
    if medians:
        values = db.session.execute(select(*(query for _row, _attr, query in medians))).one()
        for (row, attribute, _query), value in zip(medians, values, strict=True):
            setattr(row, attribute, float(value))
    return [rows[key] for key in CATEGORIES], total


@bp.cli.command("rebuild-figures")
def rebuild_figures_command():
    """Count every request again into the figures' summaries (after a bulk load or a change of
    TIMEZONE; the nightly check does it by itself when it finds a difference)."""
    counted = figures_summary.rebuild(db.session.connection(), portal_tz())
    db.session.commit()
    click.echo(f"Repair figures rebuilt from {counted} requests.")


def _month_arg() -> tuple[int, int]:
    value = request.args.get("month", "")
    try:
        parsed = calendar_date(value + "-01")  # a month the calendar can compute with
        return parsed.year, parsed.month
    except ValueError:
        today = local_now()
        return today.year, today.month


def hours(minutes: float | None) -> str:
    return "" if minutes is None else f"{minutes / 60:.1f}"


def percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.0f}%"


def _table(rows: list[Row], total: Row) -> tuple[list[str], list[list]]:
    headers = [_("Category"), _("Opened"), _("Closed"), _("Median response (hours)"),
               _("Median resolution (hours)"), _("Within target")]
    body = [[str(CATEGORIES.get(r.category, _("Total"))), r.opened, r.closed,
             hours(r.median_response), hours(r.median_resolution), percent(r.within_share)]
            for r in [*rows, total]]
    return headers, body


@bp.get("/figures")
@role_required("facilities", "office")
def figures():
    """The month's figures by category, with a bar chart drawn on the server."""
    year, month = _month_arg()
    rows, total = monthly_figures(year, month)
    peak = max([r.opened for r in rows] + [r.closed for r in rows] + [1])
    return render("repairs/figures.html", rows=rows, total=total, year=year, month=month,
                  peak=peak, hours=hours, percent=percent, categories=CATEGORIES)


@bp.get("/figures.<fmt>")
@role_required("facilities", "office")
def figures_export(fmt: str):
    """The same table as CSV or XLSX."""
    year, month = _month_arg()
    headers, body = _table(*monthly_figures(year, month))
    return table_download(fmt, f"repairs-{year}-{month:02d}", f"{year}-{month:02d}", headers, body)
