"""Scheduled job of the task module: reminders before the due time, escalations after.

It runs often and decides inside (see alerts.py), so a missed run or a double run is harmless.
The worker runs it; the scheduler enqueues it by dotted name (MODULE.cron in __init__.py).
"""

from jobs import app_job
from portal.blueprints.tasks import alerts
from portal.extensions import db
from portal.timeutil import utcnow


@app_job
def check_task_deadlines() -> tuple[int, int]:
    """Remind owners of tasks due within a day; escalate overdue ones."""
    result = alerts.send_task_alerts(utcnow())
    db.session.commit()
    return result

