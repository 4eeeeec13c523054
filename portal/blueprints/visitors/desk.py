"""The front desk (reception, tablet): today's and tomorrow's visits, check-in and -out,
walk-ins, a visit by its code; the visitor log with its XLSX; the office's settings and steps.
"""

from datetime import timedelta

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts.models import User
from portal.blueprints.documents.services import progress_widget, start_document
from portal.blueprints.visitors import checklist, queries, services
from portal.blueprints.visitors.documents import KIND
from portal.blueprints.visitors.forms import CodeForm, SettingsForm, WalkInForm
from portal.blueprints.visitors.models import OWNERS, STATUSES, Visitor, VisitSettings
from portal.blueprints.visitors.pages import back
from portal.blueprints.visitors.routes import bp
from portal.converters import calendar_date
from portal.errors import Refused
from portal.exports import table_download
from portal.extensions import db
from portal.htmx import see_other
from portal.i18n import N_
from portal.security import role_required
from portal.settings import save_settings
from portal.timeutil import local_today, to_local

DESK = ("reception", "office")


def _desk_page(status: int = 200, walk_in: WalkInForm | None = None,
               code_form: CodeForm | None = None):
    today = local_today()
    visits = queries.front_desk(today)
    return render_template(
        "visitors/desk.html", today=today, visits=visits, progress=queries.progress(visits),
        phones=current_user.has_role("reception"),
        walk_in=walk_in or WalkInForm(formdata=None),
        code_form=code_form or CodeForm(formdata=None)), status


@bp.get("/desk")
@role_required(*DESK)
def desk():
    """Today's and tomorrow's visits with their checklist progress; check-in, walk-in."""
    return _desk_page()


@bp.post("/desk/code")
@role_required(*DESK)
def by_code():
    """A visit by its code (typed, or scanned from the badge): never by a visitor's name."""
    form = CodeForm()
    if form.validate_on_submit():
        visit = queries.by_code(form.code.data)
        if visit is not None:
            return see_other(url_for("visitors.detail", visit_id=visit.id))
        form.code.errors = [_("No visit has this code.")]
    return _desk_page(404 if form.code.data else 422, code_form=form)


def _chosen(visit) -> list[Visitor]:
    """The visitors ticked on the form; none ticked (the group button): all of them."""
    ids = set(request.form.getlist("visitor_id", type=int))
    return [v for v in visit.visitors if not ids or v.id in ids]


def _act(visit_id: int, action, message: str):
    """Run a desk action on the visit: its message on success, the refusal otherwise; back
    to the front desk (next=desk) or the visit's page."""
    visit = queries.get_visit(visit_id, current_user)
    try:
        count = action(visit)
    except Refused as error:
        db.session.rollback()
        message, category = str(error.message), "error"
    else:
        db.session.commit()
        message, category = _(message, count=count or 0, number=visit.number), "success"
    to = request.form.get("next") == "desk" and url_for("visitors.desk")
    return back(visit, message, category, to or None)


@bp.post("/<int:visit_id>/check-in")
@role_required(*DESK)
def check_in(visit_id: int):
    """Check in one visitor or the whole group; the host is told of the first arrival."""
    return _act(visit_id, lambda visit: services.check_in(visit, _chosen(visit), current_user),
                N_("%(count)d checked in for %(number)s."))


@bp.post("/<int:visit_id>/check-out")
@role_required(*DESK)
def check_out(visit_id: int):
    """Check out the ticked visitors (none ticked: everyone inside)."""
    return _act(visit_id, lambda visit: services.check_out(visit, _chosen(visit), current_user),
                N_("%(count)d checked out for %(number)s."))


@bp.post("/<int:visit_id>/no-show")
@role_required(*DESK)
def no_show(visit_id: int):
    """Nobody came: its own state; the steps, the room and the meals go."""
    return _act(visit_id, lambda visit: services.mark_no_show(visit, current_user),
                N_("Visit %(number)s is marked as a no-show."))


@bp.post("/desk/walk-in")
@role_required(*DESK)
def walk_in():
    """Someone came unannounced: the visit is created and checked in in one step."""
    form = WalkInForm()
    if not form.validate_on_submit():
        return _desk_page(422, walk_in=form)
    guest = services.Guest(name=form.name.data, company=form.company.data or "",
                           mobile=(form.mobile.data or "").replace(" ", ""))
    visit = services.walk_in(current_user, form.host, guest, form.purpose.data)
    db.session.commit()
    flash(_("%(count)d checked in for %(number)s.", count=1, number=visit.number), "success")
    return see_other(url_for("visitors.desk"))


def _log_filters():
    today = local_today()
    first = request.args.get("from", type=calendar_date) or today - timedelta(days=30)
    last = request.args.get("to", type=calendar_date) or today
    if last < first:
        first, last = last, first
    host = None
    host_no = request.args.get("host", "").strip()[:20]
    if host_no:
        host = User.by_employee_no(host_no) or User(id=0)  # an unknown number finds nothing
    return first, last, request.args.get("company", "")[:120], host, host_no


@bp.get("/log")
@role_required(*DESK)
def log():
    """The visitor log: arrivals between two days, by company and host, newest first."""
    first, last, company, host, host_no = _log_filters()
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10000))
    visits, total = queries.log(first, last, company, host, page)
    return render_template("visitors/log.html", visits=visits, total=total, page=page,
                           pages=(total + queries.LOG_PAGE - 1) // queries.LOG_PAGE,
                           first=first, last=last, company=company, host_no=host_no,
                           phones=current_user.has_role("reception"))


@bp.get("/log.<fmt>")
@role_required("office")
def log_export(fmt: str):
    """The log as XLSX (or CSV) for the office: one row per visitor, phones masked."""
    first, last, company, host, _no = _log_filters()
    visits, _total = queries.log(first, last, company, host, limit=None)
    headers = [_("Visit"), _("Arrival"), _("Departure"), _("Status"), _("Company"),
               _("Visitor"), _("Mobile"), _("Host"), _("Checked in"), _("Checked out")]
    rows = []
    for visit in visits:
        for visitor in visit.visitors:
            rows.append([visit.number, f"{to_local(visit.arrives_at):%Y-%m-%d %H:%M}",
                         f"{to_local(visit.departs_at):%Y-%m-%d %H:%M}",
                         str(STATUSES[visit.status]), visitor.company or visit.company,
                         visitor.name, services.mask(visitor.mobile), visit.host.name,
                         f"{to_local(visitor.checked_in_at):%Y-%m-%d %H:%M}"
                         if visitor.checked_in_at else "",
                         f"{to_local(visitor.checked_out_at):%Y-%m-%d %H:%M}"
                         if visitor.checked_out_at else ""])
    return table_download(fmt, f"visitors-{first:%Y%m%d}-{last:%Y%m%d}", _("Visitor log"),
                          headers, rows)


def _steps_text() -> str:
    return "\n".join(f"{s.title_zh} | {s.title_en} | {s.acceptance} | {s.lead_minutes} | "
                     f"{s.owner}" for s in checklist.standard_steps())


def _parse_steps(text: str) -> list[dict]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if (len(parts) != 5 or not all(parts[:3]) or not parts[3].isdigit()
                or int(parts[3]) > 30 * 24 * 60 or parts[4] not in OWNERS):
            raise Refused(_("Line %(line)d: write Chinese | English | acceptance | minutes "
                            "before arrival | reception or host.", line=number))
        rows.append({"title_zh": parts[0][:80], "title_en": parts[1][:80],
                     "acceptance": parts[2][:200], "lead_minutes": int(parts[3]),
                     "owner": parts[4]})
    if not rows:
        raise Refused(_("Keep at least one step."))
    return rows


@bp.route("/settings", methods=["GET", "POST"])
@role_required("office")
def settings():
    """The office's settings: ID type, retention, the evening list, the reception standard."""
    current = queries.settings()
    form = SettingsForm(obj=current)
    steps_text, steps_error = request.form.get("steps", _steps_text()), ""
    if form.validate_on_submit():
        try:
            steps = _parse_steps(steps_text)
        except Refused as error:
            steps_error = error.message
        else:
            save_settings(VisitSettings, "visitors.settings", ask_id_type=form.ask_id_type.data,
                          retention_days=form.retention_days.data,
                          evening_hour=form.evening_hour.data, address=form.address.data or "")
            checklist.save_standard(steps, current_user)
            db.session.commit()
            flash(_("Settings saved."), "success")
            return see_other(url_for("visitors.settings"))
    status = 422 if form.errors or steps_error else 200
    return render_template("visitors/settings.html", form=form, steps=steps_text,
                           steps_error=steps_error, owners=OWNERS), status




@bp.post("/<int:visit_id>/badges")
@role_required(*DESK)
def badges(visit_id: int):
    """Badges in the background: one visitor's (visitor_id) or the group's A4 sheet."""
    visit = queries.get_visit(visit_id, current_user)
    visitor_id = request.form.get("visitor_id", type=int)
    try:
        params = services.badges_to_print(visit, current_user, visitor_id,
                                          reprint=request.form.get("reprint") == "1")
    except Refused as error:
        db.session.rollback()
        return back(visit, str(error.message), "error")
    return progress_widget(start_document(KIND, current_user, **params))
