"""Browser tests: real Chromium (Debian's /usr/bin/chromium) through Playwright, against the
app served by a real HTTP server in a thread, with a real `rq worker` process beside it.

Each test gets empty tables (the `app` fixture) and a fresh browser context. Every page opened
through `new_page` is watched for Content-Security-Policy violations, which fail the test.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal import create_app
from tests import factories

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(_schema, app_config, database_url, redis_url):
    # Its own queue: the worker below must not take jobs that other tests run in burst mode.
    config = dict(app_config, WTF_CSRF_ENABLED=True, BELL_POLL_SECONDS=1, RQ_QUEUE="browser")
    server_app = create_app(config)
    server = make_server("127.0.0.1", 0, server_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
           "SECRET_KEY": config["SECRET_KEY"], "COOKIE_SECURE": "0"}
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "rq"), "worker", "--url", redis_url,
         "--worker-class", "rq.worker.SimpleWorker", "browser"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    yield f"http://127.0.0.1:{server.server_port}"
    worker.terminate()
    worker.wait(timeout=10)
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield browser
        browser.close()


class Pages:
    """Opens pages in one browser context and collects what the console says."""

    def __init__(self, context, base_url: str):
        self.context = context
        self.base_url = base_url
        self.csp_violations: list[str] = []

    def new_page(self):
        page = self.context.new_page()
        page.on("console", self._console)
        return page

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(message.text)

    def login(self, page, user, password: str = factories.PASSWORD, next_path: str = "/"):
        page.goto(f"{self.base_url}/login?next={next_path}")
        page.fill("#employee_no", user.employee_no)
        page.fill("#password", password)
        page.click("form.form button")
        page.wait_for_load_state("networkidle")
        return page


@pytest.fixture
def pages(app, live_server, browser):
    """A fresh phone-sized browser context; fails the test on any CSP violation."""
    context = browser.new_context(viewport=PHONE, base_url=live_server, locale="zh-CN",
                                  service_workers="allow")
    helper = Pages(context, live_server)
    yield helper
    context.close()
    assert helper.csp_violations == [], helper.csp_violations


def wait_until(predicate, timeout: float = 20.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
