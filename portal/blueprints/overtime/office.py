"""The office's pages: policy versions, the month's review list, closing, statements for
finance, exported and paid, settings. Views on the overtime blueprint."""

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.audit.services import record as audit
from portal.blueprints.documents.services import progress_widget, start_document
from portal.blueprints.overtime import queries
from portal.blueprints.overtime.chart import bar_chart
from portal.blueprints.overtime.forms import PolicyForm, SettingsForm, cents
from portal.blueprints.overtime.models import STATUSES, MonthClose, OvertimeSettings, Policy
from portal.blueprints.overtime.routes import bp
from portal.converters import page_number
from portal.extensions import db
from portal.htmx import render, see_other
from portal.security import role_required
from portal.settings import read_settings, save_settings
from portal.timeutil import local_today, utcnow

STATEMENT_KINDS = ("overtime_statement_pdf", "overtime_statement_xlsx")


def _month_arg() -> str:
    month = request.args.get("month") or f"{local_today():%Y-%m}"
    if len(month) != 7 or not month[:4].isdigit() or month[4] != "-" or not month[5:].isdigit():
        abort(404)
    return month


@bp.route("/policy", methods=["GET", "POST"])
@role_required("office")
def policy():
    """Policy versions: a new one is in force from its date; claims use the one of their ride."""
    form = PolicyForm()
    if form.validate_on_submit():
        clash = db.session.scalar(select(Policy).where(
            Policy.effective_from == form.effective_from.data))
        if clash is not None:
            form.effective_from.errors.append(_("A version already starts on this date."))
        else:
            data = form.data
            row = Policy(effective_from=data["effective_from"], earliest_end=data["earliest_end"],
                         ride_window_minutes=data["ride_window_minutes"],
                         max_per_ride_cents=cents(data["max_per_ride"]),
                         monthly_cap_cents=cents(data["monthly_cap"]),
                         receipt_above_cents=cents(data["receipt_above"]) or 0,
                         rest_days_allowed=data["rest_days_allowed"],
                         holidays_allowed=data["holidays_allowed"],
                         rest_day_earliest_end=data["rest_day_earliest_end"],
                         created_by_id=current_user.id)
            db.session.add(row)
            audit("overtime.policy", "overtime_policy", effective_from=str(row.effective_from))
            db.session.commit()
            flash(_("Policy saved."), "success")
            return see_other(url_for("overtime.policy"))
    versions = db.session.scalars(select(Policy).order_by(Policy.effective_from.desc()))
    return render_template("overtime/policy.html", form=form, versions=list(versions)), (
        422 if form.errors else 200)


@bp.get("/office")
@role_required("office")
def office():
    """The month: claims by state (paged), department totals with a chart, close and export."""
    month = _month_arg()
    status = request.args.get("status", "")
    if status and status not in STATUSES:
        abort(404)
    page = request.args.get("page", 1, type=page_number)
    rows, total = queries.office_list(month, status, page)
    totals = queries.department_totals(month)
    return render("overtime/office.html", "claims", month=month, status=status, page=page,
                  rows=rows, total=total, per_page=queries.PER_PAGE,
                  counts=queries.month_counts(month), totals=totals,
                  chart=bar_chart([(name, cents_) for name, _count, cents_ in totals]),
                  state=queries.month_state(month))


def _month_row(month: str) -> MonthClose:
    row = queries.month_state(month)
    if row is None:
        abort(404)
    return row


@bp.post("/office/<month>/close")
@role_required("office")
def close_month(month: str):
    """Close the month: its claims no longer change."""
    if queries.month_state(month) is None:
        db.session.add(MonthClose(month=month, closed_by_id=current_user.id))
        audit("overtime.close_month", f"overtime_month:{month}")
        db.session.commit()
    flash(_("%(month)s is closed.", month=month), "success")
    return see_other(url_for("overtime.office", month=month))


@bp.post("/office/<month>/<step>")
@role_required("office")
def mark_month(month: str, step: str):
    """Mark a closed month exported to finance, then paid."""
    if step not in ("exported", "paid"):
        abort(404)
    row = _month_row(month)
    if step == "paid" and row.exported_at is None:
        flash(_("Mark the month exported to finance first."), "error")
        return see_other(url_for("overtime.office", month=month))
    if step == "exported":
        row.exported_at = row.exported_at or utcnow()
    else:
        row.paid_at = row.paid_at or utcnow()
    audit(f"overtime.month_{step}", f"overtime_month:{month}")
    db.session.commit()
    return see_other(url_for("overtime.office", month=month))


@bp.post("/office/<month>/statements/<kind>")
@role_required("office")
def statements(month: str, kind: str):
    """Statements per employee and per department, made in the background (PDF or XLSX)."""
    kind = f"overtime_statement_{kind}"
    if kind not in STATEMENT_KINDS:
        abort(404)
    row = _month_row(month)  # only a closed month's figures are final
    document = start_document(kind, current_user,
                              cache_key=f"{kind}:{month}:{row.closed_at.isoformat()}",
                              month=month)
    return progress_widget(document)


@bp.route("/settings", methods=["GET", "POST"])
@role_required("office")
def settings():
    """Reminder delay for approvers and how long receipt files are kept."""
    form = SettingsForm(obj=read_settings(OvertimeSettings))
    if form.validate_on_submit():
        save_settings(OvertimeSettings, "overtime.settings",
                      reminder_hours=form.reminder_hours.data,
                      receipt_retention_days=form.receipt_retention_days.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return see_other(url_for("overtime.settings"))
    return render_template("overtime/settings.html", form=form), 422 if form.errors else 200

