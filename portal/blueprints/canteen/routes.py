"""Canteen menu 食堂菜单: what employees see and do (menu, night meal, ratings, allergens).

The canteen team's views live in manage.py (editing weeks, the dish library, settings) and
kitchen.py (tonight's headcount, ratings, the wall PDF), on the same blueprint.
"""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from flask import Blueprint, abort, flash, g, make_response, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.canteen import menu_cache, queries, services
from portal.blueprints.canteen.forms import PreferencesForm, RateForm, ReserveForm
from portal.blueprints.canteen.models import (
    ALLERGENS,
    DIET_TAGS,
    MEAL_HOURS,
    MEALS,
    TAGS,
    Dish,
    MenuItem,
)
from portal.blueprints.pwa.outbox import outbox
from portal.converters import calendar_date, date_arg
from portal.errors import Refused
from portal.extensions import db, plain_reads
from portal.htmx import is_fragment_request, is_htmx, render, see_other
from portal.security import role_required
from portal.templating import (
    current_lang,
    encoded,
    fill_encoded,
    framed,
    month_label,
    with_holes,
)
from portal.timeutil import local_at, local_now, local_today, monday_of

bp = Blueprint("canteen", __name__, url_prefix="/canteen", template_folder="templates")


# Names the menu templates (and the home panels, rendered elsewhere) need, registered the way
# every module registers its template names: on its blueprint, for the whole app.
bp.add_app_template_global(SimpleNamespace(
    MEALS=MEALS, MEAL_HOURS=MEAL_HOURS, TAGS=TAGS, DIET_TAGS=DIET_TAGS, ALLERGENS=ALLERGENS,
    visible=queries.visible), "CANTEEN")


@bp.app_template_filter("menu_day")
def menu_day(day: date) -> str:
    return format_date(day, "EEE M/d")


@bp.app_template_filter("menu_date")
def menu_date(day: date) -> str:
    return format_date(day, "medium")


bp.add_app_template_filter(month_label, "menu_month")


@bp.app_template_filter("allergen_label")
def allergen_label(key: str) -> str:
    return str(ALLERGENS.get(key, key))


def _menu_context(reserve_form: ReserveForm | None = None,
                  preferences_form: PreferencesForm | None = None, now: datetime | None = None,
                  mine: menu_cache.Personal | None = None) -> dict:
    """Everything the employee page shows: today first, tonight's night meal, then the week.

    The weeks, the settings and the week's HTML come from menu_cache, read and rendered once per
    change of the menu; the person's own things (allergens, tonight's reservation) are read with
    the menu's version in one statement, every time. Forms are built only to show what a POST
    got wrong.
    """
    now = now or local_now()
    today = now.date()
    monday = monday_of(date_arg("week", today))
    featured_day, meal_order = queries.featured(now)
    mine = mine or menu_cache.personal(current_user, today)
    version, hidden = mine.version, mine.allergens

    def day_menu(day: date):
        week = menu_cache.published_menu(version, monday_of(day))
        return next((d for d in week[1] if d.day == day), None)

    featured, tonight = day_menu(featured_day), day_menu(today)
    published, days = menu_cache.published_menu(version, monday)
    night_items = tonight.meals["night"] if tonight and not tonight.closed else []
    settings = menu_cache.settings(version)
    cutoff = local_at(today, settings.night_cutoff, now.tzinfo)
    # A person's allergens hide night-meal choices too, like everywhere on their menu.
    night_choices = queries.visible(night_items, set(), hidden)
    lang = current_lang()
    tags = {t for t in request.args.getlist("tag") if t in TAGS}
    week = {"today": today, "monday": monday, "week": published or None, "days": days,
            "tags": tags, "hidden": hidden, "employee": current_user.has_role("employee"),
            "prev_week": monday - timedelta(days=7), "next_week": monday + timedelta(days=7)}
    # The week as this language, these filters and these allergens show it: alike for everyone
    # with them, so rendered once per menu version and kept.
    week_html = menu_cache.kept(
        version, ("week.html", lang, monday, today, frozenset(tags), frozenset(hidden),
                  week["employee"]),
        lambda: Markup(render_template("canteen/_week.html", **week)))
    # Meals already over today fold away, so tonight's reservation is near the top.
    earlier = set(meal_order) - set(queries.upcoming_meals(now)) if featured_day == today \
        else set()
    shown_first = {**week, "featured_day": featured_day, "featured": featured,
                   "meal_order": meal_order, "earlier": earlier}
    today_html = menu_cache.kept(
        version, ("today.html", lang, featured_day, today, tuple(meal_order),
                  frozenset(earlier), frozenset(tags), frozenset(hidden), week["employee"]),
        lambda: Markup(render_template("canteen/_today.html", **shown_first)))
    # The allergen choices as this language and these allergens show them (no token, no error).
    preferences_html = None if preferences_form else menu_cache.kept(
        version, ("preferences.html", lang, frozenset(hidden)),
        lambda: Markup(render_template(
            "canteen/_preferences_fields.html",
            preferences_form=PreferencesForm(formdata=None, allergens=sorted(hidden)))))
    return {
        **shown_first, "version": version, "now": now, "week_html": week_html,
        "today_html": today_html,
        "night_items": night_items, "night_choices": night_choices,
        "reservation": _reserved(mine.reserved_dish_id, night_items),
        "cutoff": cutoff, "night_open": now < cutoff, "reserve_form": reserve_form,
        "preferences_form": preferences_form, "preferences_html": preferences_html,
        # Right after a cancellation: what other modules offer (overtime: cancel it too).
        "offers": queries.after_night_cancel(current_user, today)
        if request.args.get("cancelled") else [],
    }


def _reserved(dish_id: int | None, night_items: list):
    """Tonight's reservation as the page shows it: its dish (from the kept menu if it is on it)."""
    if dish_id is None:
        return None
    dish = next((item.dish for item in night_items if item.dish_id == dish_id), None)
    return SimpleNamespace(dish=dish or db.session.get(Dish, dish_id))


@bp.app_template_filter("tag_label")
def _tag_label(key: str) -> str:
    """A tag's name, translated once per request (a menu page shows a hundred tags)."""
    names = g.get("canteen_tag_names")
    if names is None:
        names = g.canteen_tag_names = {k: str(v) for k, v in TAGS.items()}
    return names.get(key, key)


@bp.get("/")
@reads_who_only(apart=True)
def index():
    """Today's menu first (the meal being served now), tonight's night meal, then the week.

    The page's content is kept per menu version and everything it shows (language, roles,
    filters, the person's allergens and reservation, the clock's meal and whether the night
    meal is still open); only the CSRF tokens are filled in per request (with_holes).
    """
    if request.args.get("cancelled") or is_fragment_request():
        return render("canteen/index.html", "menu", **_menu_context())
    now = local_now()
    today = now.date()
    mine = menu_cache.personal(current_user, today, plain_reads())
    cutoff = local_at(today, menu_cache.settings(mine.version).night_cutoff, now.tzinfo)
    featured_day, meal_order = queries.featured(now)
    key = ("page", current_lang(), current_user.roles, request.script_root, now.date(),
           monday_of(date_arg("week", today)),
           frozenset(tag for tag in request.args.getlist("tag") if tag in TAGS),
           mine.allergens_key, mine.reserved_dish_id, featured_day, tuple(meal_order),
           tuple(queries.upcoming_meals(now)), cutoff, now < cutoff)
    pieces = menu_cache.kept(mine.version, key, lambda: encoded(with_holes(lambda: render_block(
        "canteen/index.html", "content", **_menu_context(now=now, mine=mine)))))
    response = make_response(framed(_("Canteen menu"), fill_encoded(pieces, {})))
    response.vary.add("HX-Request")
    return response


@bp.post("/night/reserve")
@role_required("employee")
@outbox
def reserve():
    """Reserve tonight's night meal, choosing a dish, before the cut-off."""
    form = ReserveForm()
    form.dish_id.choices = [(dish_id, "") for dish_id in _int_list(request.form.get("dish_id"))]
    if form.validate_on_submit():
        try:
            # A day that is no day (a tampered page) is refused like any day but tonight.
            day = request.form.get("day", type=calendar_date)
            services.reserve_night_meal(current_user, day, form.dish_id.data, local_now())
        except Refused as error:
            form.dish_id.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Your night meal is reserved."), "success")
            return see_other(url_for("canteen.index", _anchor="night"))
    return render("canteen/index.html", **_menu_context(form)), 422


@bp.post("/night/cancel")
@role_required("employee")
@outbox
def cancel():
    """Cancel tonight's night meal, before the cut-off."""
    now = local_now()
    try:
        services.cancel_night_meal(current_user, now.date(), now)
    except Refused as error:
        form = ReserveForm(formdata=None, day=now.date().isoformat())
        form.dish_id.errors = [str(error)]
        return render("canteen/index.html", **_menu_context(form)), 422
    db.session.commit()
    flash(_("Your night meal is cancelled."), "success")
    return see_other(url_for("canteen.index", cancelled=1, _anchor="night"))


def _int_list(value: str | None) -> list[int]:
    return [int(value)] if value and value.isdigit() else []


@bp.route("/preferences", methods=["GET", "POST"])
def preferences():
    """Which allergens to hide from one's menu (also reached from My account)."""
    form = PreferencesForm(data={"allergens": sorted(queries.allergens_of(current_user))})
    if form.validate_on_submit():
        services.save_preferences(current_user, form.allergens.data)
        db.session.commit()
        flash(_("Saved. Dishes with these allergens are hidden from your menu."), "success")
        return see_other(url_for("canteen.index"))
    status = 422 if form.errors else 200
    return render("canteen/preferences.html", None, preferences_form=form), status


@bp.get("/rate/<date:day>")
@role_required("employee")
def rate_day(day: date):
    """The dishes of one served day, each with 1-5 stars."""
    menu = queries.published_day(day)
    if menu is None or day > local_today():
        abort(404)
    ratings = queries.my_ratings(current_user, day)
    return render("canteen/rate.html", menu=menu, ratings=ratings, meals=MEALS)


@bp.post("/items/<int:item_id>/rate")
@role_required("employee")
def rate(item_id: int):
    """Rate a dish one could have eaten (on a published menu, today or before)."""
    item = db.get_or_404(MenuItem, item_id)
    form = RateForm()
    error = None
    if form.validate_on_submit():
        try:
            services.rate_dish(current_user, item, form.stars.data, local_today())
        except Refused as refused:
            error = str(refused)
        else:
            db.session.commit()
    else:
        error = _("Choose one to five stars.")
    if error and not item.week.published:
        abort(404)  # an unpublished menu does not exist for employees
    stars = queries.my_ratings(current_user, item.day).get((item.dish_id, item.day))
    if is_htmx():
        response = render("canteen/rate.html", "rating", item=item, stars=stars, error=error)
        return response, 422 if error else 200
    if error:
        flash(error, "error")
    return see_other(url_for("canteen.rate_day", day=item.day.isoformat()))


from portal.blueprints.canteen import kitchen, manage  # noqa: E402,F401  (views on bp)
