"""Error pages in the user's language; htmx gets the same page, small."""

from flask import render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError


def register_error_handlers(app) -> None:
    def page(status: int):
        def handler(error):
            return render_template("errors/error.html", status=status), status

        return handler

    for status in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(status, page(status))
    app.register_error_handler(CSRFError, csrf_failed)


def csrf_failed(error):
    """An outbox replay from an older session gets JSON, so the phone keeps the form for later."""
    if request.headers.get("X-Outbox-Id"):
        if not current_user.is_authenticated:
            return {"error": "login_required", "login": url_for("accounts.login")}, 401
        return {"error": "csrf"}, 403
    return render_template("errors/error.html", status=400, csrf=True), 400
