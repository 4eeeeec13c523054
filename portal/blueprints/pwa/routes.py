"""The installable app: manifest, service worker (served from the root), offline page."""

from flask import Blueprint, current_app, make_response, render_template, send_from_directory
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin

from portal.templating import asset_url

bp = Blueprint("pwa", __name__, template_folder="templates")


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
