"""Benchmark: today's menu page under load (the page every employee opens at lunch time).

Builds a scratch SQLite database with the demo people and menus, serves the portal with gunicorn
(2 workers x 4 threads, the shape of one production instance on 2 cores) on 127.0.0.1, and sends
a bounded number of concurrent requests from Python threads over keep-alive connections.
Prints requests/s and p50/p95/p99 latency per page. Takes about a minute.

    .venv/bin/python bench/canteen_menu.py [--seconds 8] [--concurrency 8] [--server werkzeug]
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("today's menu (full page)", "/canteen/", {}),
    ("menu filtered, htmx region", "/canteen/?tag=vegetarian",
     {"HX-Request": "true", "HX-Request-Type": "partial"}),
    ("home (today's menu panel)", "/", {}),
]
USERS = ["E1001", "H1001", "E2001", "P3000", "P3001", "P3002"]


def build(url: str) -> None:
    """Schema, demo people, demo menus (this week published), a few allergen settings."""
    from bench._common import reset_schema, scratch_app
    from portal import demo
    from portal.blueprints.accounts.models import User
    from portal.blueprints.canteen.models import DietPreference
    from portal.extensions import db

    with scratch_app(url).app_context():
        reset_schema()
        demo.load()  # the people, and the demo menus with them
        _serve_today()
        for number in USERS[::2]:
            db.session.add(DietPreference(user_id=User.by_employee_no(number).id,
                                          allergens_text="nuts seafood"))
        db.session.commit()


def _serve_today() -> None:
    """The demo closes Sundays; measure a served day whatever day the benchmark runs on."""
    from portal.blueprints.canteen import services
    from portal.extensions import db
    from portal.timeutil import local_today, monday_of

    today = local_today()
    week = services.get_or_create_week(monday_of(today))
    services.set_day(week, today, False, False, "")
    if today != week.monday and not any(item.day == today for item in week.items):
        for item in [item for item in week.items if item.day == week.monday]:
            services.add_item(week, today, item.meal, item.dish)
    db.session.commit()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(kind: str, port: int, env: dict) -> subprocess.Popen:
    if kind == "gunicorn":
        command = [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-k", "gthread",
                   "--threads", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                   "wsgi:app"]
    else:
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--with-threads",
                   "-p", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start")


def login(port: int, number: str) -> str:
    """Sign in like a browser (CSRF token, then the form); returns the session cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html)
    body = f"csrf_token={token.group(1)}&employee_no={number}&password=zhongshu2026"
    conn.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    assert response.status in (302, 303), f"login failed for {number}: {response.status}"
    cookie = response.getheader("Set-Cookie").split(";")[0]
    # The page it sends us to, as a browser opens it: a cookie that page sets replaces ours
    # (a load generator replays one cookie; an outdated one would be rewritten every request).
    conn.request("GET", response.getheader("Location"), headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return (response.getheader("Set-Cookie") or cookie).split(";")[0]


def load(port: int, path: str, headers: dict, cookies: list[str], seconds: float,
         concurrency: int) -> tuple[list[float], int]:
    """`concurrency` threads, each on its own keep-alive connection, for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        all_headers = {**headers, "Cookie": cookies[n % len(cookies)]}
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=all_headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--server", choices=["gunicorn", "werkzeug"], default="gunicorn")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="canteen-bench-"))
    url = f"sqlite:///{scratch / 'bench.db'}"
    build(url)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "REDIS_URL": "",
           "COOKIE_SECURE": "0", "BEHIND_PROXY": "0", "PYTHONPATH": str(ROOT)}
    port = free_port()
    server = start_server(args.server, port, env)
    try:
        cookies = [login(port, number) for number in USERS]
        print(f"server: {args.server}, {args.concurrency} concurrent clients, "
              f"{args.seconds:.0f} s per page, SQLite, {os.cpu_count()} cores")
        print(f"{'page':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for label, path, headers in PAGES:
            load(port, path, headers, cookies, 1.0, args.concurrency)  # warm up
            latencies, errors = load(port, path, headers, cookies, args.seconds,
                                     args.concurrency)
            latencies.sort()
            q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
            print(f"{label:32} {len(latencies) / args.seconds:8.1f} {q[49] * 1000:8.1f} "
                  f"{q[94] * 1000:8.1f} {q[98] * 1000:8.1f} {errors:7d}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
