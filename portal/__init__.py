"""Zhongshu 中枢: the application factory, the only place the app is built."""

import os
from pathlib import Path

from flask import Flask

from portal import config as portal_config
from portal.converters import CalendarDateConverter, DatabaseIntConverter
from portal.extensions import babel, csrf, db, login_manager, migrate
from portal.instance import make_private, private_file


class Portal(Flask):
    """Flask, for an app with no async views or hooks."""

    def ensure_sync(self, func):
        # Flask asks inspect whether each hook and view is a coroutine function, about twenty
        # times a request; none is here.
        return func


def create_app(test_config: dict | None = None) -> Flask:
    # PORTAL_INSTANCE moves instance/ (SQLite file, embedded Redis, generated secret).
    instance = os.environ.get("PORTAL_INSTANCE") or None
    app = Portal(__name__, instance_relative_config=True, static_folder="../static",
                 instance_path=instance and os.path.abspath(instance))
    make_private(Path(app.instance_path))
    app.config.update(portal_config.DEFAULTS)
    if test_config is None:
        app.config.update(portal_config.from_environment(Path(app.instance_path)))
    else:
        app.config.update(test_config)
    _private_sqlite_file(app)

    if app.config.get("BEHIND_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    # Before any blueprint: every <int:…> in the URL map is bounded to what the database holds,
    # every <date:…> to days the calendar can compute with.
    app.url_map.converters["int"] = DatabaseIntConverter
    app.url_map.converters["date"] = CalendarDateConverter
    from portal.cookies import PortalSessionInterface

    app.session_interface = PortalSessionInterface()
    _init_extensions(app)
    _register_blueprints(app)

    from portal import cli, templating
    from portal.errors import register_error_handlers
    from portal.security import require_login, set_security_headers

    app.before_request(require_login)
    app.after_request(set_security_headers)
    register_error_handlers(app)
    templating.init_app(app)
    cli.init_app(app)
    return app


def _private_sqlite_file(app: Flask) -> None:
    """Create the SQLite file 0600 before SQLAlchemy does (it would make it 0644)."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI", "")
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        path = Path(uri.removeprefix("sqlite:///"))
        if path.parent.is_dir():
            private_file(path)


def _init_extensions(app: Flask) -> None:
    from portal import i18n, models  # noqa: F401  (models: every table known to Alembic)

    _engine_options(app)
    db.init_app(app)
    _sqlite_pragmas(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", i18n.translation_directories())
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.install_template_gettext(app)

    _init_compression(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    login_manager.login_view = "accounts.login"
    # The user loader: portal/blueprints/accounts/sessions.py, registered with its blueprint.


def _engine_options(app: Flask) -> None:
    """A server database is pinged before a pooled connection is reused (it may have restarted);
    a SQLite file cannot go away, so its requests skip that round trip."""
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if app.config.get("SQLALCHEMY_DATABASE_URI", "").startswith("sqlite"):
        options.pop("pool_pre_ping", None)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _sqlite_pragmas(app: Flask) -> None:
    """The embedded SQLite file in write-ahead-log mode: pages read while the worker or another
    request writes, and a commit waits for one fsync of the log instead of two of the file."""
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


# Text the portal sends, compressed when the browser asks (brotli first): a phone on a patchy
# network downloads a quarter of the bytes. Streamed responses (documents) are left alone.
COMPRESSED_TYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                    "application/json", "application/manifest+json", "image/svg+xml"]


def _init_compression(app: Flask) -> None:
    from flask_compress import Compress

    for key, value in {"COMPRESS_MIMETYPES": COMPRESSED_TYPES, "COMPRESS_ALGORITHM": ["br", "gzip"],
                       "COMPRESS_STREAMS": False, "COMPRESS_BR_LEVEL": 5}.items():
        app.config.setdefault(key, value)
    Compress(app)


def _register_blueprints(app: Flask) -> None:
    # Explicit lists: the foundation here, the feature modules in portal/modules.py.
    from portal.blueprints.accounts.routes import bp as accounts
    from portal.blueprints.admin.routes import bp as admin
    from portal.blueprints.audit.routes import bp as audit
    from portal.blueprints.calendar.routes import bp as calendar
    from portal.blueprints.documents.routes import bp as documents
    from portal.blueprints.health.routes import bp as health
    from portal.blueprints.home.routes import bp as home
    from portal.blueprints.notifications.routes import bp as notifications
    from portal.blueprints.pwa.routes import bp as pwa
    from portal.modules import modules

    foundation = (home, accounts, admin, audit, calendar, notifications, documents, health,
                  pwa)
    for blueprint in foundation + tuple(module.blueprint for module in modules()):
        app.register_blueprint(blueprint)
