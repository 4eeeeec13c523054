"""Shuttle 通勤班车 for employees: every timetable, find my route, a route's page (strip map,
service days, history and diffs), follow, my home district and stop.

Facilities' views live in manage.py, the late run in late.py, coverage in coverage.py and
new-stop requests in asks.py, all on this blueprint.
"""

from datetime import timedelta
from types import SimpleNamespace

from flask import Blueprint, abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.documents.services import progress_widget, start_document
from portal.blueprints.shuttle import queries, services
from portal.blueprints.shuttle.access import get_route, mask_phone, sees_phones
from portal.blueprints.shuttle.diff import diff
from portal.blueprints.shuttle.forms import WEEKDAY_CHOICES, HomeForm
from portal.blueprints.shuttle.models import (
    DIRECTIONS,
    IS_PUBLISHED,
    Route,
    Stop,
    Version,
)
from portal.blueprints.shuttle.strip import strip_map
from portal.converters import db_int
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import render, see_other
from portal.i18n import Translated
from portal.keys import plain
from portal.templating import current_lang, kept_page
from portal.timeutil import local_now, local_today

bp = Blueprint("shuttle", __name__, url_prefix="/shuttle", template_folder="templates")
SERVICE_DAYS_SHOWN = 14


DIRECTION_ORDER = {direction: n for n, direction in enumerate(DIRECTIONS)}


# Labels translated once per language, not once per row shown.
bp.add_app_template_global(SimpleNamespace(
    DIRECTIONS=Translated(DIRECTIONS), WEEKDAYS=Translated(dict(WEEKDAY_CHOICES)),
    mask=mask_phone), "SHUTTLE")


@bp.get("/")
@reads_who_only(apart=True)  # the person and the timetables on one connection, outside the ORM
def index():
    """Every route's timetable in effect today, my routes first; the find box on top.

    The page's content is kept per everything it shows: the language, the roles (the nav, the
    facilities' PDF button) and the timetables' rows, which hold whether I follow each route,
    whether I have a home and my stop; only the CSRF token is filled in per request.
    """
    person = current_user._get_current_object()
    rows, home = queries.timetable_rows(person.id, local_today())
    return kept_page("shuttle/index.html",
                     ("shuttle", tuple(sorted(person.roles)), plain(rows), home),
                     lambda: _index_context(rows, home))


def _index_context(rows: tuple, home: tuple | None) -> dict:
    page = queries.timetables(rows, home)
    routes = sorted(page.routes, key=lambda r: (not r.followed, DIRECTION_ORDER[r.direction]))
    # Followed routes show every stop; the others a line each (a network of 200 stays light).
    # Made once, not per card: one route's address (the id appended) and the stop count's text
    # (gettext without variables leaves "%(count)s" to fill in).
    return dict(routes=routes, has_home=page.has_home, my_stop=page.my_stop,
                route_url=url_for("shuttle.route", route_id=0).removesuffix("0"),
                stops_text=_("%(count)s stops"))


@bp.get("/find")
def find():
    """Find my route: by a stop's name or note, or by a district."""
    query = request.args.get("q", "").strip()[:40]
    stops, found = queries.find(query, local_today())
    return render("shuttle/find.html", "results", q=query, stops=stops, found=found,
                  followed=queries.followed_ids(current_user),
                  districts=queries.districts(), lang=current_lang())


@bp.get("/routes/<int:route_id>")
def route(route_id: int):
    """A route: today's timetable, strip map, the next two weeks' service days, what is next."""
    item = get_route(route_id)
    now = local_now()
    version = queries.version_on(item, now.date())
    if version is None:
        abort(404)  # no published timetable yet: the route does not exist for riders
    home = queries.home_of(current_user)
    stop_id = home.stop_id if home and home.stop_id and version.time_at(home.stop_id) else None
    return render(
        "shuttle/route.html", None, route=item, version=version, now=now,
        upcoming=queries.upcoming(item, now.date()),
        days=queries.service_days(item, now.date(),
                                  now.date() + timedelta(days=SERVICE_DAYS_SHOWN - 1)),
        strip=strip_map(version, highlight=stop_id), my_stop=stop_id,
        departure=queries.next_departure(item, stop_id, now) if stop_id else None,
        following=item.id in queries.followed_ids(current_user),
        phones=sees_phones(current_user))


@bp.post("/routes/<int:route_id>/follow")
def follow(route_id: int):
    """Follow a route: its new timetables come as notifications."""
    item = get_route(route_id)
    services.follow(current_user, item)
    db.session.commit()
    flash(_("You follow %(route)s: new timetables will reach you.", route=item.name), "success")
    return see_other(url_for("shuttle.route", route_id=item.id))


@bp.post("/routes/<int:route_id>/unfollow")
def unfollow(route_id: int):
    """Stop following a route."""
    item = get_route(route_id)
    services.unfollow(current_user, item)
    db.session.commit()
    flash(_("You no longer follow %(route)s.", route=item.name), "success")
    return see_other(url_for("shuttle.route", route_id=item.id))


@bp.get("/routes/<int:route_id>/history")
def history(route_id: int):
    """Every published version, newest first, and two to compare."""
    item = get_route(route_id)
    versions = queries.published_versions(item)
    if not versions:
        abort(404)
    return render("shuttle/history.html", None, route=item, versions=versions)


def _published(route: Route, number: str | None) -> Version:
    version = db.session.scalar(db.select(Version).where(
        Version.route_id == route.id, IS_PUBLISHED,
        Version.number == _number(number)))
    if version is None:
        abort(404)
    return version


def _number(value: str | None) -> int:
    try:
        return db_int(value or "")
    except ValueError:
        return -1


@bp.get("/routes/<int:route_id>/diff")
def compare(route_id: int):
    """What changed between two published versions (older first, whichever order given)."""
    item = get_route(route_id)
    if not (request.args.get("a") and request.args.get("b")):  # none chosen: the latest change
        versions = queries.published_versions(item)
        if len(versions) < 2:
            return history(route_id)
        one, two = versions[0], versions[1]
    else:
        one, two = _published(item, request.args.get("a")), _published(item, request.args.get("b"))
    old, new = sorted((one, two), key=lambda v: v.number)
    return render("shuttle/diff.html", None, route=item, old=old, new=new, changes=diff(old, new),
                  phones=sees_phones(current_user))


@bp.post("/routes/<int:route_id>/pdf")
def route_pdf(route_id: int):
    """Start (or reuse) the route's timetable PDF, in Chinese, for the notice board."""
    item = get_route(route_id)
    version = queries.version_on(item, local_today())
    if version is None:
        abort(404)
    document = start_document("shuttle_route_pdf", current_user,
                              cache_key=f"shuttle-route:{version.id}", version_id=version.id,
                              locale="zh_CN")
    return progress_widget(document)


@bp.post("/sheet.pdf")
def sheet_pdf():
    """Start (or reuse) the A4 sheet of every route in effect today."""
    today = local_today()
    ids = ",".join(str(v.id) for v in sorted(queries.in_effect(today).values(),
                                             key=lambda v: v.id))
    document = start_document("shuttle_sheet_pdf", current_user,
                              cache_key=f"shuttle-sheet:{today}:{ids}", day=today.isoformat(),
                              locale="zh_CN")
    return progress_widget(document)


def _home_form(formdata=None) -> HomeForm:
    home = queries.home_of(current_user)
    data = {"district_id": home.district_id, "stop_id": home.stop_id or 0} if home else {}
    form = HomeForm(formdata=formdata, data=data)
    lang = current_lang()
    form.district_id.choices = [(0, "—")] + [(d.id, d.label(lang)) for d in queries.districts()]
    form.stop_id.choices = [(0, _("No preferred stop"))] + [
        (s.id, f"{s.name} · {s.district.label(lang)}") for s in queries.stops()]
    return form


@bp.route("/me", methods=["GET", "POST"])
def me():
    """My home district (never an address) and preferred stop; changes limited per month."""
    form = _home_form(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        stop = db.session.get(Stop, form.stop_id.data) if form.stop_id.data else None
        try:
            services.set_home(current_user, form.district_id.data, stop, local_today())
        except Refused as error:
            form.district_id.errors = [error.message]
        else:
            db.session.commit()
            flash(_("Saved: your home district and stop."), "success")
            return see_other(url_for("shuttle.index"))
    status = 422 if form.errors else 200
    return render("shuttle/me.html", None, form=form, home=queries.home_of(current_user),
                  limit=queries.settings().home_changes_per_month), status


from portal.blueprints.shuttle import asks, coverage, late, manage  # noqa: E402,F401
