"""htmx helpers: one URL serves a page, or a named block of it to an htmx request."""

from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def is_fragment_request() -> bool:
    """An htmx request for a region (not a boosted page load or a history restore)."""
    return (
        is_htmx()
        and request.headers.get("HX-Request-Type", "partial") == "partial"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(template: str, block: str | None = None, **context):
    """Render the page, or only `block` when htmx asks for a region; always `Vary: HX-Request`."""
    if block and is_fragment_request():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body)
    response.vary.add("HX-Request")
    return response


def hx_redirect(url: str, status: int = 200):
    response = make_response("", status)
    response.headers["HX-Redirect"] = url
    return response


def see_other(url: str):
    """After a plain-form POST: 303 to the page; for htmx: HX-Redirect."""
    if is_htmx():
        return hx_redirect(url)
    return redirect(url, code=303)
