"""The facilities queue: filters, sort, bulk assign; htmx refreshes only the results."""

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.blueprints.accounts.models import User
from portal.blueprints.repairs import queries, services
from portal.blueprints.repairs.models import RepairSettings
from portal.blueprints.repairs.routes import bp
from portal.converters import db_int
from portal.extensions import db
from portal.htmx import is_htmx, render, see_other
from portal.security import role_required
from portal.timeutil import utcnow


def _queue_page(filters: queries.QueueFilters, redraw_rooms: bool = False):
    now = utcnow()
    queries.drop_room_outside_building(filters)
    me = current_user._get_current_object()  # asked about once a card: not through the proxy
    rows, total, lead_id = queries.queue(filters, me, now)
    settings = RepairSettings(lead_id=lead_id)  # what the cards' steps need, read with them
    steps = {row.id: services.next_steps(row, me, settings) for row in rows}
    return render(
        "repairs/queue.html", "results", rows=rows, steps_of=steps, total=total, filters=filters,
        now=now,
        pages=max(1, -(-total // queries.PAGE_SIZE)),
        buildings=queries.buildings(), rooms=queries.room_choices(filters.building),
        technicians=queries.technicians(), redraw_rooms=redraw_rooms,
    )


@bp.get("/queue")
@role_required("facilities", "office")
def queue():
    """Every open request, most urgent target first; filters and sort in the query string."""
    filters = queries.QueueFilters.from_args(request.args)
    # The building changed under htmx: the room filter comes along, narrowed to it.
    redraw = is_htmx() and request.args.get("rooms_for", "") != filters.building
    return _queue_page(filters, redraw_rooms=redraw)


@bp.post("/queue/assign")
@role_required("facilities")
def bulk_assign():
    """Give the ticked requests to one technician; returns the refreshed results to htmx."""
    filters = queries.QueueFilters.from_args(request.form)
    ids = [int(i) for i in request.form.getlist("ids") if i.isdigit()]
    technician = db.session.get(User, request.form.get("assignee_id", 0, type=db_int))
    if technician is None or not technician.has_role("facilities") or not ids:
        flash(_("Tick at least one request and choose a technician."), "error")
    else:
        done = services.bulk_assign(current_user, ids, technician)
        db.session.commit()
        flash(ngettext("%(num)d request assigned to %(name)s.",
                       "%(num)d requests assigned to %(name)s.", done, name=technician.name),
              "success")
    if is_htmx():
        return _queue_page(filters)
    return see_other(url_for("repairs.queue", **filters.args()))
