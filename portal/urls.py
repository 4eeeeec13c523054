"""A page's path built without a web request (jobs, notifications, services): the one way."""

from flask import current_app


def path_for(endpoint: str, **values) -> str:
    """url_for's path, in a request or not: e.g. path_for("tasks.detail", task_id=3)."""
    return current_app.url_map.bind("").build(endpoint, values)
