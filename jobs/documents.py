"""Document jobs: make a PDF or spreadsheet and store it on its Document row."""

import logging
import time

from flask_babel import force_locale
from rq import get_current_job
from sqlalchemy import update

from jobs import app_job
from portal.blueprints.documents.models import DONE, FAILED, QUEUED, RUNNING, Document
from portal.extensions import db
from portal.timeutil import utcnow

log = logging.getLogger(__name__)


def _renderers() -> dict:
    # kind -> function(document) returning (filename, mimetype, bytes): the foundation's, then
    # each module's (declared in its package, see portal/modules.py).
    from portal.blueprints.admin import reports
    from portal.modules import modules

    renderers = {"roster_pdf": reports.roster_pdf, "users_xlsx": reports.users_xlsx}
    for module in modules():
        renderers.update(module.documents)
    return renderers


@app_job
def render_document(document_id: int) -> str:
    """Render one Document by its kind; record progress, the file, or the error."""
    if not _claim(document_id):
        return "skipped"
    document = db.session.get(Document, document_id)
    started = time.perf_counter()
    try:
        renderer = _renderers()[document.kind]
        with force_locale(document.params.get("locale", "zh_CN")):
            filename, mimetype, content = renderer(document)
    except Exception as error:  # any failure must reach the person waiting for it
        log.exception("document %s failed", document_id)
        db.session.rollback()
        document = db.session.get(Document, document_id)
        document.status, document.error = FAILED, str(error)[:500]
        document.finished_at = utcnow()
        db.session.commit()
        return "failed"
    document.filename, document.mimetype, document.content = filename, mimetype, content
    document.size, document.progress, document.status = len(content), 100, DONE
    document.finished_at = utcnow()
    db.session.commit()
    log.info("document %s (%s) %d bytes in %.2fs", document_id, document.kind, len(content),
             time.perf_counter() - started)
    return "done"


def _claim(document_id: int) -> bool:
    """Mark the document running, if this job is the one it waits for (a conditional UPDATE).

    A copy enqueued twice (a sweep racing a request) or a finished document is left alone; the
    same job retried after its worker died claims it again.
    """
    job = get_current_job()
    query = update(Document).where(Document.id == document_id,
                                   Document.status.in_((QUEUED, RUNNING)))
    if job is not None:
        query = query.where(Document.job_id == job.id)
    claimed = db.session.execute(
        query.values(status=RUNNING, progress=10, attempts=Document.attempts + 1)).rowcount
    db.session.commit()
    return claimed == 1


@app_job
def mark_abandoned(document_id: int, job_id: str) -> bool:
    """The job died with its worker and has no retry left: tell the person it failed."""
    failed = db.session.execute(
        update(Document)
        .where(Document.id == document_id, Document.job_id == job_id,
               Document.status.in_((QUEUED, RUNNING)))
        .values(status=FAILED, error="abandoned", finished_at=utcnow())
    ).rowcount
    db.session.commit()
    if failed:
        log.warning("document %s failed: its job %s was abandoned twice", document_id, job_id)
    return bool(failed)


def job_abandoned(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's failure callback (a worker killed mid-job, a timeout): fail it when no retry is left.

    With a retry left RQ enqueues the same job again, which claims the document again.
    """
    if not job.retries_left:
        mark_abandoned(job.args[0], job.id)
