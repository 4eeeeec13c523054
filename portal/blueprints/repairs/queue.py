"""The facilities queue: filters, sort, bulk assign; htmx refreshes only the results."""

from flask import flash, get_template_attribute, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.repairs import queries, services
from portal.blueprints.repairs.models import RepairSettings
from portal.blueprints.repairs.routes import bp
from portal.converters import db_int
from portal.cookies import csrf_token
from portal.extensions import db
from portal.htmx import is_htmx, render, see_other
from portal.keys import plain
from portal.security import role_required
from portal.templating import fill, hole, kept, kept_render, with_holes
from portal.timeutil import utcnow

CARD, FILTERS, ROOMS, FORMS = ("repairs/_queue_card.html", "repairs/_queue_filters.html",
                               "repairs/_room_filter.html", "repairs/_queue_forms.html")


def _less_the_id(endpoint: str) -> str:
    """The request's URL at `endpoint` with a hole where its id goes (the id is its one "/0/")."""
    before, _zero, after = url_for(endpoint, request_id=0).rpartition("/0/")
    return f"{before}/{hole('id')}/{after}"


def _kept_parts() -> dict:
    """What the queue's page shares in its language, built once per language and script root:
    the card, filters and room filter macros, the queue's URL, the request page's less its id,
    and the forms with holes (a request's id, the signed-in person's id, the bulk form's
    fields, the CSRF token)."""
    def build() -> dict:
        request_id = hole("id")
        return {
            "card": get_template_attribute(CARD, "repair_card"),
            "filter_form": get_template_attribute(FILTERS, "filter_form"),
            "room_filter": get_template_attribute(ROOMS, "room_filter"),
            "queue_url": url_for("repairs.queue"),
            "detail_url": url_for("repairs.detail", request_id=0)[:-1],
            "accept": with_holes(lambda: get_template_attribute(FORMS, "accept_form")(
                _less_the_id("repairs.accept"), request_id, hole("me"))),
            "start": with_holes(lambda: get_template_attribute(FORMS, "start_form")(
                _less_the_id("repairs.start"), request_id)),
            "bulk": with_holes(lambda: get_template_attribute(FORMS, "bulk_form")(
                url_for("repairs.bulk_assign"), hole("fields"))),
        }

    return kept(("repairs_queue_parts", str(get_locale()), request.script_root), build)


class QueueParts:
    """What the queue's page shares, filled in once per request rather than once per card:
    the queue's URL and the request page's less its id, the forms with this request's CSRF
    token (the quick buttons' less the request's id). The macros are kept, built without
    context (an import would build their file again at every request), so they take these and
    the page's texts as arguments: `{{ parts.card(card, steps, now, t) }}`."""

    __slots__ = ("_me", "queue_url", "detail_url", "_kept", "_values", "_accept", "_start")

    def __init__(self):
        self._kept = kept_parts = _kept_parts()
        self._me = current_user.id
        self._values = {"id": hole("id"), "me": escape(self._me), "csrf": escape(csrf_token())}
        # A card's forms keep their token as a hole: the card's render is kept (see card).
        card_values = {**self._values, "csrf": hole("csrf")}
        self.queue_url, self.detail_url = kept_parts["queue_url"], kept_parts["detail_url"]
        self._accept = fill(kept_parts["accept"], card_values).split(hole("id"))
        self._start = fill(kept_parts["start"], card_values).split(hole("id"))

    def card(self, card: queries.Card, steps: list[str], now, t, message: str = "") -> Markup:
        """The card's render, kept by everything it shows (its columns, whether it is overdue,
        my steps, the message; me, in the accept form; the language), the token a hole."""
        key = ("repairs_card", plain(card.shown()), card.is_overdue(now), tuple(steps), message,
               self._me)
        return kept_render(key, lambda: self._kept["card"](card, steps, now, self, t, message))

    def filter_form(self, filters: queries.QueueFilters, buildings: list[str], rooms: dict,
                    technicians: list, t) -> Markup:
        """The filters' render, kept by its every input (the choices are read with the page)."""
        key = ("repairs_filters", plain(filters.args(page=0)), plain(buildings), plain(rooms),
               plain(technicians))
        return kept_render(key, lambda: self._kept["filter_form"](
            filters, buildings, rooms, technicians, t, self))

    def room_filter(self, rooms: dict, filters: queries.QueueFilters, t,
                    oob: bool = False) -> Markup:
        return self._kept["room_filter"](rooms, filters, t, oob)

    def accept_form(self, request_id: int) -> Markup:
        return Markup(str(request_id).join(self._accept))

    def start_form(self, request_id: int) -> Markup:
        return Markup(str(request_id).join(self._start))

    def bulk_form(self, fields: Markup) -> Markup:
        return fill(self._kept["bulk"], {**self._values, "fields": fields})


bp.add_app_template_global(QueueParts, "queue_parts")


@bp.app_template_global("repair_options")
def option_tags(choices, chosen) -> Markup:
    """`<option>`s of (value, label) pairs, the one whose value reads as `chosen` selected: one
    join instead of a template loop (the queue's filters offer some fifty options)."""
    chosen = str(chosen)
    return Markup("".join(
        f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
        f'{escape(label)}</option>' for value, label in choices))


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
        technicians=queries.technicians(), redraw_rooms=redraw_rooms, parts=QueueParts(),
    )


@bp.get("/queue")
@reads_who_only(apart=True)  # the person and the queue's reads on one connection
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
