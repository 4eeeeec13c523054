"""Recording administrative actions."""

from flask import has_request_context
from flask_login import current_user

from portal.blueprints.audit.models import AuditEntry
from portal.extensions import db


def record(action: str, target: str = "", actor=None, **details) -> AuditEntry:
    """Add an audit entry for `action` on `target`; the caller commits with its change."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(action=action, target=target, actor=actor, details=details)
    db.session.add(entry)
    return entry
