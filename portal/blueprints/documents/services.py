"""Starting documents and finding them for their owner."""

from flask import abort
from flask_babel import get_locale
from sqlalchemy import select

from portal.blueprints.documents.models import DONE, Document
from portal.extensions import db


def request_document(kind: str, owner, cache_key: str = "", **params) -> tuple[Document, bool]:
    """Find a finished document for (kind, cache_key) or create a queued one.

    Returns (document, is_new). The caller commits, then enqueues new ones with enqueue_document.
    """
    if cache_key:
        existing = db.session.scalar(
            select(Document)
            .where(Document.kind == kind, Document.cache_key == cache_key, Document.status == DONE)
            .order_by(Document.id.desc())
        )
        if existing is not None:
            return existing, False
    params.setdefault("locale", str(get_locale()))
    document = Document(kind=kind, owner_id=owner.id, cache_key=cache_key, params=params)
    db.session.add(document)
    db.session.flush()
    return document, True


def enqueue_document(document: Document) -> None:
    from jobs import enqueue
    from jobs.documents import render_document

    job = enqueue(render_document, document.id)
    document.job_id = job.id
    db.session.commit()


def get_document(document_id: int, for_user) -> Document:
    """The document if this person asked for it (or it is shared by cache key); else 404."""
    document = db.session.get(Document, document_id)
    if document is None or (document.owner_id != for_user.id and not document.cache_key):
        abort(404)
    return document
