"""Error pages in the user's language; htmx gets a small message or, signed out, the login."""

import logging

from flask import current_app, g, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from sqlalchemy.exc import DBAPIError

from portal.extensions import db, discard_session
from portal.htmx import is_fragment_request, is_htmx
from portal.security import login_redirect


class Refused(Exception):
    """A business rule says no: `message` (in the reader's language) says why.

    Services raise it; the view shows the message where the person will look (beside the
    field they filled, on the card they tapped, or as the page's message) and answers 409 or
    422. Nothing is written: the view rolls back or never commits.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def register_error_handlers(app) -> None:
    def page(status: int):
        def handler(error):
            if status == 500:
                reset_session()  # a failed transaction must not break the error page too
            return error_response(status)

        return handler

    for status in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(status, page(status))
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(DBAPIError, database_error)


def reset_session() -> None:
    """Roll back; if the connection is dead, discard it (the error page gets a fresh one)."""
    try:
        db.session.rollback()
    except Exception:
        discard_session()


def database_error(error: DBAPIError):
    """A database error. A dropped connection on a GET (reads only) is retried once, on a fresh
    connection; anything else is the portal's own 500 page, in the person's language."""
    reset_session()
    if (error.connection_invalidated and request.method in ("GET", "HEAD")
            and not g.get("database_retried")):
        g.database_retried = True
        logging.getLogger(__name__).warning("database connection lost; retrying %s %s once",
                                            request.method, request.path)
        g.pop("_login_user", None)  # loaded (or half-loaded) on the dead connection
        return current_app.preprocess_request() or current_app.dispatch_request()
    current_app.log_exception(error)
    return error_response(500)


def error_response(status: int, csrf: bool = False):
    """The error page; to htmx a message for the region, or HX-Redirect to sign in again.

    An htmx request swaps the answer into a region (htmx 4 swaps 4xx/5xx too): a whole page
    there would put a second menu inside a table cell, and a signed-out person needs the login.
    """
    if is_htmx() and not current_user.is_authenticated:
        return login_redirect()
    if is_fragment_request():
        # Inside the target, not over it: an outerHTML region (a filtered list) keeps its id,
        # so the next request still has somewhere to go.
        message = render_block("errors/error.html", "message", status=status, csrf=csrf)
        return message, status, {"HX-Reswap": "innerHTML"}
    return render_template("errors/error.html", status=status, csrf=csrf), status


def csrf_failed(error):
    """An outbox replay from an older session gets JSON, so the phone keeps the form for later.

    The CSRF check runs before require_login: an htmx request after the session expired lands
    here, and goes to the login page like any other request of a signed-out person.
    """
    if request.headers.get("X-Outbox-Id"):
        if not current_user.is_authenticated:
            return {"error": "login_required", "login": url_for("accounts.login")}, 401
        return {"error": "csrf"}, 403
    return error_response(400, csrf=True)
