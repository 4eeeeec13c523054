"""Starting documents and finding them for their owner."""

from datetime import timedelta

from flask import abort
from flask_babel import get_locale
from sqlalchemy import select

from portal.blueprints.documents.models import DONE, QUEUED, RUNNING, Document
from portal.extensions import db
from portal.timeutil import utcnow

# A document still queued or running after this is taken as lost (its worker died): a new
# request starts a new job instead of waiting on it. Longer than a job may run (jobs/enqueue).
STUCK_AFTER = timedelta(minutes=15)


def request_document(kind: str, owner, cache_key: str = "", **params) -> tuple[Document, bool]:
    """Find a finished or unfinished document for the same request, or create a queued one.

    With a cache key the document is shared: a finished one with the same key is reused, and so
    is one still being made (a double click, or two people at once, start one job). Without a
    key, only the same person's unfinished one with the same parameters is reused.
    Returns (document, is_new). The caller commits, then enqueues new ones with enqueue_document.
    """
    params.setdefault("locale", str(get_locale()))
    if cache_key:
        existing = db.session.scalar(
            select(Document)
            .where(Document.kind == kind, Document.cache_key == cache_key, Document.status == DONE)
            .order_by(Document.id.desc())
        )
        if existing is not None:
            return existing, False
    pending = _pending_document(kind, owner, cache_key, params)
    if pending is not None:
        return pending, False
    document = Document(kind=kind, owner_id=owner.id, cache_key=cache_key, params=params)
    db.session.add(document)
    db.session.flush()
    return document, True


def _pending_document(kind: str, owner, cache_key: str, params: dict) -> Document | None:
    """A queued or running document that answers the same request, if one is on its way."""
    query = select(Document).where(
        Document.kind == kind,
        Document.status.in_((QUEUED, RUNNING)),
        Document.created_at > utcnow() - STUCK_AFTER,
    )
    if cache_key:
        query = query.where(Document.cache_key == cache_key)
    else:
        query = query.where(Document.cache_key == "", Document.owner_id == owner.id)
    for document in db.session.scalars(query.order_by(Document.id.desc())):
        # JSON columns cannot be compared in SQL on every database; a person has few pending.
        if cache_key or document.params == params:
            return document
    return None


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
