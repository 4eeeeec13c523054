"""Two signatures every page needs, each computed once where the result cannot differ.

The session cookie (Flask's signed cookie): a signed-in phone sends the same value with every
request until something in the session changes. Checking its signature and decoding it (HMAC,
base64, zlib, tagged JSON) cost a tenth of a millisecond each time; the result depends only on
the value and the keys, so it is kept per value (a bounded LRU, thread-safe). The age is still
checked on every request, and a changed or forged value is a new key, checked in full.
Sessions holding anything mutable (a flashed message list) are decoded every time, so that no
request can change what another one reads.

The CSRF token in the page's forms: see csrf_token().
"""

import hashlib
import os
import time
from functools import lru_cache

from flask import current_app, g, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeTimedSerializer

KEPT_VALUES = 4096  # cookies verified and kept per process (each well under a kilobyte)
SCALARS = (str, int, float, bool, type(None))
CSRF_FIELD = "csrf_token"


class PortalSessionInterface(SecureCookieSessionInterface):
    def __init__(self):
        self._verifiers: dict = {}
        self._serializers: dict = {}

    def get_signing_serializer(self, app):
        """Flask's serializer, built once per keys (Flask builds one per cookie read and write:
        a new visitor's page, whose cookie is written, costs both)."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            self._serializers = {keys: serializer}  # a new key (tests) replaces the old one
        return serializer

    def _verifier(self, app):
        """The app's cached check: cookie value -> (items or None, signed at, seconds)."""
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        verify = self._verifiers.get(keys)
        if verify is None:
            serializer = self.get_signing_serializer(app)

            @lru_cache(maxsize=KEPT_VALUES)
            def verify(value: str):
                data, signed_at = serializer.loads(value, return_timestamp=True)
                kept = all(isinstance(v, SCALARS) for v in data.values())
                return (tuple(data.items()) if kept else None), int(signed_at.timestamp())

            self._verifiers = {keys: verify}  # a new key (tests) replaces the old one's cache
        return verify

    def open_session(self, app, request):
        value = request.cookies.get(self.get_cookie_name(app))
        if not value or not app.secret_key:
            return super().open_session(app, request)
        try:
            items, signed_at = self._verifier(app)(value)
        except BadSignature:
            return self.session_class()
        age = int(time.time()) - signed_at
        if age > app.permanent_session_lifetime.total_seconds() or age < 0:
            return self.session_class()  # expired (or from the future), as itsdangerous says
        if items is None:
            return super().open_session(app, request)
        return self.session_class(items)


def renew_csrf_secret() -> None:
    """A new raw CSRF token in the session, at sign-in (after the session is cleared): it goes
    out in the same cookie as the sign-in, so the first page after it, and every page of a
    client that keeps only that cookie, need not make one and write the cookie again."""
    g.pop(CSRF_FIELD, None)
    generate_csrf()


def csrf_token() -> str:
    """Flask-WTF's CSRF token for this session, signed once a minute per session and process.

    Flask-WTF signs the session's raw token again for every page (a timed signature: HMAC,
    base64, JSON). The same raw token in the same minute gives a token just as good: it is
    checked the same way and expires an hour after its minute began, not after the page.
    """
    token = g.get(CSRF_FIELD)
    if token:
        return token
    config = current_app.config
    if config["WTF_CSRF_FIELD_NAME"] != CSRF_FIELD:
        return generate_csrf()
    raw = session.get(CSRF_FIELD)
    if raw is None:  # a new session: its raw token, as Flask-WTF makes it
        raw = session[CSRF_FIELD] = hashlib.sha1(os.urandom(64)).hexdigest()
    secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    token = _signed(secret, raw, int(time.time()) // 60)
    setattr(g, CSRF_FIELD, token)
    return token


@lru_cache(maxsize=KEPT_VALUES)
def _signed(secret: str, raw: str, _minute: int) -> str:
    return _csrf_serializer(secret).dumps(raw)


@lru_cache(maxsize=4)
def _csrf_serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token")
