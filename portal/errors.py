"""Error pages in the user's language; htmx gets the same page, small."""

from flask import render_template
from flask_wtf.csrf import CSRFError


def register_error_handlers(app) -> None:
    def page(status: int):
        def handler(error):
            return render_template("errors/error.html", status=status), status

        return handler

    for status in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(status, page(status))
    app.register_error_handler(CSRFError, lambda e: (render_template(
        "errors/error.html", status=400, csrf=True), 400))
