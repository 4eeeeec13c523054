"""The installable app: manifest, service worker (served from the root), offline page."""

from datetime import datetime

from flask import (
    Blueprint,
    current_app,
    make_response,
    render_template,
    send_from_directory,
    session,
)
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user, user_loaded_from_cookie, user_logged_in

from portal.templating import asset_url
from portal.timeutil import utcnow

bp = Blueprint("pwa", __name__, template_folder="templates")

# The service worker keeps a page only as long as the session it was seen under: each page says
# until when (ISO 8601, UTC) in this header, and the worker drops copies past it.
UNTIL_HEADER = "X-Zs-Session-Until"


@user_logged_in.connect
def _note_session_end(sender, user, **extra):
    # Flask-Login marks "keep me signed in" before it says who signed in: then the remember
    # cookie, not the session cookie, is what ends the person's session on this phone.
    lasts = sender.config["PERMANENT_SESSION_LIFETIME"]
    if session.get("_remember") == "set":
        lasts = max(lasts, sender.config["REMEMBER_COOKIE_DURATION"])
    session["zs_until"] = (utcnow() + lasts).isoformat()


@user_loaded_from_cookie.connect
def _note_remembered_session_end(sender, user, **extra):
    # Signed in again from the remember cookie: the sign-in it carries is a row on the server,
    # and that row says when it ends (the cookie is not renewed on use; nor is the row).
    record = getattr(user, "session_record", None)
    if record is not None:
        session["zs_until"] = record.expires_at.isoformat()
    else:
        session["zs_until"] = (utcnow() + sender.config["REMEMBER_COOKIE_DURATION"]).isoformat()


def session_until() -> datetime:
    """When the signed-in person's session on this device ends."""
    noted = session.get("zs_until")
    if noted:
        try:
            return datetime.fromisoformat(noted)
        except ValueError:
            pass
    return utcnow() + current_app.config["PERMANENT_SESSION_LIFETIME"]


@bp.after_app_request
def _say_session_until(response):
    if response.mimetype == "text/html" and current_user.is_authenticated:
        response.headers[UNTIL_HEADER] = session_until().isoformat()
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest, in the visitor's language."""
    icon = {"type": "image/png"}
    body = {
        "name": _("Zhongshu · Office portal"),
        "short_name": _("Zhongshu"),
        "description": _("Repairs, menu, shuttle, visitors, ride claims and suggestions."),
        "id": "/",  # the app's identity: stays the same if start_url ever changes
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "lang": "en" if _("Zhongshu") == "Zhongshu" else "zh-CN",
        "icons": [
            {**icon, "src": asset_url("icons/icon-192.png"), "sizes": "192x192", "purpose": "any"},
            {**icon, "src": asset_url("icons/icon-512.png"), "sizes": "512x512", "purpose": "any"},
            {**icon, "src": asset_url("icons/maskable-512.png"), "sizes": "512x512",
             "purpose": "maskable"},
        ],
    }
    response = make_response(body)
    response.mimetype = "application/manifest+json"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that its scope is the whole portal."""
    response = send_from_directory(current_app.static_folder, "js/sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline():
    """Shown by the service worker for a page never seen while online."""
    # Stored on the phone and shown to whoever is there: render it without the person's
    # name, menu or id (the language is still theirs).
    return render_template("pwa/offline.html", current_user=AnonymousUserMixin())
