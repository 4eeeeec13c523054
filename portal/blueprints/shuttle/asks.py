"""New-stop requests: employees ask, facilities see demand by district and answer."""

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.shuttle import queries
from portal.blueprints.shuttle import stop_requests as requests_
from portal.blueprints.shuttle.access import EDITORS
from portal.blueprints.shuttle.forms import AnswerForm, StopRequestForm
from portal.blueprints.shuttle.models import District, StopRequest
from portal.blueprints.shuttle.routes import bp
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import render, see_other
from portal.security import role_required
from portal.templating import current_lang
from portal.timeutil import local_today


@bp.route("/requests", methods=["GET", "POST"])
def ask():
    """Ask for a new stop (a district and where), and see the answers to mine."""
    lang = current_lang()
    form = StopRequestForm()
    form.district_id.choices = [(0, "—")] + [(d.id, d.label(lang)) for d in queries.districts()]
    if form.validate_on_submit():
        requests_.submit_request(current_user, db.get_or_404(District, form.district_id.data),
                                 form.where.data)
        db.session.commit()
        flash(_("Thank you: facilities will answer your request."), "success")
        return see_other(url_for("shuttle.ask"))
    return render("shuttle/ask.html", None, form=form, mine=requests_.mine(current_user),
                  lang=lang), 422 if form.errors else 200


def _answer_forms(failed: AnswerForm | None = None, failed_id: int | None = None) -> dict:
    return {"groups": requests_.by_district(), "lang": current_lang(),
            "form_for": lambda r: failed if r.id == failed_id else AnswerForm(formdata=None)}


@bp.get("/manage/requests")
@role_required(*EDITORS)
def requests_by_district():
    """Requests grouped by district, the most asked-for first: where demand is."""
    return render("shuttle/requests.html", None, **_answer_forms())


@bp.post("/manage/requests/<int:request_id>/answer")
@role_required(*EDITORS)
def answer(request_id: int):
    """Answer a request: solved, planned (with the date) or declined (with the reason)."""
    asked = db.get_or_404(StopRequest, request_id)
    form = AnswerForm()
    if form.validate_on_submit():
        errors = requests_.check_outcome(form.outcome.data, form.planned_on.data,
                                         form.reason.data or "", local_today())
        for name, message in errors.items():
            getattr(form, name).errors = [message]
        if not errors:
            try:
                requests_.answer_request(asked, current_user, form.outcome.data,
                                         form.planned_on.data, form.reason.data or "",
                                         local_today())
            except Refused as error:
                form.outcome.errors = [error.message]
            else:
                db.session.commit()
                flash(_("Answer sent."), "success")
                return see_other(url_for("shuttle.requests_by_district",
                                         _anchor=f"district-{asked.district_id}"))
    return render("shuttle/requests.html", None, **_answer_forms(form, asked.id)), 422
