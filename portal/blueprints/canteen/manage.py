"""The canteen team's views: edit a week (htmx regions per meal), the dish library, settings."""

from datetime import date, timedelta

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.canteen import queries, services
from portal.blueprints.canteen.forms import DayForm, DishForm, SettingsForm
from portal.blueprints.canteen.models import MEALS, Dish, MenuItem
from portal.blueprints.canteen.routes import bp
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import is_htmx, render, see_other
from portal.security import role_required
from portal.timeutil import local_today, monday_of

EDITORS = services.EDITORS


def _monday(day: date) -> date:
    """A week is addressed by its Monday; any other day in that place is a wrong URL."""
    if day.weekday() != 0:
        abort(404)
    return day


def _editor_context(monday: date) -> dict:
    week = queries.week_of(monday)
    return {"monday": monday, "week": week, "days": queries.week_days(week, monday),
            "steps": services.next_steps(week, current_user),
            "meals": MEALS, "library": queries.library(), "today": local_today(),
            "prev_week": monday - timedelta(days=7), "next_week": monday + timedelta(days=7)}


@bp.get("/manage")
@role_required(*EDITORS)
def manage():
    """Start at next week: that is the one the canteen prepares."""
    monday = monday_of(local_today()) + timedelta(days=7)
    return redirect(url_for("canteen.edit_week", monday=monday))


@bp.get("/manage/<date:monday>")
@role_required(*EDITORS)
def edit_week(monday: date):
    """The week as a grid of days x meals, each meal editable in place."""
    return render("canteen/edit_week.html", None, **_editor_context(_monday(monday)))


def _meal_response(monday: date, day: date, meal: str, error: str | None = None,
                   typed: str = ""):
    """The meal's region for htmx, or the week for a plain form.

    A refused dish comes back with the message beside the field and the name still typed in
    it: the whole week (422) for a plain form, only that meal for htmx.
    """
    if not is_htmx() and not error:
        return see_other(url_for("canteen.edit_week", monday=monday.isoformat(),
                                 _anchor=f"meal-{day}-{meal}"))
    context = _editor_context(monday)
    context.update(error=error, typed=typed, error_at=(day, meal))
    if not is_htmx():
        return render("canteen/edit_week.html", None, **context), 422
    menu = next(d for d in context["days"] if d.day == day)
    response = render("canteen/edit_week.html", "meal", menu=menu, meal=meal, **context)
    return response, 422 if error else 200


@bp.post("/manage/<date:monday>/<date:day>/<meal>/add")
@role_required(*EDITORS)
def add_item(monday: date, day: date, meal: str):
    """Add a library dish to one meal (picked by name from the library list)."""
    week_start = _monday(monday)
    served = _day_of_week(week_start, day)
    if meal not in MEALS:
        abort(404)
    name = request.form.get("dish", "").strip()
    dish = db.session.scalar(select(Dish).where(Dish.name_zh == name)) if name else None
    if dish is None:
        return _meal_response(week_start, served, meal,
                              _("Pick a dish from the library (add new dishes there first)."),
                              typed=name)
    try:
        services.add_item(services.get_or_create_week(week_start), served, meal, dish)
    except Refused as error:
        db.session.rollback()
        return _meal_response(week_start, served, meal, str(error), typed=name)
    db.session.commit()
    return _meal_response(week_start, served, meal)


def _day_of_week(monday: date, day: date) -> date:
    """`day` if it is in the week starting `monday`; else 404, like a wrong URL."""
    if not monday <= day < monday + timedelta(days=7):
        abort(404)
    return day


@bp.post("/items/<int:item_id>/remove")
@role_required(*EDITORS)
def remove_item(item_id: int):
    """Take a dish off its meal."""
    item = db.get_or_404(MenuItem, item_id)
    monday, day, meal = item.week.monday, item.day, item.meal
    services.remove_item(item)
    db.session.commit()
    return _meal_response(monday, day, meal)


@bp.post("/items/<int:item_id>/up")
@bp.post("/items/<int:item_id>/down", endpoint="move_down")
@role_required(*EDITORS)
def move_up(item_id: int):
    """Move a dish one place up (or down, by the URL) within its meal."""
    item = db.get_or_404(MenuItem, item_id)
    services.move_item(item, 1 if request.path.endswith("/down") else -1)
    db.session.commit()
    return _meal_response(item.week.monday, item.day, item.meal)


@bp.post("/manage/<date:monday>/<date:day>/state")
@role_required(*EDITORS)
def day_state(monday: date, day: date):
    """Mark a day closed or a holiday, with a note."""
    week_start = _monday(monday)
    served = _day_of_week(week_start, day)
    form = DayForm()
    if form.validate_on_submit():
        services.set_day(services.get_or_create_week(week_start), served, form.closed.data,
                         form.holiday.data, form.note.data or "")
        db.session.commit()
        flash(_("Saved."), "success")
    return see_other(url_for("canteen.edit_week", monday=monday, _anchor=f"day-{day}"))


@bp.post("/manage/<date:monday>/copy")
@role_required(*EDITORS)
def copy_week(monday: date):
    """Start this week from last week's dishes."""
    week = services.get_or_create_week(_monday(monday))
    try:
        count = services.copy_previous_week(week)
    except Refused as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(num)d dishes copied from last week.", num=count), "success")
    return see_other(url_for("canteen.edit_week", monday=monday))


@bp.post("/manage/<date:monday>/publish")
@role_required(*EDITORS)
def publish(monday: date):
    """Publish the week: employees see it from now on.

    Days with no dish that are not marked closed are shown first, with the offer to mark them
    closed (empty_days=close) or to publish them as they are (empty_days=keep).
    """
    week = services.get_or_create_week(_monday(monday))
    empty = queries.empty_open_days(week) if week.items else []
    choice = request.form.get("empty_days")
    if empty and choice not in ("close", "keep"):
        db.session.rollback()
        return render("canteen/edit_week.html", None, empty_days=empty,
                      **_editor_context(week.monday))
    if empty and choice == "close":
        for day in empty:
            services.set_day(week, day, True, False, "")
    try:
        services.publish(week)
    except Refused as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Published. Employees can see this week's menu."), "success")
    return see_other(url_for("canteen.edit_week", monday=monday))


@bp.post("/manage/<date:monday>/unpublish")
@role_required(*EDITORS)
def unpublish(monday: date):
    """Take the week back to draft (hidden from employees)."""
    week = queries.week_of(_monday(monday)) or abort(404)
    services.unpublish(week)
    db.session.commit()
    flash(_("Back to draft. Employees no longer see this week."), "success")
    return see_other(url_for("canteen.edit_week", monday=monday))


@bp.route("/dishes", methods=["GET", "POST"])
@bp.route("/dishes/<int:dish_id>", methods=["GET", "POST"])
@role_required(*EDITORS)
def dishes(dish_id: int | None = None):
    """The dish library: every dish once, with its tags and price; add or edit one."""
    dish = db.session.get(Dish, dish_id) if dish_id else None
    if dish_id and dish is None:
        abort(404)
    form = DishForm(obj=dish, data={"tags": dish.tags} if dish else None)
    if dish is not None and not form.is_submitted():
        form.price.data = None if dish.price_cents is None else dish.price_cents / 100
    if form.validate_on_submit():
        try:
            services.save_dish(dish, form.data)
        except Refused as error:
            form.name_zh.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return see_other(url_for("canteen.dishes"))
    status = 422 if form.errors else 200
    return render("canteen/dishes.html", None, form=form, dish=dish,
                  library=queries.library(active_only=False)), status


@bp.route("/settings", methods=["GET", "POST"])
@role_required(*EDITORS)
def settings():
    """The night-meal cut-off and the publishing deadline."""
    form = SettingsForm(obj=queries.settings())
    if form.validate_on_submit():
        services.save_settings(form.night_cutoff.data, form.deadline_weekday.data,
                               form.deadline_time.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return see_other(url_for("canteen.settings"))
    status = 422 if form.errors else 200
    return render("canteen/settings.html", None, form=form), status
