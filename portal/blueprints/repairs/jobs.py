"""Scheduled jobs of the repair module: target reminders and escalations, auto-confirmation.

Both run often and decide inside (see alerts.py), so a missed run or a double run is harmless.
The worker runs them; the scheduler enqueues them by dotted name (MODULE.cron in __init__.py),
so the web app never imports this file.
"""

from jobs import app_job
from portal.blueprints.repairs import alerts, figures_summary
from portal.extensions import db
from portal.timeutil import local_today, portal_tz, utcnow


@app_job
def check_repair_targets() -> tuple[int, int]:
    """Remind assignees of targets due soon; escalate missed ones to the facilities lead."""
    result = alerts.send_target_alerts(utcnow())
    db.session.commit()
    return result


@app_job
def auto_confirm_repairs() -> int:
    """Close resolved requests the requester left unanswered for the set number of days."""
    closed = alerts.auto_confirm_resolved(utcnow())
    db.session.commit()
    return closed



@app_job
def check_repair_figures() -> bool:
    """Compare the last three months' figure summaries with the requests; rebuild on a
    difference (a write that went around the ORM). Returns whether they matched."""
    matched = figures_summary.check(db.session.connection(), portal_tz(), local_today())
    db.session.commit()
    return matched
