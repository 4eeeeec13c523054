"""A document's progress (polled by htmx) and its download."""

from urllib.parse import quote

from flask import Blueprint, Response, abort
from flask_login import current_user

from portal.blueprints.documents.services import get_document, progress_widget, try_again
from portal.htmx import render

bp = Blueprint("documents", __name__, url_prefix="/documents", template_folder="templates")


@bp.get("/<int:document_id>")
def status(document_id: int):
    """The document's page; to htmx, only the progress widget (it polls itself until done)."""
    document = get_document(document_id, for_user=current_user)
    return render("documents/status.html", "widget", document=document)


@bp.post("/<int:document_id>/retry", endpoint="try_again")
def try_again_view(document_id: int):
    """Start a failed document again (the widget's "Try again")."""
    document = get_document(document_id, for_user=current_user)
    try_again(document)
    return progress_widget(document)


@bp.get("/<int:document_id>/download")
def download(document_id: int):
    """The finished file."""
    document = get_document(document_id, for_user=current_user)
    if document.status != "done":
        abort(404)
    return Response(
        document.content,
        mimetype=document.mimetype,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.filename)}",
            "Cache-Control": "private, no-store",
        },
    )

