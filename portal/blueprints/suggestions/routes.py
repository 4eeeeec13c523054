"""Suggestion box 员工意见箱 for employees: the board, submitting (offline too), +1 and follow.

The follow-up code pages (public) are in followup.py, the office's triage in office.py; they
register their views on the same blueprint.
"""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.pwa.models import OutboxReceipt
from portal.blueprints.pwa.outbox import outbox, outbox_id
from portal.blueprints.suggestions import queries, services
from portal.blueprints.suggestions.forms import SuggestionForm
from portal.blueprints.suggestions.models import EVENTS, STATUSES, SuggestionPhoto
from portal.blueprints.suggestions.pages import detail_page, get_suggestion
from portal.converters import db_int
from portal.extensions import db
from portal.htmx import is_fragment_request, render, see_other
from portal.i18n import Translated
from portal.keys import plain
from portal.templating import kept_page
from portal.uploads import PhotoError, chosen, max_mb, read_upload

bp = Blueprint("suggestions", __name__, url_prefix="/suggestions", template_folder="templates")


bp.add_app_template_global(Translated(STATUSES), "suggestion_statuses")
bp.add_app_template_global(EVENTS, "suggestion_events")


@bp.app_template_global("category_name")
def category_name(category) -> str:
    return category.name(str(get_locale())) if category else ""


@bp.get("/")
@reads_who_only(apart=True)  # the person and the board on one connection, outside the ORM
def index():
    """The board: published items with their outcome.

    The page's content is kept per what it shows: the language, whether I am the office (the
    sub-navigation), the page and category asked for, the board's and my cards, the categories.
    """
    page = max(request.args.get("page", 1, type=db_int), 1)
    category = request.args.get("category", 0, type=db_int) or None
    items, more = queries.board(page, category)
    names, categories = queries.category_names(get_locale())
    mine = queries.mine(current_user) if page == 1 else []
    key = ("suggestions", current_user.has_role("office"), page, category, more,
           plain(items), plain(mine), plain(names), plain(categories))
    return kept_page("suggestions/index.html", key, lambda: dict(
        items=items, more=more, page=page, category=category, categories=categories,
        category_names=names, mine=mine,
        # One item's address made once, the id appended per card (not a url_for per card).
        detail_url=url_for("suggestions.detail", suggestion_id=0).removesuffix("0")))


def _form() -> SuggestionForm:
    form = SuggestionForm()
    form.category_id.choices = [(0, _("— choose —"))] + [
        (c.id, c.name(str(get_locale()))) for c in services.categories()]
    return form


def _forget_receipt(key: str | None) -> None:
    """An anonymous item must not be tied to the person by the outbox receipt (which holds
    their user id): the receipt goes with this transaction; the item's intake hash takes its
    place as the replay guard (a replay finds it and gets the same answer)."""
    receipt = db.session.get(OutboxReceipt, key) if key else None
    if receipt is not None:
        db.session.delete(receipt)


@bp.route("/new", methods=["GET", "POST"])
@outbox
def new():
    """Submit a suggestion, phone first; offline it waits in the outbox."""
    form = _form()
    key = outbox_id()
    if form.validate_on_submit():
        if form.anonymous.data and key and services.taken_intake(key) is not None:
            _forget_receipt(key)  # a replay of a form already taken
            db.session.commit()
            return see_other(url_for("suggestions.sent"))
        try:
            photo = read_upload(form.photo.data)
        except PhotoError as error:
            form.photo.errors.append(str(error))
        else:
            suggestion, code = services.submit(
                current_user, form.category_id.data, form.title.data, form.text.data,
                anonymous=form.anonymous.data, photo=photo, code=form.code.data or "",
                intake=key if form.anonymous.data and key else "")
            if suggestion.anonymous:
                _forget_receipt(key)
                db.session.commit()
                session["suggestion_code"] = code  # the session cookie: on the phone only
                return see_other(url_for("suggestions.sent"))
            db.session.commit()
            flash(_("Suggestion %(number)s received. You will hear when it is answered.",
                    number=suggestion.number), "success")
            return see_other(url_for("suggestions.detail", suggestion_id=suggestion.id))
    status = 422 if form.errors else 200
    return render("suggestions/new.html", form=form, max_mb=max_mb(),
                  photo_again=status == 422 and chosen([form.photo.data])), status


@bp.get("/sent")
def sent():
    """After an anonymous suggestion: its follow-up code, shown this once."""
    code = session.pop("suggestion_code", "")
    response = Response(render_template("suggestions/sent.html",
                                        code=services.show_code(code) if code else ""))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/similar")
def similar():
    """Board items like the title being typed ("+1 that instead?"), for htmx."""
    if not is_fragment_request():  # opened as a page: the form it belongs to
        return redirect(url_for("suggestions.new"))
    title = request.args.get("title", "")[:120]
    items = queries.similar(title) if len(title.strip()) >= 2 else []
    return render("suggestions/_similar.html", items=items)


@bp.get("/<int:suggestion_id>")
def detail(suggestion_id: int):
    """One item: its text, outcome and conversation; +1 and follow; the staff's tools."""
    suggestion = get_suggestion(suggestion_id, current_user)
    return detail_page(suggestion)


@bp.post("/<int:suggestion_id>/plus")
def plus(suggestion_id: int):
    """+1 an item on the board (once per person) and follow it."""
    suggestion = get_suggestion(suggestion_id, current_user)
    if suggestion.published_at is None:
        abort(404)
    added = services.support(current_user, suggestion)
    db.session.commit()
    flash(_("+1 counted. You will hear when its outcome changes.") if added
          else _("You had already given this +1."), "success")
    return see_other(url_for("suggestions.detail", suggestion_id=suggestion.id))


@bp.post("/<int:suggestion_id>/follow")
def follow(suggestion_id: int):
    """Follow an item, or stop following it (on=0)."""
    suggestion = get_suggestion(suggestion_id, current_user)
    on = request.form.get("on") == "1"
    services.follow(current_user, suggestion, on=on)
    db.session.commit()
    flash(_("You follow this suggestion.") if on else _("You no longer follow this suggestion."),
          "success")
    return see_other(url_for("suggestions.detail", suggestion_id=suggestion.id))


@bp.get("/photos/<int:suggestion_id>")
def photo(suggestion_id: int):
    """The photo (or scan) of an item, for those who may see the item."""
    suggestion = get_suggestion(suggestion_id, current_user)
    item = db.session.scalar(db.select(SuggestionPhoto).where(
        SuggestionPhoto.suggestion_id == suggestion.id))
    if item is None:
        abort(404)
    return Response(item.data, mimetype="image/jpeg",
                    headers={"Cache-Control": "private, max-age=86400"})
