"""Scheduled jobs of the meetings module, enqueued by dotted name (the web app never imports
this file). They run often and decide inside (alerts.py), so a missed or double run is harmless."""

from jobs import app_job
from portal.blueprints.meetings import alerts
from portal.extensions import db
from portal.timeutil import utcnow


@app_job
def send_meeting_reminders() -> int:
    """Reminders the day before and 30 minutes before each meeting."""
    sent = alerts.send_reminders(utcnow())
    db.session.commit()
    return sent


@app_job
def release_unclaimed_rooms() -> int:
    """Free the rooms of bookings nobody checked in to."""
    released = alerts.release_unclaimed(utcnow())
    db.session.commit()
    return released
