"""The web app's side of the job queue: enqueue a job by its dotted name.

The web app never imports `jobs/` (the worker's code imports the app, not the other way round):
`enqueue("jobs.documents.render_document", document.id)`, as microblog does.
"""

from flask import current_app
from rq import Queue

from portal.redis_conn import get_redis

JOB_TIMEOUT = 600  # seconds; a job running longer is stopped (and retried once, if it may be)


def get_queue() -> Queue:
    return Queue(current_app.config["RQ_QUEUE"], connection=get_redis())


def enqueue(job: str, *args, **kwargs):
    """Put a job on the queue (a dotted name; tests may pass the function). Call after commit."""
    return get_queue().enqueue(job, *args, job_timeout=JOB_TIMEOUT, **kwargs)
