"""E-mail, sent by a worker so that a slow mail server never slows a page."""

from sqlalchemy import update

from jobs import app_job
from portal.blueprints.accounts.models import User
from portal.blueprints.notifications.models import Notification
from portal.extensions import db


@app_job
def send_notification_email(notification_id: int) -> bool:
    """E-mail a notification whose e-mail is due, at most once.

    The row is claimed (email_due cleared by a conditional UPDATE, committed) before sending: a
    copy queued twice (the sweep racing the request) sends nothing, and a worker killed after
    the claim loses that one e-mail rather than sending it twice. The bell has it anyway.
    """
    claimed = db.session.execute(
        update(Notification).where(Notification.id == notification_id,
                                   Notification.email_due.is_(True))
        .values(email_due=False)).rowcount
    db.session.commit()
    if not claimed:
        return False
    note = db.session.get(Notification, notification_id)
    person = db.session.get(User, note.user_id)
    if person is not None and person.email:
        send_email(person.email, note.title, note.body)
    return True


@app_job
def send_email(to: str, subject: str, body: str) -> None:
    """Send one e-mail through the configured SMTP server."""
    from portal.blueprints.notifications.services import deliver_email

    deliver_email(to, subject, body)
