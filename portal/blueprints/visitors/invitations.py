"""The visitor's e-mail invitation (and its update when the visit moves or is cancelled): sent
only when the host gave the visitor's address and mail is configured, after the commit, by the
worker's `jobs.mail.send_email`. We do not know a visitor's language, so it is in Chinese and
English, one after the other; the visit code is in it as text (shown at the desk, or its QR on
the badge)."""

import logging

from flask import current_app
from flask_babel import force_locale, gettext
from redis.exceptions import RedisError

from portal.blueprints.visitors.models import CANCELLED, Visit, VisitSettings
from portal.queue import enqueue
from portal.settings import read_settings
from portal.timeutil import to_local

log = logging.getLogger(__name__)


def _text(visit: Visit, change: str, language: str) -> tuple[str, str]:
    with force_locale(language):
        if change == CANCELLED:
            subject = gettext("Your visit on %(when)s is cancelled", when=_when(visit))
        elif change:
            subject = gettext("Your visit has moved: now %(when)s", when=_when(visit))
        else:
            subject = gettext("Invitation: your visit on %(when)s", when=_when(visit))
        lines = [subject,
                 gettext("Host: %(host)s", host=visit.host.name),
                 gettext("Address: %(address)s",
                         address=read_settings(VisitSettings).address or "—"),
                 gettext("Please bring: %(notes)s", notes=visit.notes or "—"),
                 gettext("Your visit code (show it at reception): %(code)s", code=visit.code)]
    return subject, "\n".join(lines)


def _when(visit: Visit) -> str:
    return f"{to_local(visit.arrives_at):%Y-%m-%d %H:%M}"


def send(visit: Visit, change: str = "") -> int:
    """Queue one e-mail per visitor with an address; call after the commit. Best effort."""
    if not current_app.config.get("MAIL_SERVER"):
        return 0
    sent = 0
    for visitor in visit.visitors:
        if not visitor.email:
            continue
        zh_subject, zh_body = _text(visit, change, "zh_CN")
        _en_subject, en_body = _text(visit, change, "en")
        try:
            enqueue("jobs.mail.send_email", visitor.email, zh_subject, f"{zh_body}\n\n{en_body}")
            sent += 1
        except RedisError as error:
            log.warning("visit invitation for %s not queued: %s", visit.number, error)
    return sent
