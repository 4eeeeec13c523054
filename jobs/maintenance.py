"""Housekeeping jobs of the foundation, scheduled in jobs/cron.py."""

from datetime import timedelta

from flask import current_app
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from sqlalchemy import delete, select

from jobs import app_job, get_queue
from jobs.documents import mark_abandoned
from portal.blueprints.accounts import sessions
from portal.blueprints.documents.models import MAX_ATTEMPTS, QUEUED, RUNNING, Document
from portal.blueprints.documents.services import dispatch
from portal.blueprints.notifications.models import Notification
from portal.blueprints.notifications.services import queue_email
from portal.blueprints.pwa.outbox import purge_receipts
from portal.extensions import db
from portal.redis_conn import get_redis
from portal.timeutil import utcnow


@app_job
def purge_old_documents() -> int:
    """Delete generated documents and outbox receipts past the retention period."""
    cutoff = utcnow() - timedelta(days=current_app.config["DOCUMENT_RETENTION_DAYS"])
    result = db.session.execute(delete(Document).where(Document.created_at < cutoff))
    purge_receipts(current_app.config["DOCUMENT_RETENTION_DAYS"])
    db.session.commit()
    return result.rowcount


@app_job
def purge_sessions() -> int:
    """Delete sign-ins ended or expired more than a week ago (they open nothing any more)."""
    count = sessions.purge()
    db.session.commit()
    return count


# A live job: waiting, running or due to run. Anything else (missing, failed, finished,
# stopped) means no worker will ever make the document that still waits for it.
LIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED}


@app_job
def sweep_jobs() -> dict:
    """Every minute: retry or fail abandoned jobs, and dispatch documents no job will make.

    1. RQ's started-job registry: a job whose worker stopped sending heartbeats (killed with
       its work horse, OOM, machine restart) is retried once, then failed (jobs.documents
       job_abandoned tells the person).
    2. Documents queued or running with no live job (Redis was down when they were asked for,
       or lost its data): enqueued again, by the same conditional claim as a request; a running
       one that already had its retry is failed.
    3. Notification e-mails still due with no live job (Redis was down after the commit): queued.
    4. Jobs a worker took off the queue but never started (Redis handed them to the connection
       of a worker that had died, e.g. with its machine): back on the queue after a minute.
    """
    connection = get_redis()
    queue = get_queue()
    StartedJobRegistry(queue=queue).cleanup()
    counts = {"enqueued": 0, "failed": 0, "emails": _queue_due_emails(connection),
              "undelivered": _requeue_undelivered(queue)}
    pending = db.session.scalars(
        select(Document).where(Document.status.in_((QUEUED, RUNNING))).order_by(Document.id))
    for document in pending.all():
        if document.job_id and _job_status(document.job_id, connection) in LIVE:
            continue
        if document.status == RUNNING and document.attempts >= MAX_ATTEMPTS:
            counts["failed"] += mark_abandoned(document.id, document.job_id)
        elif dispatch(document):
            counts["enqueued"] += 1
    return counts


def _job_status(job_id: str, connection):
    try:
        return Job.fetch(job_id, connection=connection).get_status()
    except NoSuchJobError:
        return None


def _queue_due_emails(connection) -> int:
    """Queue the e-mails of notifications that still have one due and no job on its way."""
    due = db.session.scalars(select(Notification.id).where(
        Notification.email_due.is_(True),
        Notification.created_at < utcnow() - timedelta(minutes=1),  # its own job is on its way
    ).order_by(Notification.id).limit(500)).all()
    queued = 0
    for notification_id in due:
        if _job_status(f"notification-email-{notification_id}", connection) not in LIVE:
            queue_email(notification_id)
            queued += 1
    return queued


def _requeue_undelivered(queue) -> int:
    """Jobs moved off the queue by a blocking pop whose worker never started them.

    RQ moves a job to an intermediate list as it hands it to a worker, then into the started
    registry. A worker that died while its connection stayed open (a crashed machine, or an
    orphaned child holding the socket) leaves the job there, still "queued", for ever. Seen
    there by two sweeps a minute apart (RQ's own first-seen mark), it never started: queued again.
    """
    waiting = queue.intermediate_queue
    requeued = 0
    for job_id in waiting.get_job_ids():
        if job_id in queue.started_job_registry or waiting.set_first_seen(job_id):
            continue
        if not waiting.should_be_cleaned_up(job_id):
            continue
        waiting.remove(job_id)
        job = queue.fetch_job(job_id)
        if job is not None and job.get_status() == JobStatus.QUEUED:
            queue.enqueue_job(job, at_front=True)
            requeued += 1
    return requeued
