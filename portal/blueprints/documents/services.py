"""Starting documents and finding them for their owner."""

import logging
import uuid

from flask import abort
from flask_babel import get_locale
from redis.exceptions import RedisError
from rq import Callback, Retry
from sqlalchemy import select, update

from portal.blueprints.audit.services import record
from portal.blueprints.documents.models import (
    DONE,
    FAILED,
    MAX_ATTEMPTS,
    QUEUED,
    RUNNING,
    Document,
)
from portal.extensions import db
from portal.htmx import render
from portal.queue import enqueue

log = logging.getLogger(__name__)


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
    # However old: nothing stays pending for ever (the sweep re-enqueues or fails it).
    query = select(Document).where(Document.kind == kind, Document.status.in_((QUEUED, RUNNING)))
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
    """Enqueue the job that makes `document` (after the commit it reads); False if not enqueued.

    The job id is claimed first by a conditional UPDATE (from the id this copy of the row
    holds), so of two sweeps or a sweep and a request, one enqueues and the other does nothing.
    If Redis is down the claim is undone: the row stays queued without a job, the person sees
    that it waits for the background service, and the sweep (jobs/maintenance) enqueues it later.
    """
    old_id, job_id = document.job_id, uuid.uuid4().hex
    claimed = db.session.execute(
        update(Document)
        .where(Document.id == document.id, Document.job_id == old_id,
               Document.status.in_((QUEUED, RUNNING)))
        .values(job_id=job_id, status=QUEUED)
    ).rowcount
    db.session.commit()
    if claimed != 1:
        return False
    try:
        enqueue("jobs.documents.render_document", document.id, job_id=job_id,
                retry=Retry(max=MAX_ATTEMPTS - 1),
                on_failure=Callback("jobs.documents.job_abandoned"))
    except RedisError as error:
        log.warning("document %s not queued, Redis unavailable: %s", document.id, error)
        db.session.execute(update(Document).where(Document.id == document.id,
                                                  Document.job_id == job_id).values(job_id=""))
        db.session.commit()
        return False
    return True


def try_again(document: Document) -> None:
    """A failed document, asked for again by the person: a fresh start on the same row."""
    if document.status != FAILED:
        return
    document.status, document.progress, document.error = QUEUED, 0, ""
    document.attempts, document.finished_at = 0, None
    record("document.retry", f"document:{document.id}", kind=document.kind)
    db.session.commit()
    dispatch(document)


def progress_widget(document: Document):
    """The self-polling progress widget (the whole status page to a plain request)."""
    return render("documents/status.html", "widget", document=document)


def get_document(document_id: int, for_user) -> Document:
    """The document if this person asked for it (or it is shared by cache key); else 404."""
    document = db.session.get(Document, document_id)
    if document is None or (document.owner_id != for_user.id and not document.cache_key):
        abort(404)
    return document
