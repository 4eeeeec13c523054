"""The notification centre: the bell with its count, the list, marking read."""

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.notifications.models import Notification
from portal.blueprints.notifications.services import (
    forget_loaded_count,
    mark_all_read,
    unread_count,
)
from portal.extensions import db
from portal.htmx import is_htmx, render
from portal.timeutil import utcnow

bp = Blueprint("notifications", __name__, url_prefix="/notifications",
               template_folder="templates")


@bp.get("/")
def index():
    """My latest notifications, newest first."""
    notes = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.id.desc())
        .limit(100)
    ).all()
    return render("notifications/index.html", "list", notes=notes)


@bp.get("/bell")
def bell():
    """The bell with the unread count; it polls itself, so news arrives without a reload.

    Public on purpose: a background poll must never take someone away from a half-filled
    form because their session ended. Signed out, it answers a bell that no longer polls;
    the next thing the person does themselves leads to the login page.
    """
    count = unread_count(current_user) if current_user.is_authenticated else 0
    return render("notifications/_bell.html", count=count)


@bp.post("/<int:note_id>/read")
def read(note_id: int):
    """Mark one as read and follow its link."""
    note = db.session.get(Notification, note_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    if note.read_at is None:
        note.read_at = utcnow()
        forget_loaded_count(current_user)
        db.session.commit()
    return redirect(note.link or url_for("notifications.index"), code=303)


@bp.post("/read-all")
def read_all():
    """Mark all as read."""
    mark_all_read(current_user)
    db.session.commit()
    if is_htmx():
        return index()
    return redirect(url_for("notifications.index"), code=303)


@bp.app_context_processor
def inject_unread():
    if current_user and current_user.is_authenticated:
        return {"unread_count": unread_count}
    return {}
