"""Housekeeping jobs, started by `rq cron` (see jobs/cron.py)."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from jobs import app_job
from portal.blueprints.documents.models import Document
from portal.blueprints.pwa.outbox import purge_receipts
from portal.extensions import db
from portal.timeutil import utcnow


@app_job
def purge_old_documents() -> int:
    """Delete generated documents and outbox receipts past the retention period."""
    cutoff = utcnow() - timedelta(days=current_app.config["DOCUMENT_RETENTION_DAYS"])
    result = db.session.execute(delete(Document).where(Document.created_at < cutoff))
    purge_receipts(current_app.config["DOCUMENT_RETENTION_DAYS"])
    db.session.commit()
    return result.rowcount
