"""Page pieces the visitor module's view files share (routes.py, desk.py)."""

from flask import flash, url_for

from portal.htmx import see_other


def back(visit, message: str, category: str = "success", to: str | None = None):
    """After an action: the message, then the visit's page (or `to`)."""
    flash(message, category)
    return see_other(to or url_for("visitors.detail", visit_id=visit.id))
