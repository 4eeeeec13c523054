"""Approvers' pages: claims waiting for me, approve or return, my people's records (confirm a
week at once), stand-ins. Views on the overtime blueprint."""

from datetime import timedelta

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts.models import User
from portal.blueprints.overtime import approvals, queries, services, shuttle
from portal.blueprints.overtime.forms import ConfirmWeekForm, ReturnForm, StandInForm
from portal.blueprints.overtime.routes import bp
from portal.converters import calendar_date
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import render, see_other
from portal.timeutil import local_today, monday_of


def decision_context(claim) -> dict:
    """What the claim page needs to show the approver's buttons (if this person may decide)."""
    today = local_today()
    acting = approvals.acting_for(claim, current_user, today)
    return {"can_decide": acting is not None and not services.month_closed(claim.month),
            "acting_for": acting, "return_form": ReturnForm(),
            "can_edit": claim.user_id == current_user.id,
            "show_receipt": claim.user_id == current_user.id or current_user.has_role("office"),
            "late_run": shuttle.late_run_for(claim.user, claim.record)}


@bp.get("/approvals")
def waiting():
    """Claims waiting for me (as head, stand-in or office), oldest wait first."""
    return render_template("overtime/approvals.html",
                           claims=queries.waiting_for(current_user, local_today()))


def _decided(claim, message: str):
    db.session.commit()
    flash(message, "success")
    return see_other(url_for("overtime.waiting"))


@bp.post("/claims/<int:claim_id>/approve")
def approve(claim_id: int):
    """Approve at the claim's stage (head, then office)."""
    claim = queries.get_claim(claim_id, current_user, local_today())
    try:
        approvals.approve(claim, current_user, local_today())
    except Refused as refused:
        db.session.rollback()
        abort(403, refused.message)
    return _decided(claim, _("Approved."))


@bp.post("/claims/<int:claim_id>/return")
def return_claim(claim_id: int):
    """Return the claim to its employee with a reason (required, beside the field if missing)."""
    from portal.blueprints.overtime.approvals import current_approvals

    claim = queries.get_claim(claim_id, current_user, local_today())
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            approvals.return_claim(claim, current_user, form.reason.data, local_today())
        except Refused as refused:
            db.session.rollback()
            abort(403, refused.message)
        return _decided(claim, _("Returned to the employee."))
    context = decision_context(claim)
    context["return_form"] = form
    return render_template("overtime/claim.html", claim=claim,
                           approvals=current_approvals(claim), **context), 422


def _heads_only() -> None:
    """Heads, and whoever stands in for one today."""
    if not (current_user.has_role("dept_head")
            or queries.departments_headed(current_user, local_today())):
        abort(403)


@bp.get("/team")
def team():
    """My people's records of a week; confirm them all in one action."""
    _heads_only()
    monday = monday_of(request.args.get("week", type=calendar_date) or local_today())
    records = queries.team_records(current_user, monday, local_today())
    return render("overtime/team.html", records=records,
                  monday=monday, previous=monday - timedelta(days=7),
                  next=monday + timedelta(days=7), form=ConfirmWeekForm())


@bp.post("/team/confirm")
def confirm_week():
    """Confirm every record with an end time in the week (those without one wait)."""
    _heads_only()
    monday = monday_of(request.args.get("week", type=calendar_date) or local_today())
    records = queries.team_records(current_user, monday, local_today())
    count = services.confirm_records(current_user, records)
    db.session.commit()
    flash(_("%(num)d records confirmed.", num=count), "success")
    return see_other(url_for("overtime.team", week=monday.isoformat()))


@bp.route("/stand-ins", methods=["GET", "POST"])
def stand_ins():
    """Name someone who approves in my place while I am away."""
    if not (queries.departments_headed(current_user, local_today())
            or current_user.has_role("office", "dept_head")):
        abort(403)
    form = StandInForm()
    if form.validate_on_submit():
        person = User.by_employee_no(form.stand_in.data)
        if person is None or not person.active:
            form.stand_in.errors.append(_("Nobody has this employee number."))
        else:
            try:
                approvals.add_stand_in(current_user, person, form.first_day.data,
                                       form.last_day.data)
            except Refused as refused:
                db.session.rollback()
                form.last_day.errors.append(refused.message)
            else:
                db.session.commit()
                flash(_("Stand-in named."), "success")
                return see_other(url_for("overtime.stand_ins"))
    return render_template("overtime/stand_ins.html", form=form,
                           rows=queries.my_stand_ins(current_user)), 422 if form.errors else 200
