"""E-mail, sent by a worker so that a slow mail server never slows a page."""

from jobs import app_job


@app_job
def send_email(to: str, subject: str, body: str) -> None:
    """Send one e-mail through the configured SMTP server."""
    from portal.blueprints.notifications.services import deliver_email

    deliver_email(to, subject, body)
