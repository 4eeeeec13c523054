"""notify(): the one way any module tells a person something."""

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale, gettext
from redis.exceptions import RedisError
from sqlalchemy import event, func, inspect, select, update

from portal.blueprints.notifications.models import Notification
from portal.extensions import db
from portal.queue import enqueue
from portal.timeutil import utcnow

log = logging.getLogger(__name__)


def notify(user, title: str, body: str = "", link: str = "", **params) -> Notification:
    """Notify `user`; `title`/`body` are msgids translated into the recipient's language.

    Translating for the recipient (not the sender) is why the strings come untranslated, marked
    with lazy_gettext or N_ at the call site, with %(name)s placeholders filled from `params`.
    The caller commits. E-mail goes out when SMTP is configured and the person has an address,
    queued only once the notification is committed (see _queue_email); if Redis is down then,
    the row keeps `email_due` and the every-minute sweep queues it when Redis is back.
    """
    with force_locale(user.language or "zh_CN"):
        title_text = gettext(title, **params)
        body_text = gettext(body, **params) if body else ""
    note = Notification(user_id=user.id, title=title_text, body=body_text, link=link)
    db.session.add(note)
    forget_loaded_count(user)
    if current_app.config.get("MAIL_SERVER") and user.email:
        note.email_due = True
        db.session.info.setdefault(PENDING_EMAIL, []).append(note)
    return note


# E-mails wait on the session until its commit: a worker must never mail about a notification
# that was rolled back, nor before the row it talks about can be read.
PENDING_EMAIL = "pending_email"


def queue_email(notification_id: int) -> None:
    """Queue the e-mail of a notification that has one due (its job id names the notification)."""
    enqueue("jobs.mail.send_notification_email", notification_id,
            job_id=f"notification-email-{notification_id}")


@event.listens_for(db.session, "after_commit")
def _queue_email(session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint was released; the real commit is still to come
    for note in session.info.pop(PENDING_EMAIL, []):
        notification_id = inspect(note).identity[0]  # no SQL here: the row's key is known
        try:
            queue_email(notification_id)
        except RedisError as error:  # the action is committed; the row says the e-mail is due
            log.warning("e-mail of notification %s not queued (the sweep will): %s",
                        notification_id, error)


@event.listens_for(db.session, "after_transaction_end")
def _forget_email(session, transaction) -> None:
    if transaction.parent is None:  # rolled back or closed: what was not committed is not sent
        session.info.pop(PENDING_EMAIL, None)


def unread_count(user) -> int:
    """The bell's number. The user loader counts it with the person (one query for the page's
    frame); a request that marks or adds notifications of its own person counts again."""
    if getattr(user, "unread_at_load", None) is not None:
        return user.unread_at_load
    query = select(func.count()).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return db.session.scalar(query) or 0


def forget_loaded_count(user) -> None:
    """The count read with the person is out of date: this request changed their notifications."""
    user.unread_at_load = None


def mark_all_read(user) -> None:
    forget_loaded_count(user)
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )


def deliver_email(to: str, subject: str, body: str) -> None:
    """Best effort: a mail server that is down must not fail the action that notified."""
    cfg = current_app.config
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = cfg["MAIL_FROM"], to, subject
    message.set_content(body or subject)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("e-mail to %s not sent: %s", to, error)
