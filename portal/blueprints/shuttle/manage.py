"""Facilities at work: routes, drafts and publishing, exceptions, the stop list, settings."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import settings as portal_settings
from portal.blueprints.audit.services import record
from portal.blueprints.shuttle import queries, services
from portal.blueprints.shuttle.access import EDITORS, get_route
from portal.blueprints.shuttle.diff import diff
from portal.blueprints.shuttle.forms import (
    DistrictForm,
    DraftForm,
    ExceptionForm,
    PublishForm,
    RouteForm,
    SettingsForm,
    StopForm,
)
from portal.blueprints.shuttle.models import District, Route, ShuttleSettings, Stop
from portal.blueprints.shuttle.routes import bp
from portal.errors import Refused
from portal.extensions import db
from portal.forms import HHMM
from portal.htmx import render, see_other
from portal.security import role_required
from portal.templating import current_lang
from portal.timeutil import local_today


@bp.route("/manage", methods=["GET", "POST"])
@role_required(*EDITORS)
def manage():
    """Every route with its versions and draft; a new route."""
    form = RouteForm()
    if form.validate_on_submit():
        route = Route(name=form.name.data.strip(), direction=form.direction.data)
        try:
            with db.session.begin_nested():
                db.session.add(route)
        except IntegrityError:
            form.name.errors = [_("A route with this name exists.")]
        else:
            record("shuttle.route", f"shuttle_route:{route.id}", name=route.name)
            db.session.commit()
            return see_other(url_for("shuttle.draft", route_id=route.id))
    today = local_today()
    return render("shuttle/manage.html", None, form=form, routes=queries.routes(),
                  versions=queries.in_effect(today), today=today), 422 if form.errors else 200


def parse_stops(text: str, errors: list) -> list[tuple[Stop, str]]:
    """Lines "07:05 东门站" into (stop, time), in order; each problem named by its line."""
    known = {stop.name: stop for stop in queries.stops()}
    parsed, seen, last = [], set(), ""
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        hhmm, _sep, name = line.partition(" ")
        name = name.strip()
        if not HHMM.fullmatch(hhmm):
            errors.append(_("Line %(n)s: start with the time as HH:MM.", n=number))
        elif name not in known:
            errors.append(_("Line %(n)s: %(name)s is not in the stop list.", n=number, name=name))
        elif name in seen:
            errors.append(_("Line %(n)s: %(name)s is already on this route.", n=number,
                            name=name))
        elif hhmm < last:
            errors.append(_("Line %(n)s: times must not go backwards.", n=number))
        else:
            parsed.append((known[name], hhmm))
            seen.add(name)
            last = hhmm
    if len(parsed) < 2 and not errors:
        errors.append(_("A route needs at least two stops."))
    return parsed


def _draft_form(route: Route, formdata=None) -> DraftForm:
    source = queries.draft_of(route) or next(iter(queries.published_versions(route)), None)
    data = {}
    if source is not None:
        data = {"plate": source.plate, "seats": source.seats, "driver_name": source.driver_name,
                "driver_phone": source.driver_phone, "weekdays": list(source.weekdays),
                "stops": "\n".join(f"{t.time} {t.stop.name}" for t in source.times)}
    return DraftForm(formdata=formdata, data=data or {"seats": 45, "weekdays": list("12345")})


def _draft_page(route: Route, form: DraftForm, publish_form: PublishForm | None = None,
                status: int = 200, exception_form: ExceptionForm | None = None):
    draft = queries.draft_of(route)
    latest = next(iter(queries.published_versions(route)), None)
    today = local_today()
    publish_form = publish_form or PublishForm(formdata=None, effective_from=today)
    return render("shuttle/draft.html", None, route=route, form=form, draft=draft, latest=latest,
                  changes=diff(latest, draft) if draft else None, publish_form=publish_form,
                  exception_form=exception_form or ExceptionForm(formdata=None),
                  stops=queries.stops(),
                  notice_days=queries.settings().notice_days, lang=current_lang(),
                  exceptions=route.exceptions), status


@bp.route("/manage/routes/<int:route_id>/draft", methods=["GET", "POST"])
@role_required(*EDITORS)
def draft(route_id: int):
    """The route's draft: vehicle, driver, days and stops with times; published separately."""
    route = get_route(route_id)
    form = _draft_form(route, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate_on_submit():
        errors: list = []
        times = parse_stops(form.stops.data, errors)
        if errors:
            form.stops.errors = errors
        else:
            services.save_draft(services.open_draft(route), times, plate=form.plate.data.strip(),
                                seats=form.seats.data, driver_name=form.driver_name.data.strip(),
                                driver_phone=form.driver_phone.data.strip(),
                                weekdays="".join(sorted(form.weekdays.data)))
            db.session.commit()
            flash(_("Draft saved. Riders see it once it is published."), "success")
            return see_other(url_for("shuttle.draft", route_id=route.id))
    return _draft_page(route, form, status=422 if form.errors else 200)


@bp.post("/manage/routes/<int:route_id>/publish")
@role_required(*EDITORS)
def publish(route_id: int):
    """Publish the draft as a new version (a correction, or a service change with notice)."""
    route = get_route(route_id)
    form = PublishForm()
    draft = queries.draft_of(route)
    if form.validate_on_submit():
        if draft is None:
            form.kind.errors = [_("There is no draft to publish.")]
        else:
            today = local_today()
            try:
                if (services.notice_needed(form.kind.data, form.effective_from.data, today)
                        and not form.reason.data.strip()):
                    form.reason.errors = [services.short_notice_message()]
                    raise Refused(form.reason.errors[0])
                version = services.publish(draft, current_user, form.kind.data,
                                           form.effective_from.data, form.reason.data, today)
            except Refused as error:
                form.effective_from.errors = [] if form.reason.errors else [error.message]
            else:
                db.session.commit()
                flash(_("Version %(number)s published.", number=version.number), "success")
                return see_other(url_for("shuttle.history", route_id=route.id))
    return _draft_page(route, _draft_form(route), form, status=422)


@bp.post("/manage/routes/<int:route_id>/draft/discard")
@role_required(*EDITORS)
def discard_draft(route_id: int):
    """Throw the draft away: the next edit starts again from the published version."""
    route = get_route(route_id)
    services.discard_draft(route)
    db.session.commit()
    flash(_("Draft discarded."), "success")
    return see_other(url_for("shuttle.draft", route_id=route.id))


@bp.post("/manage/routes/<int:route_id>/exceptions")
@role_required(*EDITORS)
def add_exception(route_id: int):
    """A day this route runs or not, whatever its weekdays and the company calendar say."""
    route = get_route(route_id)
    form = ExceptionForm()
    if form.validate_on_submit():
        services.add_exception(route, form.day.data, form.runs.data == "1", form.note.data)
        db.session.commit()
        flash(_("Exception saved."), "success")
        return see_other(url_for("shuttle.draft", route_id=route.id, _anchor="exceptions"))
    return _draft_page(route, _draft_form(route), status=422, exception_form=form)


@bp.route("/manage/stops", methods=["GET", "POST"])
@role_required(*EDITORS)
def stops():
    """The stop list shared by every route, and the office's districts."""
    lang = current_lang()
    stop_form = StopForm(prefix="stop")
    district_form = DistrictForm(prefix="district")
    stop_form.district_id.choices = [(d.id, d.label(lang)) for d in queries.districts()]
    if request.method == "POST":
        saved = _save_stop(stop_form) if "stop-name" in request.form else _save_district(
            district_form)
        if saved:
            db.session.commit()
            flash(_("Saved."), "success")
            return see_other(url_for("shuttle.stops"))
    status = 422 if stop_form.errors or district_form.errors else 200
    return render("shuttle/stops.html", None, stop_form=stop_form, district_form=district_form,
                  stops=queries.stops(), districts=queries.districts(), lang=lang), status


def _save_stop(form: StopForm) -> bool:
    if not form.validate_on_submit():
        return False
    name = form.name.data.strip()
    if db.session.scalar(select(Stop.id).where(Stop.name == name)):
        form.name.errors = [_("A stop with this name exists.")]
        return False
    db.session.add(Stop(name=name, district_id=form.district_id.data,
                        note=form.note.data.strip()))
    record("shuttle.stop", "shuttle_stops", name=name)
    return True


def _save_district(form: DistrictForm) -> bool:
    if not form.validate_on_submit():
        return False
    name = form.name.data.strip()
    if db.session.scalar(select(District.id).where(District.name == name)):
        form.name.errors = [_("A district with this name exists.")]
        return False
    db.session.add(District(name=name, name_en=form.name_en.data.strip(),
                            position=len(queries.districts())))
    record("shuttle.district", "shuttle_districts", name=name)
    return True


@bp.route("/manage/settings", methods=["GET", "POST"])
@role_required(*EDITORS)
def shuttle_settings():
    """Notice days, the late-run cut-off and home changes a month."""
    current = queries.settings()
    form = SettingsForm(obj=current)
    if form.validate_on_submit():
        portal_settings.save_settings(ShuttleSettings, "shuttle.settings",
                                      notice_days=form.notice_days.data,
                                      late_cutoff=form.late_cutoff.data,
                                      home_changes_per_month=form.home_changes_per_month.data)
        db.session.commit()
        flash(_("Settings saved."), "success")
        return see_other(url_for("shuttle.shuttle_settings"))
    return render("shuttle/settings.html", None, form=form), 422 if form.errors else 200

