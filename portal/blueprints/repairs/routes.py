"""Repair requests 报修: filing a request and following it through its workflow.

Facilities pages (queue, places, rota, settings, figures) are in manage.py and figures.py;
they register their views on the same blueprint.
"""

from types import SimpleNamespace

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.pwa.outbox import outbox
from portal.blueprints.repairs import calendars, queries, services
from portal.blueprints.repairs.forms import (
    AssignForm,
    RatingForm,
    ReopenForm,
    RequestForm,
    ResolveForm,
)
from portal.blueprints.repairs.models import LABELS, SUBMITTED, Asset, RepairPhoto
from portal.converters import db_int
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import is_fragment_request, is_htmx, render, see_other
from portal.i18n import Translated
from portal.keys import plain
from portal.security import role_required
from portal.templating import kept_page, when_text
from portal.timeutil import utcnow
from portal.uploads import PhotoError, chosen, max_mb, read_upload, read_uploads

bp = Blueprint("repairs", __name__, url_prefix="/repairs", template_folder="templates")


# One namespaced global: the module's translated labels, for its pages, panels and PDFs.
# Translated once per language, not once per card (the queue shows three labels a card).
bp.add_app_template_global(SimpleNamespace(**{name: Translated(labels) for name, labels
                                              in vars(LABELS).items()}), "repair_labels")


@bp.get("/")
@reads_who_only(apart=True)  # the person and the lists on one connection, outside the ORM
def index():
    """My requests, and those of the department I head.

    The page is kept per its rows, which of them are overdue now, and my roles (the
    sub-navigation)."""
    now = utcnow()
    mine = queries.my_requests(current_user)
    department = queries.department_requests(current_user)
    overdue = tuple(repair.is_overdue(now) for repair in (*mine, *department))
    key = ("repairs", tuple(sorted(current_user.roles)), plain(mine), plain(department), overdue)
    return kept_page("repairs/index.html", key,
                     lambda: dict(mine=mine, department=department, now=now))


def _request_form() -> RequestForm:
    # Pre-filled from a QR label (?location=&asset=) on GET; from the posted form otherwise.
    form = RequestForm(location_id=request.args.get("location", 0, type=db_int),
                       asset_id=request.args.get("asset", 0, type=db_int))
    groups = queries.location_choices()
    form.location_id.choices = [(0, "")] + [c for rooms in groups.values() for c in rooms]
    form.asset_id.choices = [(0, _("— none —"))] + queries.asset_choices(form.location_id.data)
    if form.asset_id.data and request.method == "GET":
        asset = db.session.get(Asset, form.asset_id.data)
        if asset is not None and asset.category in dict(form.category.choices):
            form.category.data = asset.category
    return form


@bp.route("/new", methods=["GET", "POST"])
@outbox
def new():
    """The request form, phone first; a QR label opens it with the room (and device) filled in."""
    form = _request_form()
    if form.validate_on_submit():
        try:
            photos = read_uploads(form.photos.data)
        except PhotoError as error:
            form.photos.errors.append(str(error))
            photos = None
        if not services.check_asset_location(form.data):
            form.asset_id.errors.append(_("This device is not in the chosen room."))
        elif photos is not None:
            repair = services.submit_request(current_user, form.data, photos)
            db.session.commit()
            _flash_when_looked_at(repair)
            return see_other(url_for("repairs.detail", request_id=repair.id))
    status = 422 if form.errors else 200
    # A browser cannot put chosen files back into a re-shown form: say so beside the field.
    photos_again = status == 422 and chosen(form.photos.data)
    return render("repairs/new.html", form=form, groups=queries.location_choices(),
                  photos_again=photos_again, max_mb=max_mb(), lab_targets=_lab_targets()), status


def duration_text(minutes: int) -> str:
    """A target in words: 30 分钟, 4 小时, 1 小时 30 分钟 / 30 minutes, 4 hours, 1 h 30 min."""
    hours, rest = divmod(minutes, 60)
    if not rest:
        return ngettext("%(num)d hour", "%(num)d hours", hours)
    if not hours:
        return ngettext("%(num)d minute", "%(num)d minutes", rest)
    return _("%(hours)d h %(minutes)d min", hours=hours, minutes=rest)


def _lab_targets() -> str:
    """The lab channel's response targets, most urgent first, e.g. 紧急 30 分钟、一般 1 小时…"""
    parts = [_("%(urgency)s %(time)s", urgency=LABELS.urgencies[urgency],
               time=duration_text(calendars.target_minutes("lab", urgency)[0]))
             for urgency in ("urgent", "normal", "low")]
    return _(", ").join(parts)


def _flash_when_looked_at(repair) -> None:
    flash(_("Request %(number)s received.", number=repair.number), "success")
    when = calendars.looked_at_from(repair.category, repair.created_at)
    if when is not None:
        flash(_("It is outside office hours: your request will be looked at from %(time)s.",
                time=when_text(when)), "info")


@bp.get("/new/assets")
def asset_options():
    """The device select for the chosen room (htmx swaps it when the room changes)."""
    if not is_fragment_request():  # opened as a page: show the whole form for that room
        return redirect(url_for("repairs.new", location=request.args.get("location_id", "")))
    form = _request_form()
    form.asset_id.choices = [(0, _("— none —"))] + queries.asset_choices(
        request.args.get("location_id", 0, type=db_int))
    return render("repairs/new.html", "asset_field", form=form)


@bp.get("/<int:request_id>")
def detail(request_id: int):
    """One request: what, where, status, timeline, and the next step for whoever may take it."""
    repair = queries.get_request(request_id, for_user=current_user)
    return _detail_page(repair)


def _detail_page(repair, status: int = 200, **forms):
    assign_form = forms.get("assign_form") or AssignForm(assignee_id=current_user.id)
    assign_form.assignee_id.choices = [(u.id, u.name) for u in queries.technicians()]
    page = render_template(
        "repairs/detail.html", repair=repair, now=utcnow(), assign_form=assign_form,
        resolve_form=forms.get("resolve_form") or ResolveForm(),
        reopen_form=forms.get("reopen_form") or ReopenForm(),
        rating_form=forms.get("rating_form") or RatingForm(),
        steps=services.next_steps(repair, current_user),
        looked_at=_looked_at_text(repair), max_mb=max_mb(), on_duty_text=_on_duty_text(repair),
        photo_again=forms.get("photo_again", False),
    )
    return page, status


def _looked_at_text(repair) -> str:
    when = calendars.looked_at_from(repair.category, repair.created_at)
    return when_text(when) if when is not None else ""


def _on_duty_text(repair) -> str:
    """For the requester of a lab request not yet answered: who has it, told, and by when."""
    if not (repair.is_lab and repair.status == SUBMITTED
            and repair.requester_id == current_user.id):
        return ""
    when = when_text(repair.response_due)
    if repair.assignee is not None:
        return _("%(name)s, the technician on duty, has your request and has been told: "
                 "they will respond by %(time)s.", name=repair.assignee.name, time=when)
    told = next((e.note for e in repair.events if e.action == "no_one_on_duty"), "")
    return _("Nobody was on duty, so %(names)s has been told instead: a response is due by "
             "%(time)s.", names=told, time=when)


@bp.get("/photos/<int:photo_id>")
def photo(photo_id: int):
    """A photo, only for those who may see its request."""
    item = db.get_or_404(RepairPhoto, photo_id)
    queries.get_request(item.request_id, for_user=current_user)
    return Response(item.content, mimetype=item.mimetype,
                    headers={"Cache-Control": "private, max-age=86400"})


def _card(repair, message: str = ""):
    """The request's queue card, with the steps open to me now."""
    return render("repairs/_card.html", card=queries.Card.of(repair), now=utcnow(),
                  message=message, steps=services.next_steps(repair, current_user))


def _done(repair, message: str):
    """After a step: the queue card for htmx (the queue's buttons), else back to the request."""
    db.session.commit()
    if is_htmx():
        return _card(repair)
    flash(message, "success")
    return see_other(url_for("repairs.detail", request_id=repair.id))


def _conflict(repair, refused: Refused):
    """A step the request's state no longer allows: the card or the page says why."""
    message = refused.message
    if is_htmx():  # the swapped card carries the message; a flash would surface elsewhere later
        return _card(repair, message), 409
    flash(message, "error")
    return see_other(url_for("repairs.detail", request_id=repair.id))


@bp.post("/<int:request_id>/accept")
@role_required("facilities")
def accept(request_id: int):
    """Take a submitted request on (for oneself, or for the technician chosen)."""
    repair = queries.get_request(request_id, for_user=current_user)
    form = AssignForm(assignee_id=current_user.id)
    form.assignee_id.choices = [(u.id, u.name) for u in queries.technicians()]
    if not form.validate_on_submit():
        return _detail_page(repair, 422, assign_form=form)
    try:
        services.assign(repair, current_user, db.session.get(User, form.assignee_id.data))
    except Refused as refused:
        return _conflict(repair, refused)
    return _done(repair, _("Accepted."))


@bp.post("/<int:request_id>/start")
@role_required("facilities")
def start(request_id: int):
    """The assigned technician starts work."""
    repair = queries.get_request(request_id, for_user=current_user)
    if not services.can_work_on(repair, current_user):
        abort(403)
    try:
        services.start(repair, current_user)
    except Refused as refused:
        return _conflict(repair, refused)
    return _done(repair, _("Work started."))


@bp.post("/<int:request_id>/resolve")
@role_required("facilities")
@outbox
def resolve(request_id: int):
    """The technician says what was done, optionally with a photo of the fix."""
    repair = queries.get_request(request_id, for_user=current_user)
    if not services.can_work_on(repair, current_user):
        abort(403)
    if not services.step_possible(repair, "resolve"):
        return _conflict(repair, services.refusal(repair))
    form = ResolveForm()
    if form.validate_on_submit():
        try:
            fix = read_upload(form.photo.data)
            services.resolve(repair, current_user, form.resolution.data, fix)
            return _done(repair, _("Marked as fixed. The requester is asked to confirm."))
        except PhotoError as error:
            form.photo.errors.append(str(error))
        except Refused as refused:
            return _conflict(repair, refused)
    return _detail_page(repair, 422, resolve_form=form, photo_again=chosen([form.photo.data]))


def _own_request(request_id: int):
    repair = queries.get_request(request_id, for_user=current_user)
    if repair.requester_id != current_user.id:
        abort(403)
    return repair


@bp.post("/<int:request_id>/confirm")
def confirm(request_id: int):
    """The requester confirms the fix."""
    repair = _own_request(request_id)
    try:
        services.confirm(repair, current_user)
    except Refused as refused:
        return _conflict(repair, refused)
    return _done(repair, _("Thank you. The request is closed."))


@bp.post("/<int:request_id>/reopen")
@outbox
def reopen(request_id: int):
    """The requester says it is not fixed, and why."""
    repair = _own_request(request_id)
    if not services.step_possible(repair, "reopen"):
        return _conflict(repair, services.refusal(repair))
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen(repair, current_user, form.reason.data)
        except Refused as refused:
            return _conflict(repair, refused)
        return _done(repair, _("Reopened. The technician has been told."))
    return _detail_page(repair, 422, reopen_form=form)


@bp.post("/<int:request_id>/rate")
@outbox
def rate(request_id: int):
    """The requester rates the fix, once."""
    repair = _own_request(request_id)
    if not services.step_possible(repair, "rate"):
        return _conflict(repair, services.refusal(repair))
    form = RatingForm()
    if form.validate_on_submit():
        try:
            services.rate(repair, current_user, form.rating.data, form.comment.data)
        except Refused as refused:
            return _conflict(repair, refused)
        return _done(repair, _("Thank you for your rating."))
    return _detail_page(repair, 422, rating_form=form)


# The facilities pages register their views on `bp` (kept in their own files for length).
from portal.blueprints.repairs import figures, manage, queue, settings, texts  # noqa: E402,F401
