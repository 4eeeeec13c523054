"""The repair settings page: workflow settings, response and resolution targets.

Holidays come from the company calendar (portal/blueprints/calendar), kept by the office.
"""

from datetime import date, timedelta

from flask import flash, render_template, url_for
from flask_babel import gettext as _

from portal.blueprints.calendar import queries as company_calendar
from portal.blueprints.repairs import calendars, queries
from portal.blueprints.repairs.forms import (
    TARGET_KINDS,
    SettingsForm,
    TargetsForm,
    hours,
    target_field_name,
)
from portal.blueprints.repairs.models import CHANNELS, URGENCIES, RepairSettings
from portal.blueprints.repairs.routes import bp
from portal.extensions import db
from portal.htmx import see_other
from portal.security import role_required
from portal.settings import read_settings, save_settings
from portal.timeutil import local_now

URGENT_FIRST = list(reversed(URGENCIES))  # the order of the targets table's rows


def _workflow_form(row: RepairSettings) -> SettingsForm:
    form = SettingsForm(obj=row)
    form.lead_id.choices = [(0, _("— none —"))] + [(u.id, u.name) for u in queries.technicians()]
    return form


def _targets_form() -> TargetsForm:
    """The targets in force, in hours (on a POST to another form, its fields are not in it)."""
    data = {}
    for (kind, urgency), minutes in calendars.all_target_minutes().items():
        for target, value in zip(TARGET_KINDS, minutes, strict=True):
            data[target_field_name(kind, urgency, target)] = hours(value)
    return TargetsForm(data=data)


def _settings_page(status: int = 200, **forms):
    """The page with its three forms; a form that failed comes in `forms`, with its errors."""
    # The company calendar's days from last month on (next year's may be filled early).
    since = local_now().date() - timedelta(days=30)
    holidays = [company_calendar.info_of(day, row) for day, row in
                sorted(company_calendar.entries_between(since, date.max).items())]
    return render_template(
        "repairs/settings.html",
        form=forms.get("form") or _workflow_form(read_settings(RepairSettings)),
        targets_form=forms.get("targets_form") or _targets_form(),
        holidays=holidays, channels=CHANNELS, urgencies=URGENT_FIRST, target_kinds=TARGET_KINDS,
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@role_required("facilities")
def settings():
    """Auto-confirm days, reminder lead time, the facilities lead; targets and holidays below."""
    form = _workflow_form(read_settings(RepairSettings))
    if form.validate_on_submit():
        save_settings(RepairSettings, "repairs.settings",
                      auto_confirm_days=form.auto_confirm_days.data,
                      remind_before_minutes=form.remind_before_minutes.data,
                      lead_id=form.lead_id.data or None)
        db.session.commit()
        flash(_("Saved."), "success")
        return see_other(url_for("repairs.settings"))
    return _settings_page(422 if form.errors else 200, form=form)


@bp.post("/settings/targets")
@role_required("facilities")
def targets():
    """Change the response and resolution targets; requests already filed keep their due times."""
    form = TargetsForm()
    if not form.validate_on_submit():
        return _settings_page(422, targets_form=form)
    calendars.set_targets(form.minutes_by_target())
    db.session.commit()
    flash(_("Saved. The new targets apply to requests filed from now on."), "success")
    return see_other(url_for("repairs.settings"))
