"""Scheduled jobs of the overtime module: reminders to approvers, purging old receipts.

Both decide inside, so a missed run or a double run is harmless.
"""

from datetime import timedelta

from sqlalchemy import update

from jobs import app_job
from portal.blueprints.overtime import approvals
from portal.blueprints.overtime.models import Claim, OvertimeSettings
from portal.extensions import db
from portal.settings import read_settings
from portal.timeutil import local_today, utcnow


@app_job
def remind_waiting_claims() -> int:
    """Remind approvers of claims waiting longer than the set time; once per wait."""
    hours = read_settings(OvertimeSettings).reminder_hours
    sent = approvals.send_reminders(utcnow(), hours, local_today())
    db.session.commit()
    return sent


@app_job
def purge_receipts() -> int:
    """Remove receipt files older than the retention period (the claim and its figures stay)."""
    days = read_settings(OvertimeSettings).receipt_retention_days
    now = utcnow()
    result = db.session.execute(
        update(Claim).where(Claim.created_at < now - timedelta(days=days),
                            Claim.receipt_removed_at.is_(None), Claim.receipt_mime != "")
        .values(receipt=None, receipt_removed_at=now))
    db.session.commit()
    return result.rowcount or 0
