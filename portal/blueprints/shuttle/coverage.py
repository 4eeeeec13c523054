"""Coverage for facilities: where people live against the stops and routes that serve them.

Counts are of districts, never of people: a district with fewer than MIN_COUNT people is
merged into "other", so no number points at a person. Fullness is shown as a share of seats.
The overtime module's taxi spend per drop-off district is shown beside, its small districts
left out by that module.
"""

import re

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.blueprints.overtime import shuttle as overtime
from portal.blueprints.shuttle import queries
from portal.blueprints.shuttle.access import VIEWERS
from portal.blueprints.shuttle.models import HOME, LATE, Home
from portal.blueprints.shuttle.routes import bp
from portal.exports import table_download
from portal.extensions import db
from portal.htmx import render
from portal.security import role_required
from portal.templating import current_lang
from portal.timeutil import local_today

MIN_COUNT = 5
OTHER = "other"


def coverage_rows(lang: str) -> list[dict]:
    """One row per district with enough people (most people first), then "other"."""
    today = local_today()
    people = dict(db.session.execute(
        select(Home.district_id, func.count()).group_by(Home.district_id)).all())
    by_stop = dict(db.session.execute(
        select(Home.stop_id, func.count()).where(Home.stop_id.is_not(None))
        .group_by(Home.stop_id)).all())
    routes = {r.id: r for r in queries.routes()}
    # Morning buses carry everyone who rides; the home and late runs mirror them.
    riders, seats, serving = {}, {}, {}
    for served in queries.network_on(today):
        if routes[served.route_id].direction in (HOME, LATE):
            continue
        riders[served.route_id] = riders.get(served.route_id, 0) + by_stop.get(served.stop_id, 0)
        seats[served.route_id] = served.seats
        entry = serving.setdefault(served.district_id, {"stops": set(), "routes": set()})
        entry["stops"].add(served.stop_id)
        entry["routes"].add(served.route_id)
    fullness = {route_id: round(100 * count / seats[route_id])
                for route_id, count in riders.items()}
    rows, other = [], {"people": 0, "stops": set(), "routes": set()}
    for district in queries.districts():
        count = people.get(district.id, 0)
        served = serving.get(district.id, {"stops": set(), "routes": set()})
        if count < MIN_COUNT:
            other["people"] += count
            other["stops"] |= served["stops"]
            other["routes"] |= served["routes"]
            continue
        rows.append(_row(district.label(lang), count, served, routes, fullness))
    rows.sort(key=lambda row: -row["people"])
    if other["people"] or other["stops"]:
        rows.append(_row(_("Other districts"), other["people"], other, routes, fullness,
                         merged=True))
    return rows


def _row(name, count, served, routes, fullness, merged=False) -> dict:
    serving = sorted((routes[i] for i in served["routes"]), key=lambda r: (r.position, r.name))
    return {"name": name, "people": count, "small": count < MIN_COUNT, "merged": merged,
            "stops": len(served["stops"]),
            "routes": [(route.name, fullness.get(route.id, 0)) for route in serving],
            "gap": count >= MIN_COUNT and not served["stops"]}


def taxi_month(value: str | None) -> str:
    """The month whose taxi spend is shown ("2026-12"): the one asked for, else this one."""
    if value and re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", value):
        return value
    return f"{local_today():%Y-%m}"


@bp.get("/coverage")
@role_required(*VIEWERS)
def coverage():
    """Employees per district against the stops and buses serving it; gaps stand out. Beside
    them, the month's approved overtime taxi spend per home district (the overtime module), so
    facilities see where a late run would cost less than the taxis."""
    rows = coverage_rows(current_lang())
    top = max((row["people"] for row in rows), default=0) or 1
    month = taxi_month(request.args.get("month"))
    return render("shuttle/coverage.html", None, rows=rows, top=top, min_count=MIN_COUNT,
                  month=month, taxis=overtime.taxi_spend_by_district(month),
                  taxi_min=overtime.SMALL_COUNT)


@bp.get("/coverage.<fmt>")
@role_required(*VIEWERS)
def coverage_export(fmt: str):
    """The coverage table as XLSX (or CSV)."""
    rows = coverage_rows(current_lang())
    headers = [_("District"), _("Employees"), _("Stops"), _("Routes (share of seats taken)"),
               _("No stop")]
    table = [[row["name"], people_shown(row), row["stops"],
              "; ".join(f"{name} {share}%" for name, share in row["routes"]),
              _("Yes") if row["gap"] else ""] for row in rows]
    return table_download(fmt, f"shuttle-coverage-{local_today():%Y%m%d}", _("Shuttle coverage"),
                          headers, table)


def people_shown(row: dict) -> str | int:
    return f"<{MIN_COUNT}" if row["small"] else row["people"]
