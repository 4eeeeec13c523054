"""The follow-up code: anyone holding it reads the answer, replies and rates, signed in or not.

These three endpoints are public (portal/security.py PUBLIC_ENDPOINTS). Every POST carries the
code again (it is never in a URL, a cookie or the server's memory), is CSRF-checked like any
form, and goes through the sign-in throttle's database counters under its own key: wrong codes
from one address soon wait, doubling, as wrong passwords do. A wrong code and an unknown code
get the same answer.
"""

from flask import flash, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts import throttle
from portal.blueprints.suggestions import services
from portal.blueprints.suggestions.forms import CodeForm, CodeReplyForm, RatingForm, ReplyForm
from portal.blueprints.suggestions.pages import detail_page, get_suggestion
from portal.blueprints.suggestions.routes import bp
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import see_other

THROTTLE_KEY = "#SUGGESTION-CODE"  # the throttle's account column: no employee has this number


def _client() -> str:
    # Its own client key, so wrong codes do not lock this address's sign-in (nor the reverse).
    return "code:" + (request.remote_addr or "")


def _page(form, suggestion=None, status: int = 200, **extra):
    code = services.normalize_code(form.code.data or "") if suggestion is not None else ""
    response = make_response(render_template(
        "suggestions/code.html", form=form, s=suggestion, code=code,
        reply_form=extra.pop("reply_form", None) or CodeReplyForm(code=code, formdata=None),
        rating_form=extra.pop("rating_form", None) or RatingForm(code=code, formdata=None),
        **extra), status)
    response.headers["Cache-Control"] = "no-store"  # the code is in the page's forms
    return response


def _find(form):
    """The item for the posted code, or (None, the refusal page)."""
    wait = throttle.wait_seconds(THROTTLE_KEY, _client())
    if wait:
        form.code.errors = [_("Too many wrong codes. Try again in %(seconds)d seconds.",
                              seconds=wait)]
        return None, _page(form, status=429)
    suggestion = services.by_code(form.code.data or "")
    if suggestion is None:
        throttle.record_failure(THROTTLE_KEY, _client())
        db.session.commit()
        form.code.errors = [_("This code does not open any suggestion. Check it and try again.")]
        return None, _page(form, status=422)
    return suggestion, None


@bp.route("/code", methods=["GET", "POST"])
def code():
    """Type the follow-up code; see the item, its answer and the conversation."""
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(form, status=422 if form.errors else 200)
    suggestion, refusal = _find(form)
    return refusal or _page(form, suggestion)


@bp.post("/code/reply")
def code_reply():
    """The submitter replies, holding the code."""
    form = CodeReplyForm()
    suggestion, refusal = _find(form)
    if refusal:
        return refusal
    if not form.validate_on_submit():
        return _page(form, suggestion, status=422, reply_form=form)
    services.reply_as_submitter(suggestion, form.body.data)
    db.session.commit()
    flash(_("Your reply was sent."), "success")
    return _page(form, suggestion)


@bp.post("/code/rate")
def code_rate():
    """The submitter rates the answer, holding the code."""
    form = RatingForm()
    suggestion, refusal = _find(form)
    if refusal:
        return refusal
    if not form.validate_on_submit():
        return _page(form, suggestion, status=422, rating_form=form)
    try:
        services.rate(suggestion, form.rating.data, form.comment.data or "")
    except Refused as refused:
        form.rating.errors = [str(refused)]
        return _page(form, suggestion, status=422, rating_form=form)
    db.session.commit()
    flash(_("Thank you for rating the answer."), "success")
    return _page(form, suggestion)


@bp.post("/<int:suggestion_id>/rate")
def rate(suggestion_id: int):
    """A named submitter rates the answer to their own item."""
    suggestion = get_suggestion(suggestion_id, current_user)
    if suggestion.submitter_id != current_user.id:
        return see_other(url_for("suggestions.detail", suggestion_id=suggestion.id))
    form = RatingForm()
    if form.validate_on_submit():
        try:
            services.rate(suggestion, form.rating.data, form.comment.data or "")
        except Refused as refused:
            form.rating.errors = [str(refused)]
        else:
            db.session.commit()
            flash(_("Thank you for rating the answer."), "success")
            return see_other(url_for("suggestions.detail", suggestion_id=suggestion.id))
    return detail_page(suggestion, 422, rating_form=form)


@bp.post("/<int:suggestion_id>/reply")
def reply(suggestion_id: int):
    """A reply under an item: from its named submitter, or from those who answer it."""
    from portal.blueprints.suggestions import answers

    suggestion = get_suggestion(suggestion_id, current_user)
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            if suggestion.submitter_id == current_user.id:
                services.reply_as_submitter(suggestion, form.body.data)
            else:
                answers.staff_reply(suggestion, current_user, form.body.data)
        except Refused as refused:
            form.body.errors = [str(refused)]
        else:
            db.session.commit()
            flash(_("Your reply was sent."), "success")
            return see_other(url_for("suggestions.detail", suggestion_id=suggestion.id))
    return detail_page(suggestion, 422, reply_form=form)
