"""Visits 客户接待 for hosts: my visits, pre-registering one, its page, moving, cancelling.

The front desk, the visitor log and the office's settings are in desk.py; they add to this
blueprint.
"""

from datetime import timedelta

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.models import User, UserRole
from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.meetings import queries as meeting_queries
from portal.blueprints.meetings.models import Room
from portal.blueprints.visitors import checklist, invitations, queries, services
from portal.blueprints.visitors.forms import MoveForm, VisitForm, local
from portal.blueprints.visitors.models import ID_TYPES, MEALS, STATUSES
from portal.blueprints.visitors.pages import back
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import see_other
from portal.i18n import Translated
from portal.keys import plain
from portal.templating import kept_page
from portal.timeutil import to_local, utcnow

bp = Blueprint("visitors", __name__, url_prefix="/visitors", template_folder="templates")


bp.add_app_template_global(Translated(STATUSES), "visit_statuses")
bp.add_app_template_global(MEALS, "visit_meals")
bp.add_app_template_global(ID_TYPES, "visit_id_types")
bp.add_app_template_global(services.mask, "mask_mobile")


@bp.get("/")
@reads_who_only(apart=True)  # the person and the list on one connection, outside the ORM
def index():
    """My visits from today on (the host's list), kept per its rows and whether I work at the
    desk (its links)."""
    visits = queries.my_visits(current_user, utcnow() - timedelta(hours=12))
    at_desk = services.desk(current_user)
    return kept_page("visitors/index.html",
                     ("visitors", at_desk, plain(visits)),
                     lambda: dict(visits=visits, desk=at_desk))


def _reception_choices() -> list[tuple[int, str]]:
    people = db.session.scalars(select(User).join(UserRole, UserRole.user_id == User.id).where(
        UserRole.role == "reception", User.active.is_(True)).order_by(User.name))
    return [(p.id, p.name) for p in people] or [(current_user.id, current_user.name)]


def _visit_form() -> VisitForm:
    form = VisitForm()
    form.reception_id.choices = _reception_choices()
    form.room_id.choices = [(0, "—")] + [(r.id, f"{r.name} · {r.capacity}")
                                         for r in meeting_queries.rooms()
                                         if r.bookable_by(current_user)]
    return form


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Pre-register a visit: who comes, when, the room, what to prepare, the meals."""
    form = _visit_form()
    ask_id = queries.settings().ask_id_type
    if form.validate_on_submit():
        id_type = form.id_type.data if ask_id and form.id_type.data in ID_TYPES else ""
        for guest in form.parsed_guests:
            guest.id_type = id_type
        plan = services.Plan(
            purpose=form.purpose.data, arrives_at=local(form.arrives_at.data),
            departs_at=local(form.departs_at.data), guests=form.parsed_guests,
            reception=db.session.get(User, form.reception_id.data),
            room=db.session.get(Room, form.room_id.data) if form.room_id.data else None,
            room_until=local(form.room_until.data) if form.room_until.data else None,
            materials=form.parsed_materials, meals=form.meal_rows(), notes=form.notes.data or "")
        try:
            visit = services.register(current_user, plan)
        except Refused as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            return render_template("visitors/new.html", form=form, ask_id=ask_id), 409
        db.session.commit()
        invitations.send(visit)
        flash(_("Visit %(number)s is registered; its checklist is with its owners.",
                number=visit.number), "success")
        return see_other(url_for("visitors.detail", visit_id=visit.id))
    status = 422 if form.errors else 200
    return render_template("visitors/new.html", form=form, ask_id=ask_id), status


def detail_page(visit, status: int = 200, move_form: MoveForm | None = None):
    move_form = move_form or MoveForm(formdata=None,
                                      arrives_at=to_local(visit.arrives_at).replace(tzinfo=None),
                                      departs_at=to_local(visit.departs_at).replace(tzinfo=None))
    return render_template(
        "visitors/detail.html", visit=visit, steps=checklist.visit_tasks(visit),
        phones=services.sees_phones(visit, current_user), move_form=move_form,
        can_change=services.can_change(visit, current_user),
        desk=current_user.has_role("reception")), status


@bp.get("/<int:visit_id>")
def detail(visit_id: int):
    """The visit: visitors (phones masked unless host or reception), steps, room, meals."""
    return detail_page(queries.get_visit(visit_id, current_user))


@bp.post("/<int:visit_id>/move")
def move(visit_id: int):
    """A new arrival: the room, each step's due time and the meals move with it."""
    visit = queries.get_visit(visit_id, current_user)
    form = MoveForm()
    if not form.validate_on_submit():
        return detail_page(visit, 422, move_form=form)
    try:
        services.move(visit, current_user, local(form.arrives_at.data),
                      local(form.departs_at.data))
    except Refused as error:
        db.session.rollback()
        form.arrives_at.errors = [error.message]
        return detail_page(queries.get_visit(visit_id, current_user), 409, move_form=form)
    db.session.commit()
    invitations.send(visit, "moved")
    return back(visit, _("The visit is moved; its steps and room moved with it."))


@bp.post("/<int:visit_id>/cancel")
def cancel(visit_id: int):
    """Cancel: the steps, the room booking and the meals go with it."""
    visit = queries.get_visit(visit_id, current_user)
    try:
        services.cancel(visit, current_user)
    except Refused as error:
        db.session.rollback()
        return back(visit, str(error.message), "error")
    db.session.commit()
    invitations.send(visit, visit.status)
    return back(visit, _("The visit is cancelled."))


from portal.blueprints.visitors import desk  # noqa: E402,F401  (its views add to bp)
