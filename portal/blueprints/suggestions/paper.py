"""The office's back room: paper slips and their receipts, categories, answer templates,
ratings, figures by department and the weekly digest."""

from datetime import timedelta
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.documents.models import Document
from portal.blueprints.documents.services import dispatch, request_document
from portal.blueprints.suggestions import queries, services
from portal.blueprints.suggestions.forms import CategoryForm, CodeForm, PaperForm, TemplateForm
from portal.blueprints.suggestions.models import AnswerTemplate, Suggestion, SuggestionCategory
from portal.blueprints.suggestions.office import _week
from portal.blueprints.suggestions.routes import bp
from portal.extensions import db
from portal.htmx import render
from portal.pdf import render_pdf
from portal.security import role_required
from portal.timeutil import local_today, monday_of
from portal.uploads import PhotoError, chosen, max_mb, read_upload

DIGEST = "suggestions_digest"


@bp.route("/paper", methods=["GET", "POST"])
@role_required("office")
def paper():
    """Type in a slip from the paper box; its code is shown once, with the receipt to print."""
    form = PaperForm()
    form.category_id.choices = [(0, _("— choose —"))] + [
        (c.id, c.name(str(get_locale()))) for c in services.categories()]
    if form.validate_on_submit():
        try:
            scan = read_upload(form.scan.data)
        except PhotoError as error:
            form.scan.errors.append(str(error))
        else:
            suggestion, code = services.enter_paper(current_user, form.category_id.data,
                                                    form.title.data, form.text.data, scan)
            db.session.commit()
            response = Response(render_template(
                "suggestions/paper_done.html", s=suggestion, code=services.show_code(code),
                receipt_form=CodeForm(formdata=None, code=code)))
            response.headers["Cache-Control"] = "no-store"
            return response
    status = 422 if form.errors else 200
    return render("suggestions/paper.html", form=form, max_mb=max_mb(),
                  photo_again=status == 422 and chosen([form.scan.data])), status


@bp.post("/paper/<int:suggestion_id>/receipt.pdf")
@role_required("office")
def receipt(suggestion_id: int):
    """The small receipt with the follow-up code, made now from the code posted back: the code
    is never stored, so neither is a PDF that shows it."""
    suggestion = db.get_or_404(Suggestion, suggestion_id)
    code = services.normalize_code(request.form.get("code", ""))
    if suggestion.channel != "paper" or services.by_code(code) is not suggestion:
        abort(404)
    with force_locale("zh_CN"):  # pinned beside the box, in Chinese as the box is
        pdf = render_pdf("suggestions/pdf/receipt.html", s=suggestion,
                         code=services.show_code(code),
                         code_url=url_for("suggestions.code", _external=True))
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(suggestion.number)}.pdf",
        "Cache-Control": "no-store"})


@bp.route("/settings", methods=["GET", "POST"])
@role_required("office")
def settings():
    """Categories (add, rename, hide) and answer templates per outcome."""
    category_form, template_form = CategoryForm(prefix="c"), TemplateForm(prefix="t")
    action = request.form.get("action")
    if action == "category" and category_form.validate_on_submit():
        count = len(services.categories(active_only=False))
        db.session.add(SuggestionCategory(name_zh=category_form.name_zh.data.strip(),
                                          name_en=category_form.name_en.data.strip(),
                                          position=count, active=True))
        return _saved(_("Category added."))
    if action == "toggle":
        category = db.get_or_404(SuggestionCategory, request.form.get("id", type=int))
        category.active = not category.active
        return _saved(_("Category updated."))
    if action == "template" and template_form.validate_on_submit():
        db.session.add(AnswerTemplate(outcome=template_form.outcome.data,
                                      name=template_form.name.data.strip(),
                                      body=template_form.body.data.strip()))
        return _saved(_("Template added."))
    if action == "delete_template":
        db.session.delete(db.get_or_404(AnswerTemplate, request.form.get("id", type=int)))
        return _saved(_("Template deleted."))
    status = 422 if category_form.errors or template_form.errors else 200
    return render_template(
        "suggestions/settings.html", category_form=category_form, template_form=template_form,
        categories=services.categories(active_only=False),
        templates=db.session.scalars(select(AnswerTemplate).order_by(AnswerTemplate.outcome))
        .all()), status


def _saved(message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("suggestions.settings"), code=303)


@bp.get("/figures")
@role_required("office")
def figures():
    """Ratings of answers, and items by submitter department (small departments hidden)."""
    last = local_today()
    first = last - timedelta(days=90)
    shown, hidden_people, hidden_items = queries.by_department(first, last)
    return render_template("suggestions/figures.html", rows=shown, hidden_people=hidden_people,
                           hidden_items=hidden_items, first=first, last=last,
                           ratings=queries.ratings(), min_group=queries.MIN_GROUP)


@bp.route("/digests", methods=["GET", "POST"])
@role_required("office")
def digests():
    """Weekly digests (made each Monday morning), and making one now for a chosen week."""
    if request.method == "POST":
        monday = _week(request.form.get("week"))
        start_digest(current_user, monday)
        flash(_("The digest is being made; it appears below when ready."), "success")
        return redirect(url_for("suggestions.digests"), code=303)
    documents = db.session.scalars(select(Document).where(Document.kind == DIGEST)
                                   .order_by(Document.id.desc()).limit(30)).all()
    return render_template("suggestions/digests.html", documents=documents,
                           last_monday=monday_of(local_today()) - timedelta(days=7))


def start_digest(owner, monday) -> Document:
    """Ask the worker for a week's digest (one per week: a pending one is reused)."""
    document, new = request_document(DIGEST, owner, monday=monday.isoformat(), locale="zh_CN")
    db.session.commit()
    if new:
        dispatch(document)
    return document


@bp.get("/digests/<int:document_id>")
def digest_download(document_id: int):
    """A finished digest, for anyone in the office (whoever or whatever asked for it)."""
    # The role is checked here rather than by @role_required: the office-page sweep of
    # tests/test_security.py cannot yet build a document id (Module.url_arguments will).
    if not current_user.has_role("office"):
        abort(403)
    document = db.get_or_404(Document, document_id)
    if document.kind != DIGEST or document.status != "done":
        abort(404)
    return Response(document.content, mimetype=document.mimetype, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
        "Cache-Control": "private, no-store"})
