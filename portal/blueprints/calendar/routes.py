"""The office's page for the company calendar: a year's days, fill it, add or remove a day."""

from datetime import date

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.blueprints.calendar import queries, services
from portal.blueprints.calendar.forms import CompanyDayForm, FillYearForm
from portal.blueprints.calendar.models import CompanyDay
from portal.extensions import db
from portal.htmx import see_other
from portal.security import role_required
from portal.timeutil import local_now

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar", template_folder="templates")


def _year() -> int:
    year = request.args.get("year", type=int) or local_now().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _page(year: int, status: int = 200, fill_form=None, day_form=None):
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = sorted(queries.entries_between(first, last).values(), key=lambda row: row.day)
    return render_template(
        "calendar/index.html", year=year, days=[queries.info_of(row.day, row) for row in rows],
        fill_form=fill_form or FillYearForm(year=year), day_form=day_form or CompanyDayForm(),
    ), status


@bp.get("/")
@role_required("office")
def index():
    """The year's holidays, make-up days, company days off and closures."""
    return _page(_year())


@bp.post("/fill")
@role_required("office")
def fill():
    """Fill a year from China's official schedule (the office's own days are kept)."""
    form = FillYearForm()
    if not form.validate_on_submit():
        return _page(form.year.data if isinstance(form.year.data, int) and
                     2000 <= form.year.data <= 2100 else _year(), 422, fill_form=form)
    year = form.year.data
    try:
        written = services.fill_year(year)
    except services.ScheduleMissing:
        form.year.errors.append(_("China's official schedule for %(year)d is not published "
                                  "yet (or the portal's copy is older): try again after an "
                                  "update, or enter the days below.", year=year))
        return _page(year, 422, fill_form=form)
    db.session.commit()
    flash(ngettext("Filled from the official schedule: %(num)d day.",
                   "Filled from the official schedule: %(num)d days.", written), "success")
    return see_other(url_for("calendar.index", year=year))


@bp.post("/days")
@role_required("office")
def add():
    """A company day off, a site closure, or an override of one or more days."""
    form = CompanyDayForm()
    if not form.validate_on_submit():
        return _page(_year(), 422, day_form=form)
    first = form.day.data
    count = services.set_days(first, form.last_day.data or first, form.kind.data,
                              form.name.data or "")
    db.session.commit()
    flash(ngettext("Saved: %(num)d day.", "Saved: %(num)d days.", count), "success")
    return see_other(url_for("calendar.index", year=first.year))


@bp.post("/days/<date:day>/delete")
@role_required("office")
def remove(day: date):
    """Remove the office's entry for a day (the official one comes back, if any)."""
    row = db.get_or_404(CompanyDay, day)
    if row.official:
        abort(404)  # official days are changed by overriding them, not removed
    services.remove_day(row)
    db.session.commit()
    flash(_("Removed."), "success")
    return see_other(url_for("calendar.index", year=row.day.year))
