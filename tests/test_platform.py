"""Configuration, health, migrations, notifications: the parts every module stands on."""

import socket
import socketserver
import threading
from email import message_from_bytes
from email import policy as email_policy

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import has_request_context
from flask_babel import gettext

from jobs import get_queue
from portal import create_app
from portal.blueprints.notifications.models import Notification
from portal.blueprints.notifications.services import notify
from portal.config import ConfigError, from_environment
from portal.extensions import db
from portal.i18n import N_


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/portal")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        from_environment(tmp_path)


def test_production_uses_psycopg3_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/portal")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/0")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    config = from_environment(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/portal"
    assert config["SESSION_COOKIE_SECURE"] and config["TIMEZONE"] == "Asia/Shanghai"


def test_embedded_default_needs_no_configuration(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    config = from_environment(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'portal.db'}"
    assert config["REDIS_URL"] == "" and len(config["SECRET_KEY"]) > 40
    assert from_environment(tmp_path)["SECRET_KEY"] == config["SECRET_KEY"]  # kept


def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_is_degraded_but_200_when_only_redis_is_gone(app_config):
    # Pages still work without Redis: a load balancer must keep the instance.
    app = create_app(dict(app_config, REDIS_URL="redis://127.0.0.1:1/0"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "degraded", "database": "ok", "redis": "error"}


def test_healthz_says_503_when_the_database_is_unreachable(app_config, tmp_path):
    unreachable = ("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
                   if app_config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
                   else f"sqlite:///{tmp_path}/no-such-folder/portal.db")
    app = create_app(dict(app_config, SQLALCHEMY_DATABASE_URI=unreachable))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "error", "redis": "ok"}


def test_migrations_build_exactly_the_models(app):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_notification_is_in_the_recipients_language_and_counted_on_the_bell(
        client, auth, make_user):
    english = make_user(language="en")
    chinese = make_user(language="zh_CN")
    for person in (english, chinese):
        notify(person, N_("Your password has been changed."), link="/account")
    db.session.commit()
    titles = {n.user_id: n.title for n in db.session.scalars(db.select(Notification))}
    assert titles == {english.id: "Your password has been changed.", chinese.id: "密码已修改。"}

    auth.login(chinese)
    bell = client.get("/notifications/bell").get_data(as_text=True)
    assert "data-unread>1<" in bell
    note_id = next(k for k, v in titles.items() if k == chinese.id)
    note = db.session.scalar(db.select(Notification).where(Notification.user_id == note_id))
    response = client.post(f"/notifications/{note.id}/read")
    assert response.status_code == 303 and response.location == "/account"
    assert "data-unread" not in client.get("/notifications/bell").get_data(as_text=True)


def test_someone_elses_notification_is_404(client, auth, make_user):
    other = make_user()
    note = notify(other, N_("Saved."))
    db.session.commit()
    auth.login(make_user())
    assert client.post(f"/notifications/{note.id}/read").status_code == 404


def test_mark_all_read_answers_htmx_with_the_list(client, auth, make_user):
    user = make_user()
    notify(user, N_("Saved."))
    notify(user, N_("Saved."))
    db.session.commit()
    auth.login(user)
    response = client.post("/notifications/read-all", headers={"HX-Request": "true"})
    assert 'id="notes"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.read_at.is_(None))) == 0


def test_demo_data_has_a_login_for_every_role(app):
    from portal import demo
    from portal.blueprints.accounts.models import ROLES, User

    demo.load()
    roles = set()
    for number, *_rest in demo.LOGINS:
        roles |= User.by_employee_no(number).roles
    assert roles == set(ROLES)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) > 40


def test_create_admin_command_makes_an_office_login(app):
    from portal.blueprints.accounts.models import User

    result = app.test_cli_runner().invoke(args=["create-admin", "A9000", "管理员"],
                                          input="long-enough-pw\nlong-enough-pw\n")
    assert result.exit_code == 0, result.output
    assert User.by_employee_no("A9000").roles == {"employee", "office"}
    response = app.test_client().post("/login", data={"employee_no": "A9000",
                                                      "password": "long-enough-pw"})
    assert response.status_code == 303 and response.location == "/"


def test_create_admin_promoting_someone_the_office_added_needs_no_second_password(
        app, make_user):
    from portal.blueprints.accounts.models import User

    make_user(employee_no="E7000", must_change_password=True)
    result = app.test_cli_runner().invoke(args=["create-admin", "E7000", "新管理员"],
                                          input="long-enough-pw\nlong-enough-pw\n")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert User.by_employee_no("E7000").must_change_password is False
    response = app.test_client().post("/login", data={"employee_no": "E7000",
                                                      "password": "long-enough-pw"})
    assert response.location == "/"


def test_demo_data_command_loads_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-data", "--if-empty"])
    second = runner.invoke(args=["demo-data", "--if-empty"])
    assert "A0001" in first.output and "already loaded" in second.output


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib; keeps each message (or refuses every recipient)."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ready")
        for line in self.rfile:
            verb = line[:4].upper()
            if verb == b"RCPT" and self.server.refuse:
                self.reply("550 no such mailbox")
            elif verb == b"DATA":
                self.reply("354 end with a dot")
                lines = []
                for data in self.rfile:
                    if data == b".\r\n":
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.messages.append(
                    message_from_bytes(b"".join(lines), policy=email_policy.default))
                self.reply("250 kept")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:  # EHLO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


@pytest.fixture
def smtp(app):
    """A real SMTP server on a local port, with the portal configured to send through it."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSink)
    server.daemon_threads = True
    server.messages, server.refuse = [], False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.server_address[1],
                      MAIL_USE_TLS=False, MAIL_FROM="zhongshu@example.com")
    yield server
    server.shutdown()
    server.server_close()


def test_notification_is_emailed_in_the_recipients_language_once_committed(
        smtp, make_user, run_jobs):
    english = make_user(language="en", email="emma@example.com")
    chinese = make_user(language="zh_CN", email="wang@example.com")
    for person in (english, chinese):
        notify(person, N_("Your password has been changed."), link="/account")
    assert get_queue().count == 0  # a worker must not mail about rows it cannot read yet
    db.session.commit()
    assert run_jobs() == 2

    subjects = {m["To"]: m["Subject"] for m in smtp.messages}
    assert subjects == {"emma@example.com": "Your password has been changed.",
                        "wang@example.com": "密码已修改。"}
    assert all(m["From"] == "zhongshu@example.com" for m in smtp.messages)


def test_a_rolled_back_notification_sends_no_email(smtp, make_user, run_jobs):
    person = make_user(email="li@example.com")
    notify(person, N_("Saved."))
    db.session.rollback()
    db.session.commit()
    assert run_jobs() == 0 and smtp.messages == []


@pytest.mark.parametrize("failure", ["refused", "down"])
def test_a_failing_mail_server_fails_neither_the_job_nor_the_notification(
        app, smtp, make_user, run_jobs, failure):
    if failure == "refused":
        smtp.refuse = True
    else:
        with socket.socket() as probe:  # a port where nothing listens
            probe.bind(("127.0.0.1", 0))
            app.config["MAIL_PORT"] = probe.getsockname()[1]
    person = make_user(email="zhao@example.com")
    notify(person, N_("Saved."))
    db.session.commit()
    assert run_jobs() == 1
    assert get_queue().failed_job_registry.count == 0
    assert smtp.messages == []
    assert db.session.scalar(db.select(Notification.title).where(
        Notification.user_id == person.id)) == "已保存。"


def test_text_made_outside_a_request_is_in_the_default_language(app):
    # Jobs and commands have no request to pick a language from: the default, not a crash.
    assert not has_request_context()
    assert gettext("Your password has been changed.") == "密码已修改。"


def test_no_view_or_hook_is_a_coroutine_function(app):
    """The app skips Flask's per-call coroutine check (Portal.ensure_sync): keep it true."""
    import inspect

    hooks = [f for table in (app.before_request_funcs, app.after_request_funcs,
                             app.teardown_request_funcs, app.template_context_processors)
             for funcs in table.values() for f in funcs]
    for func in [*app.view_functions.values(), *hooks, *app.teardown_appcontext_funcs]:
        assert not inspect.iscoroutinefunction(inspect.unwrap(func)), func
