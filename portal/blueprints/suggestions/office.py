"""The office's and the answering departments' side: the weekly inbox, routing, answers,
merging and publishing. Paper slips, figures and the digest are in paper.py."""

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.suggestions import answers, queries, services
from portal.blueprints.suggestions.forms import (
    AnswererForm,
    AnswerForm,
    MergeForm,
    RatingForm,
    ReplyForm,
    RouteForm,
)
from portal.blueprints.suggestions.models import (
    OPEN,
    AnswerTemplate,
    Suggestion,
    SuggestionEvent,
)
from portal.blueprints.suggestions.pages import detail_page, get_suggestion
from portal.blueprints.suggestions.routes import bp
from portal.converters import db_int
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import see_other
from portal.security import role_required
from portal.timeutil import local_today, monday_of


def staff_context(suggestion: Suggestion, user: User, **forms) -> dict:
    """What the item page offers this person besides reading: decided here, not in the page."""
    context = {"rating_form": forms.get("rating_form") or RatingForm(formdata=None),
               "reply_form": forms.get("reply_form") or ReplyForm(formdata=None),
               "answerable": answers.can_answer(suggestion, user),
               "office": user.has_role("office"),
               "holders": answers.holders(suggestion)}
    if not (context["answerable"] or context["office"]):
        return context
    locale = str(get_locale())
    route_form = forms.get("route_form") or RouteForm(formdata=None,
                                                      department_id=suggestion.department_id)
    route_form.department_id.choices = [(0, _("— choose —"))] + [
        (d.id, d.name) for d in db.session.scalars(select(Department).order_by(Department.name))]
    answer_form = forms.get("answer_form") or _prefilled_answer(suggestion)
    people = db.session.scalars(select(User).where(User.active.is_(True))
                                .order_by(User.employee_no)).all()
    answer_form.owner_id.choices = [(0, _("— choose —"))] + [(p.id, f"{p.name} {p.employee_no}")
                                                             for p in people]
    answerer_form = forms.get("answerer_form") or AnswererForm(formdata=None)
    members = [p for p in people if p.department_id == suggestion.department_id]
    answerer_form.user_id.choices = [(0, _("— choose —"))] + [(p.id, p.name) for p in members]
    context.update(
        route_form=route_form, answer_form=answer_form, answerer_form=answerer_form,
        merge_form=forms.get("merge_form") or MergeForm(formdata=None),
        can_name=answers.can_name_answerers(suggestion, user),
        templates=db.session.scalars(select(AnswerTemplate).order_by(
            AnswerTemplate.outcome, AnswerTemplate.name)).all(),
        events=db.session.scalars(select(SuggestionEvent).where(
            SuggestionEvent.suggestion_id == suggestion.id).order_by(SuggestionEvent.id)).all(),
        locale=locale)
    return context


def _prefilled_answer(suggestion: Suggestion) -> AnswerForm:
    """The answer form as it stands, or started from a template (?template=<id>)."""
    form = AnswerForm(formdata=None, outcome=suggestion.status if suggestion.answered else None,
                      text=suggestion.answer, link=suggestion.answer_link, plan=suggestion.plan,
                      owner_id=suggestion.plan_owner_id or 0, target_date=suggestion.target_date)
    template = db.session.get(AnswerTemplate, request.args.get("template", 0, type=db_int))
    if template is not None:
        form.outcome.data, form.text.data = template.outcome, template.body
    return form


def _week(value: str | None) -> date:
    """The Monday of the asked week; this week for nothing, nonsense or a far-off year."""
    try:
        day = date.fromisoformat(value) if value else local_today()
    except ValueError:
        day = local_today()
    return monday_of(day if 2000 <= day.year <= 2200 else local_today())


@bp.get("/inbox")
@role_required("office")
def inbox():
    """The office's weekly inbox, by category; who has not answered yet."""
    monday = _week(request.args.get("week"))
    category = request.args.get("category", 0, type=db_int) or None
    page = max(request.args.get("page", 1, type=db_int), 1)
    items, more = queries.inbox(monday, category, page=page)
    return render_template(
        "suggestions/inbox.html", items=items, more=more, page=page, monday=monday,
        category=category, counts=queries.week_counts(monday),
        categories=services.categories(active_only=False),
        answerers=queries.answerers_of(items), waiting=queries.waiting_on(local_today()),
        overdue_before=local_today() - timedelta(days=7),
        previous=monday - timedelta(days=7), following=monday + timedelta(days=7))


def _back(suggestion: Suggestion, message: str):
    db.session.commit()
    flash(message, "success")
    return see_other(url_for("suggestions.detail", suggestion_id=suggestion.id))


@bp.post("/<int:suggestion_id>/route")
@role_required("office")
def route(suggestion_id: int):
    """Pass an item to the department responsible for it."""
    suggestion = get_suggestion(suggestion_id, current_user)
    form = RouteForm()
    form.department_id.choices = [(d.id, d.name) for d in db.session.scalars(select(Department))]
    if form.validate_on_submit():
        try:
            answers.route(suggestion, current_user, db.session.get(Department,
                                                                   form.department_id.data))
        except Refused as refused:
            form.department_id.errors = [str(refused)]
        else:
            return _back(suggestion, _("Passed to %(department)s.",
                                       department=suggestion.department.name))
    return detail_page(suggestion, 422, route_form=form)


@bp.post("/<int:suggestion_id>/answerers")
def add_answerer(suggestion_id: int):
    """The department head names someone of the department to answer."""
    suggestion = get_suggestion(suggestion_id, current_user)
    if not answers.can_name_answerers(suggestion, current_user):
        abort(403)
    form = AnswererForm()
    form.user_id.choices = [(p.id, p.name) for p in db.session.scalars(
        select(User).where(User.department_id == suggestion.department_id))]
    if form.validate_on_submit():
        try:
            answers.name_answerer(suggestion, current_user, db.session.get(User, form.user_id.data))
        except Refused as refused:
            form.user_id.errors = [str(refused)]
        else:
            return _back(suggestion, _("They were asked to answer."))
    return detail_page(suggestion, 422, answerer_form=form)


@bp.post("/<int:suggestion_id>/answer")
def answer(suggestion_id: int):
    """Give the outcome; each outcome's required fields are checked by the service."""
    suggestion = get_suggestion(suggestion_id, current_user)
    if not answers.can_answer(suggestion, current_user):
        abort(403)
    form = AnswerForm()
    form.owner_id.choices = [(0, "")] + [(p.id, p.name) for p in db.session.scalars(
        select(User).where(User.active.is_(True)))]
    if form.validate_on_submit():
        try:
            answers.answer(suggestion, current_user, form.outcome.data, form.text.data or "",
                           link=form.link.data or "", plan=form.plan.data or "",
                           owner=db.session.get(User, form.owner_id.data or 0),
                           target=form.target_date.data)
        except Refused as refused:
            form.form_errors.append(str(refused))
        else:
            return _back(suggestion, _("The answer is saved."))
    return detail_page(suggestion, 422, answer_form=form)


@bp.post("/<int:suggestion_id>/merge")
@role_required("office")
def merge(suggestion_id: int):
    """Merge this item into the one kept; its supporters are told and choose to follow."""
    suggestion = get_suggestion(suggestion_id, current_user)
    form = MergeForm()
    if form.validate_on_submit():
        kept = _by_number(form.kept.data)
        try:
            if kept is None:
                raise Refused(_("No suggestion has this number."))
            told = answers.merge(suggestion, kept, current_user)
        except Refused as refused:
            form.kept.errors = [str(refused)]
        else:
            return _back(suggestion, _("Merged; %(num)d supporters were told.", num=told))
    return detail_page(suggestion, 422, merge_form=form)


def _by_number(number: str) -> Suggestion | None:
    text = number.strip().upper().removeprefix("YJ-")
    try:
        return db.session.get(Suggestion, int(text, 16))
    except (ValueError, OverflowError):
        return None


@bp.post("/<int:suggestion_id>/publish")
@role_required("office")
def publish_one(suggestion_id: int):
    """Publish one answered item now."""
    suggestion = get_suggestion(suggestion_id, current_user)
    if answers.publish([suggestion], current_user) == 0:
        flash(_("Only an answered suggestion can be published."), "error")
        return see_other(url_for("suggestions.detail", suggestion_id=suggestion.id))
    return _back(suggestion, _("Published on the board."))


@bp.post("/inbox/publish")
@role_required("office")
def publish_week():
    """Publish every answered, unpublished item (the weekly batch)."""
    items = list(db.session.scalars(select(Suggestion).where(
        Suggestion.published_at.is_(None), Suggestion.status != OPEN,
        Suggestion.status != "merged")))
    count = answers.publish(items, current_user)
    db.session.commit()
    flash(_("%(num)d answers published on the board.", num=count), "success")
    return redirect(url_for("suggestions.inbox", week=request.form.get("week", "")), code=303)
