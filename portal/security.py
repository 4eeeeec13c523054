"""Who may see what: login by default, roles in Python, and the security headers."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from portal.htmx import hx_redirect, is_htmx

# Everything else needs a login. Keep this list short and obvious.
PUBLIC_ENDPOINTS = {
    "static",
    "accounts.login",
    "accounts.set_language",
    "health.healthz",
    "notifications.bell",  # answers a silent bell when signed out (see the view)
    "pwa.manifest",
    "pwa.service_worker",
    "pwa.offline",
    # The follow-up code is the only key to an anonymous suggestion: no sign-in (see the views).
    "suggestions.code",
    "suggestions.code_reply",
    "suggestions.code_rate",
}

# A person holding a password the office handed out may open only these until they choose
# their own (besides the public endpoints above).
PASSWORD_CHANGE_ENDPOINTS = {"accounts.change_password", "accounts.logout"}

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def role_required(*roles: str):
    """Allow the view only to users holding one of `roles` (office is not implied)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = set(roles)  # read by the URL sweep test
        return wrapped

    return decorator


def login_redirect():
    """Send an anonymous user to the login page, and back here afterwards."""
    return _send_to("accounts.login", "login_required", htmx_status=401)


def password_change_redirect():
    """Send a person whose password was reset by the office to choose their own first."""
    return _send_to("accounts.change_password", "password_change_required")


def _send_to(endpoint: str, error: str, htmx_status: int = 200):
    """Redirect to `endpoint`, which sends the person back here afterwards.

    htmx gets HX-Redirect, back to the page the person was on (htmx 4 sends its address as
    HX-Current-URL), not to the fragment's URL. A form sent from the phone's outbox (or a JSON
    caller) gets a 401 instead: followed, the redirect would look like a success and the kept
    form would be dropped; this way it waits. Only a GET is come back to: a POST's URL opened
    afterwards would answer 405.
    """
    if is_htmx():
        return hx_redirect(url_for(endpoint, next=_htmx_page()), status=htmx_status)
    here = request.full_path if request.query_string else request.path
    url = url_for(endpoint, next=here if request.method == "GET" else None)
    if request.accept_mimetypes.best == "application/json" or request.headers.get("X-Outbox-Id"):
        return {"error": error, "login": url}, 401
    return redirect(url)


def _htmx_page() -> str | None:
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.netloc and current.netloc != request.host:
        return None
    return safe_next(current.path + (f"?{current.query}" if current.query else ""))


def require_login():
    """before_request: every endpoint outside PUBLIC_ENDPOINTS needs a logged-in user, and one
    whose password the office reset must replace it before anything else."""
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_redirect()
    if current_user.must_change_password and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS:
        return password_change_redirect()
    return None


# What a static file that is not a document (CSS, scripts, images, fonts) is sent with: the
# rest govern documents, and a phone's first visit would download them once per file.
DOCUMENT_TYPES = {"text/html", "image/svg+xml"}
EVERY_RESPONSE = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"))
HSTS = (("Strict-Transport-Security", "max-age=31536000"),)
DOCUMENTS = (
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), geolocation=(), microphone=(), payment=()"),
)


def set_security_headers(response):
    """The headers every response carries, unless its view set its own (one pass over them)."""
    headers = response.headers
    wanted = EVERY_RESPONSE
    if current_app.config["SESSION_COOKIE_SECURE"]:
        wanted += HSTS
    document = request.endpoint != "static" or response.mimetype in DOCUMENT_TYPES
    if document:
        wanted += DOCUMENTS
    present = {name.lower() for name in headers.keys()}
    headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    if not document:
        return response  # and no user is looked up for it
    if "cache-control" not in present and current_user and current_user.is_authenticated:
        # Personal pages: the browser may keep them (the service worker decides), proxies may not.
        headers["Cache-Control"] = "private, no-cache"
    return response


def safe_next(target: str | None) -> str | None:
    """Only local paths are followed after login (no open redirect).

    Browsers drop tabs and newlines from a URL before reading it, so "/\t/evil.example" would
    become "//evil.example": control characters are refused along with "//" and backslashes.
    """
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(c) < 32 or ord(c) == 127 for c in target)):
        return None
    return target
