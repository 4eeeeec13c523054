"""Benchmark: the most-read pages as a fraction of a Flask hello-world served the same way.

Issue 18's table. Builds the demo data (`make run`'s) in a scratch instance folder (SQLite),
serves the portal and a hello-world with the same gunicorn settings (2 workers x 4 threads),
signs in as the demo people and drives each page with wrk (2 threads x 16 connections),
alternating with the hello-world (hello, page, hello, page, ...), the best of 5 runs of each:
noise on a shared machine only ever slows a run down (the same page measured 272 and 663 req/s
three seconds apart, the hello-world 1,412 and 7,082 within one minute), so the fastest run is
the closest to what the server can do, for both; five rounds give each a better chance of a
quiet moment than three did. Also prints
the SQL queries per page (counted in-process) and what a phone downloads on a first visit of
the menu (the page and its assets, compressed).

    .venv/bin/python bench/pages.py [--quick] [--seconds 3] [--rounds 5] [--only PATH]
"""

import argparse
import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from canteen_menu import build, free_port, login  # bench/ is this script's first sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (label, path, employee number or None for signed out, goal as a fraction of hello-world)
PAGES = [
    ("home /", "/", "E1001", 0.10),
    ("menu /canteen/", "/canteen/", "E1001", 0.25),
    ("my repairs /repairs/", "/repairs/", "E1001", 0.10),
    ("queue /repairs/queue", "/repairs/queue", "F1001", 0.10),
    ("tonight /canteen/tonight", "/canteen/tonight", "C1001", 0.10),
    ("login /login (signed out)", "/login", None, 0.30),
]
ALREADY = {"canteen.index", "repairs.index"}
HELLO = '''from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, World!"
'''


def ensure_wrk() -> str:
    """Debian's wrk, installed the way scripts/setup.sh installs system packages."""
    if not shutil.which("wrk"):
        print("installing wrk (apt-get)", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "wrk"],
                       check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                       stdout=subprocess.DEVNULL)
    return shutil.which("wrk")


def module_pages(app) -> list[tuple]:
    """Each module's main page (its nav entry), as someone the entry is shown to."""
    from portal.demo import LOGINS
    from portal.modules import modules

    pages = []
    with app.test_request_context():
        from flask import url_for

        for module in modules():
            entry = module.nav
            if entry is None or entry.endpoint in ALREADY:
                continue
            number = next(n for n, _name, _dept, roles, _lang in LOGINS
                          if not entry.roles or set(roles) & entry.roles)
            pages.append((f"{module.name} {url_for(entry.endpoint)}", url_for(entry.endpoint),
                          number, 0.10))
    return pages


def count_queries(app, pages: list[tuple]) -> dict[str, int]:
    """SQL statements per page, the second time it is shown (the first warms caches)."""
    from bench._common import counting_queries
    from portal.extensions import db

    app.config["WTF_CSRF_ENABLED"] = False
    result = {}
    with app.app_context():
        engine = db.engine
    with counting_queries(engine) as counter:
        for label, path, number, _goal in pages:
            client = app.test_client()
            if number:
                client.post("/login", data={"employee_no": number, "password": "zhongshu2026"})
            client.get(path)
            counter.n = 0
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            result[label] = counter.n
    return result


def start(command: list[str], env: dict, port: int, cwd: Path) -> subprocess.Popen:
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login" if "wsgi:app" in command else "/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"server did not start: {' '.join(command)}")


def gunicorn(port: int, app: str) -> list[str]:
    """The same settings for both servers: make run's 2 workers x 4 threads (gthread)."""
    return [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--threads", "4",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app]


def wrk(binary: str, url: str, cookie: str | None, seconds: float) -> float:
    """Requests per second; a page answering anything but 200 is an error, not a number."""
    command = [binary, "-t2", "-c16", f"-d{seconds:g}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def first_load(port: int, cookie: str, path: str) -> tuple[int, int]:
    """Bytes a phone downloads for a page and the assets it links (brotli or gzip), raw bytes."""
    import gzip

    import brotli

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie, "Accept-Encoding": "br, gzip"}
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, "": bytes}

    def fetch(url: str) -> tuple[bytes, int]:
        """The body as sent decoded, and the bytes on the wire (status line, headers, body)."""
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        body = response.read()
        wire = 17 + sum(len(k) + len(v) + 4 for k, v in response.getheaders()) + len(body)
        return decode[response.getheader("Content-Encoding", "")](body), wire

    page, total = fetch(path)
    raw = len(page)
    for url in sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page.decode()))):
        body, wire = fetch(url.replace("&amp;", "&"))
        total, raw = total + wire, raw + len(body)
    return total, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="wrk duration per run")
    parser.add_argument("--rounds", type=int, default=5, help="hello/page pairs per page")
    parser.add_argument("--quick", action="store_true", help="1 round of 2 s (for iterating)")
    parser.add_argument("--only", action="append", help="only this path (repeatable)")
    args = parser.parse_args()
    seconds, rounds = (2.0, 1) if args.quick else (args.seconds, args.rounds)
    binary = ensure_wrk()

    scratch = Path(tempfile.mkdtemp(prefix="pages-bench-"))
    instance = scratch / "instance"
    instance.mkdir()
    (scratch / "hello.py").write_text(HELLO)
    env = {**os.environ, "PORTAL_INSTANCE": str(instance), "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "COOKIE_SECURE", "BEHIND_PROXY"):
        env.pop(name, None)
    os.environ.clear()
    os.environ.update(env)
    build(f"sqlite:///{instance / 'portal.db'}")

    from portal import create_app

    app = create_app()  # the embedded shape, as gunicorn's workers build it
    pages = [page for page in PAGES + module_pages(app) if not args.only or page[1] in args.only]
    queries = count_queries(app, pages)

    portal_port, hello_port = free_port(), free_port()
    servers = [start(gunicorn(portal_port, "wsgi:app"), env, portal_port, ROOT),
               start(gunicorn(hello_port, "hello:app"), env, hello_port, scratch)]
    try:
        cookies = {number: login(portal_port, number) for _l, _p, number, _g in pages if number}
        print(f"gunicorn 2 workers x 4 threads, SQLite, wrk 2 threads x 16 connections, "
              f"{rounds} x {seconds:g} s per page and hello-world, alternating, best run of each; "
              f"{os.cpu_count()} cores", flush=True)
        print(f"{'page':34} {'as':6} {'req/s':>8} {'hello':>8} {'ratio':>6} {'goal':>5} "
              f"{'queries':>8}")
        for label, path, number, goal in pages:
            cookie = cookies.get(number)
            wrk(binary, f"http://127.0.0.1:{portal_port}{path}", cookie, 1)  # warm up
            hellos, rates = [], []
            for _ in range(rounds):
                hellos.append(wrk(binary, f"http://127.0.0.1:{hello_port}/", None, seconds))
                rates.append(wrk(binary, f"http://127.0.0.1:{portal_port}{path}", cookie,
                                 seconds))
            if os.environ.get("BENCH_VERBOSE"):
                print(f"  rounds: hello {hellos} page {rates}", flush=True)
            hello, rate = max(hellos), max(rates)
            print(f"{label:34} {number or '-':6} {rate:8.0f} {hello:8.0f} {rate / hello:6.3f} "
                  f"{goal:5.2f} {queries[label]:8d}", flush=True)
        if "E1001" not in cookies:
            return
        total, raw = first_load(portal_port, cookies["E1001"], "/canteen/")
        print(f"menu first load on a phone: {total / 1024:.1f} KB transferred "
              f"({raw / 1024:.1f} KB uncompressed; goal 45 KB)")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=15)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
