"""Helpers for the PWA browser tests: a page the service worker controls, offline on/off."""

from tests.browser.conftest import wait_until


def wait_js(page, expression: str, timeout: float = 15.0):
    """Poll a JS expression from Python (page.wait_for_function evals, which the CSP forbids)."""
    assert wait_until(lambda: page.evaluate(expression), timeout=timeout), expression


def open_controlled(pages, user, path="/", page=None):
    """Sign in, open `path` and wait until the service worker is installed and in control."""
    page = pages.login(page or pages.new_page(), user, next_path=path)
    # The first install precaches every asset: on a busy machine that takes longer than 15 s.
    wait_js(page, "navigator.serviceWorker.controller !== null", timeout=45)
    return page


def _abort_worker_requests(route):
    # Playwright's offline switch does not reach the service worker's own fetches.
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def go_offline(pages):
    pages.context.set_offline(True)
    pages.context.route("**/*", _abort_worker_requests)


def go_online(pages):
    pages.context.unroute("**/*", _abort_worker_requests)
    pages.context.set_offline(False)
