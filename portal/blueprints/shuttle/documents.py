"""Documents made in jobs: kind -> renderer(document) -> (filename, mimetype, bytes)."""

from datetime import date

from portal.blueprints.shuttle import queries
from portal.blueprints.shuttle.models import DIRECTIONS, Version
from portal.extensions import db
from portal.pdf import render_pdf


def route_pdf(document) -> tuple[str, str, bytes]:
    """One route's timetable on A4, in Chinese, with its strip map, for the notice board."""
    version = db.session.get(Version, document.params["version_id"])
    route = version.route
    days = queries.service_days(route, version.effective_from, version.effective_from)
    pdf = render_pdf("shuttle/pdf/route.html", route=route, version=version,
                     days=days)
    return f"shuttle-{route.id}-v{version.number}.pdf", "application/pdf", pdf


def sheet_pdf(document) -> tuple[str, str, bytes]:
    """Every route in effect on the day, on A4 sheets grouped by direction."""
    day = date.fromisoformat(document.params["day"])
    versions = queries.in_effect(day)
    routes = [r for r in queries.routes() if r.id in versions]
    groups = [(label, [r for r in routes if r.direction == key])
              for key, label in DIRECTIONS.items()]
    pdf = render_pdf("shuttle/pdf/sheet.html", groups=groups, versions=versions, day=day)
    return f"shuttle-all-{day:%Y%m%d}.pdf", "application/pdf", pdf


RENDERERS = {"shuttle_route_pdf": route_pdf, "shuttle_sheet_pdf": sheet_pdf}
