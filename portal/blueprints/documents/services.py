"""Starting documents and finding them for their owner."""

import logging
from datetime import timedelta

from flask import abort
from flask_babel import get_locale
from redis.exceptions import RedisError
from sqlalchemy import select

from portal.blueprints.audit.services import record
from portal.blueprints.documents.models import DONE, QUEUED, RUNNING, Document
from portal.extensions import db
from portal.htmx import render
from portal.queue import enqueue
from portal.timeutil import utcnow

log = logging.getLogger(__name__)

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


def start_document(kind: str, user, cache_key: str = "", **params) -> Document:
    """Ask for a document: record it (and the audit entry), commit, then hand it to a worker.

    The one way every module starts a job-made file; show the result with progress_widget.
    """
    document, is_new = request_document(kind, user, cache_key=cache_key, **params)
    record("document.request", f"document:{document.id}", actor=user, kind=kind)
    db.session.commit()
    if is_new:
        dispatch(document)
    return document


def dispatch(document: Document) -> bool:
    """Enqueue the job that makes `document` (after the commit it reads); False if Redis is down.

    A document that could not be enqueued stays queued without a job id: the person sees that
    it waits for the background service, and the sweep (jobs/maintenance) enqueues it later.
    """
    try:
        job = enqueue("jobs.documents.render_document", document.id)
    except RedisError as error:
        log.warning("document %s not queued, Redis unavailable: %s", document.id, error)
        return False
    document.job_id = job.id
    db.session.commit()
    return True


def progress_widget(document: Document):
    """The self-polling progress widget (the whole status page to a plain request)."""
    return render("documents/status.html", "widget", document=document)


def get_document(document_id: int, for_user) -> Document:
    """The document if this person asked for it (or it is shared by cache key); else 404."""
    document = db.session.get(Document, document_id)
    if document is None or (document.owner_id != for_user.id and not document.cache_key):
        abort(404)
    return document
