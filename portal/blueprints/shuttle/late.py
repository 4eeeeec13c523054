"""Tonight's late run after overtime: book a seat before the cut-off, cancel, the driver's list.

A seat is for someone who recorded tonight's overtime (the overtime module); the page says so
and links to where overtime is recorded.
"""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.overtime import shuttle as overtime
from portal.blueprints.pwa.outbox import outbox
from portal.blueprints.shuttle import queries, services
from portal.blueprints.shuttle.access import EDITORS, get_route
from portal.blueprints.shuttle.forms import BookForm
from portal.blueprints.shuttle.models import LATE
from portal.blueprints.shuttle.routes import bp
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import render, see_other
from portal.security import role_required
from portal.timeutil import local_now


def _tonight(now) -> list[dict]:
    """The late runs that run tonight, with their stops and seats left."""
    today = now.date()
    routes = queries.late_routes()
    versions = queries.in_effect(today, [r.id for r in routes])
    taken = queries.booked(list(versions), today)
    runs = []
    for route in routes:
        version = versions.get(route.id)
        if version is None or not queries.service_days(route, today, today)[0].runs:
            continue
        runs.append({"route": route, "version": version,
                     "left": max(version.seats - taken.get(route.id, 0), 0)})
    return runs


def _page(form: BookForm | None = None, error_route: int | None = None, status: int = 200):
    now = local_now()
    runs = _tonight(now)
    forms = {}
    for run in runs:
        mine = form if form is not None and error_route == run["route"].id else None
        run_form = mine or BookForm(formdata=None, route_id=str(run["route"].id))
        run_form.stop_id.choices = [(t.stop_id, f"{t.time} {t.stop.name}")
                                    for t in run["version"].times]
        forms[run["route"].id] = run_form
    cutoff = services.cutoff_of(now.date(), now.tzinfo)
    return render("shuttle/late.html", None, runs=runs, forms=forms, now=now, cutoff=cutoff,
                  open=now < cutoff, booking=queries.booking_of(current_user, now.date()),
                  worked_late=overtime.has_record_on(current_user, now.date()),
                  editor=current_user.has_role(*EDITORS)), status


@bp.get("/late")
def late():
    """Tonight's late runs, seats left, my seat."""
    return _page()


@bp.post("/late/book")
@outbox
def book():
    """Book a seat on tonight's late run, before the cut-off."""
    form = BookForm()
    route_id = int(form.route_id.data) if (form.route_id.data or "").isdigit() else 0
    route = get_route(route_id)
    if route.direction != LATE:
        abort(404)
    form.stop_id.choices = [(int(v), "") for v in request.form.getlist("stop_id") if v.isdigit()]
    if form.validate_on_submit():
        try:
            booking = services.book_late(current_user, route, form.stop_id.data, local_now())
        except Refused as error:
            db.session.rollback()
            form.stop_id.errors = [error.message]
        else:
            db.session.commit()
            flash(_("Seat %(seat)s is yours on %(route)s tonight.", seat=booking.seat,
                    route=route.name), "success")
            return see_other(url_for("shuttle.late"))
    return _page(form, route.id, status=422)


@bp.post("/late/cancel")
@outbox
def cancel():
    """Give tonight's seat back."""
    try:
        services.cancel_late(current_user, local_now().date())
    except Refused as error:
        flash(error.message, "error")
        return see_other(url_for("shuttle.late"))
    db.session.commit()
    flash(_("Your seat is cancelled; someone else can take it."), "success")
    return see_other(url_for("shuttle.late"))


@bp.get("/late/<int:route_id>/passengers")
@role_required(*EDITORS)
def passengers(route_id: int):
    """The driver's list for tonight: names and stops only (no phone numbers), to print."""
    route = get_route(route_id)
    if route.direction != LATE:
        abort(404)
    now = local_now()
    return render("shuttle/passengers.html", None, route=route, now=now,
                  bookings=queries.passengers(route, now.date()),
                  version=queries.version_on(route, now.date()))
