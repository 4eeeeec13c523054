"""RQ set-up: the queue, and the decorator that runs a job inside an app context.

Jobs take ids and plain values, never objects: the worker opens its own session.
"""

from functools import wraps

from flask import has_app_context

from portal.queue import enqueue, get_queue  # noqa: F401  (the one queue helper, re-exported)

_app = None


def _worker_app():
    """The app of a worker process, built once, on the first job (not at import)."""
    global _app
    if _app is None:
        from portal import create_app

        _app = create_app()
    return _app


def app_job(func):
    """Run `func` inside an app context; reuse the caller's when there is one (burst tests)."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        if has_app_context():
            return func(*args, **kwargs)
        from portal.extensions import db

        with _worker_app().app_context():
            try:
                return func(*args, **kwargs)
            finally:
                db.session.remove()

    return wrapper

