"""Monthly figures: opened, closed, median response and resolution, share within target.

A month is a calendar month in the portal's time zone. Counts are grouped in SQL; the medians
need the month's own rows (a few thousand at most), read as bare columns.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from statistics import median

from flask import Response, request
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from portal.blueprints.repairs.models import CATEGORIES, RepairRequest
from portal.blueprints.repairs.routes import bp
from portal.exports import XLSX_MIMETYPE, csv_bytes, xlsx_bytes
from portal.extensions import db
from portal.htmx import render
from portal.security import role_required
from portal.timeutil import local_now, portal_tz


@dataclass
class Row:
    category: str
    opened: int = 0
    closed: int = 0
    response_minutes: list[float] = field(default_factory=list)
    resolution_minutes: list[float] = field(default_factory=list)
    within: int = 0
    resolved: int = 0

    @property
    def median_response(self) -> float | None:
        return median(self.response_minutes) if self.response_minutes else None

    @property
    def median_resolution(self) -> float | None:
        return median(self.resolution_minutes) if self.resolution_minutes else None

    @property
    def within_share(self) -> float | None:
        return self.within / self.resolved if self.resolved else None


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    tz = portal_tz()
    start = datetime.combine(date(year, month, 1), time(0), tz)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(following, time(0), tz)


def _minutes(later, earlier):
    """Minutes between two columns, computed by the database (no datetime per row in Python)."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 60
    return (func.julianday(later) - func.julianday(earlier)) * 1440


def monthly_figures(year: int, month: int) -> tuple[list[Row], Row]:
    """One row per category (in the fixed category order) and the total."""
    start, end = month_bounds(year, month)
    rows = {key: Row(key) for key in CATEGORIES}
    in_month = lambda column: (column >= start) & (column < end)  # noqa: E731
    for category, count in db.session.execute(
            select(RepairRequest.category, func.count())
            .where(in_month(RepairRequest.created_at)).group_by(RepairRequest.category)):
        rows[category].opened = count
    for category, count in db.session.execute(
            select(RepairRequest.category, func.count())
            .where(in_month(RepairRequest.closed_at)).group_by(RepairRequest.category)):
        rows[category].closed = count
    for category, minutes in db.session.execute(
            select(RepairRequest.category,
                   _minutes(RepairRequest.accepted_at, RepairRequest.created_at))
            .where(in_month(RepairRequest.created_at), RepairRequest.accepted_at.is_not(None))):
        rows[category].response_minutes.append(float(minutes))
    within = (RepairRequest.resolved_at <= RepairRequest.resolution_due) & (
        func.coalesce(RepairRequest.accepted_at, RepairRequest.resolved_at)
        <= RepairRequest.response_due)
    for category, minutes, in_time in db.session.execute(
            select(RepairRequest.category,
                   _minutes(RepairRequest.resolved_at, RepairRequest.created_at),
                   case((within, 1), else_=0))
            .where(in_month(RepairRequest.resolved_at))):
        row = rows[category]
        row.resolution_minutes.append(float(minutes))
        row.resolved += 1
        row.within += in_time
    total = Row("total")
    for row in rows.values():
        total.opened += row.opened
        total.closed += row.closed
        total.response_minutes += row.response_minutes
        total.resolution_minutes += row.resolution_minutes
        total.within += row.within
        total.resolved += row.resolved
    return list(rows.values()), total


def _month_arg() -> tuple[int, int]:
    value = request.args.get("month", "")
    try:
        parsed = datetime.strptime(value, "%Y-%m")
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
    name = f"repairs-{year}-{month:02d}"
    if fmt == "csv":
        content, mimetype = csv_bytes(headers, body), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content, mimetype = xlsx_bytes(f"{year}-{month:02d}", headers, body), XLSX_MIMETYPE
    else:
        return Response(status=404)
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={name}.{fmt}",
        "Cache-Control": "private, no-store"})
