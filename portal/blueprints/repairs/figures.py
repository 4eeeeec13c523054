"""Monthly figures: opened, closed, median response and resolution, share within target.

A month is a calendar month in the portal's time zone. Everything is computed by the database,
a handful of queries whatever the number of requests: counts and within-target shares grouped
by category, medians with percentile_cont on PostgreSQL and a window function on SQLite. Only
a row per category comes back to Python.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from flask import request
from flask_babel import gettext as _
from sqlalchemy import Float, case, cast, func, literal, select, union_all

from portal.blueprints.repairs.models import CATEGORIES, RepairRequest
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


def _postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def _minutes(later, earlier):
    """Minutes between two columns, computed by the database (no datetime per row in Python)."""
    if _postgresql():
        return cast(func.extract("epoch", later - earlier) / 60, Float)
    return (func.julianday(later) - func.julianday(earlier)) * 1440


def _medians(minutes, *where) -> dict[str, float]:
    """The median of `minutes` per category and over all of them (key TOTAL), in one query."""
    category = RepairRequest.category
    if _postgresql():
        median = func.percentile_cont(0.5).within_group(minutes)
        query = select(func.coalesce(category, TOTAL), median).where(*where).group_by(
            func.rollup(category))
        # An empty month still has ROLLUP's grand-total row, with no median.
        return {key: float(value) for key, value in db.session.execute(query)
                if value is not None}
    # SQLite has no percentile: number the month's values in order (per category and over
    # all), then average the middle one or two. Only those few rows leave the database; the
    # ranked set is a CTE used twice, which SQLite computes once.
    values = select(category.label("category"), minutes.label("minutes")).where(
        *where, minutes.is_not(None)).cte("month_values")
    ranked = select(
        values.c.category, values.c.minutes,
        func.row_number().over(partition_by=values.c.category, order_by=values.c.minutes)
        .label("n"),
        func.count().over(partition_by=values.c.category).label("size"),
        func.row_number().over(order_by=values.c.minutes).label("n_all"),
        func.count().over().label("size_all"),
    ).cte("ranked")

    def middle(key, n, size):
        return (select(key.label("key"), func.avg(ranked.c.minutes))
                .where(n.in_([(size + 1) // 2, (size + 2) // 2])).group_by(key))

    query = union_all(middle(ranked.c.category, ranked.c.n, ranked.c.size),
                      middle(literal(TOTAL), ranked.c.n_all, ranked.c.size_all))
    return {key: float(value) for key, value in db.session.execute(query)}


def monthly_figures(year: int, month: int) -> tuple[list[Row], Row]:
    """One row per category (in the fixed category order) and the total."""
    start, end = month_bounds(year, month)
    rows = {key: Row(key) for key in CATEGORIES}
    in_month = lambda column: (column >= start) & (column < end)  # noqa: E731
    category = RepairRequest.category
    for key, count in db.session.execute(
            select(category, func.count()).where(in_month(RepairRequest.created_at))
            .group_by(category)):
        rows[key].opened = count
    for key, count in db.session.execute(
            select(category, func.count()).where(in_month(RepairRequest.closed_at))
            .group_by(category)):
        rows[key].closed = count
    within = (RepairRequest.resolved_at <= RepairRequest.resolution_due) & (
        func.coalesce(RepairRequest.accepted_at, RepairRequest.resolved_at)
        <= RepairRequest.response_due)
    for key, resolved, in_time in db.session.execute(
            select(category, func.count(), func.sum(case((within, 1), else_=0)))
            .where(in_month(RepairRequest.resolved_at)).group_by(category)):
        rows[key].resolved, rows[key].within = resolved, int(in_time or 0)
    total = Row(TOTAL)
    for row in rows.values():
        total.opened += row.opened
        total.closed += row.closed
        total.within += row.within
        total.resolved += row.resolved
    response = _medians(_minutes(RepairRequest.accepted_at, RepairRequest.created_at),
                        in_month(RepairRequest.created_at),
                        RepairRequest.accepted_at.is_not(None))
    resolution = _medians(_minutes(RepairRequest.resolved_at, RepairRequest.created_at),
                          in_month(RepairRequest.resolved_at))
    for row in [*rows.values(), total]:
        row.median_response = response.get(row.category)
        row.median_resolution = resolution.get(row.category)
    return list(rows.values()), total


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
