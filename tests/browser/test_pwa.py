"""The PWA in Chromium: installable, pages seen once open offline, the offline page."""

import pytest

from tests.browser.conftest import CHROMIUM, PHONE, Pages
from tests.pwa.browser_helpers import go_offline, go_online, open_controlled, wait_js


@pytest.fixture
def profile_pages(app, live_server, browser, tmp_path):
    """Like `pages`, but in a real (non-incognito) profile: incognito is never installable."""
    context = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"],
        viewport=PHONE, base_url=live_server, locale="zh-CN", service_workers="allow")
    helper = Pages(context, live_server)
    yield helper
    context.close()
    assert helper.csp_violations == [], helper.csp_violations


def test_manifest_is_installable_and_the_service_worker_controls_the_page(profile_pages,
                                                                          make_user):
    pages = profile_pages
    page = open_controlled(pages, make_user("employee"), "/account")
    cdp = pages.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").split("?")[0].endswith(
        "/sw.js")


def test_seen_page_opens_offline_with_its_saved_time_and_unseen_page_shows_offline_page(
        pages, make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    page.goto("/canteen/")
    page.wait_for_load_state()
    seen_title = page.title()

    go_offline(pages)
    page.reload()
    banner = page.locator("#cached-banner")
    banner.wait_for(state="visible")
    assert banner.inner_text().startswith("离线副本，保存于 ")
    assert page.title() == seen_title
    assert page.locator("#offline-banner").is_visible()

    page.goto("/notifications/")
    assert page.locator("h1").inner_text() == "当前处于离线状态"
    links = page.locator("#offline-pages a")
    links.first.wait_for()
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert any(href.endswith("/canteen/") for href in hrefs)
    assert any(href.endswith("/repairs/") for href in hrefs)
    assert not any("/account" in href for href in hrefs)  # data-no-cache pages are never kept

    go_online(pages)
    page.goto("/canteen/")
    assert page.locator("#cached-banner").is_hidden()


def test_sign_out_removes_the_persons_cached_pages(pages, make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    page.goto("/canteen/")
    wait_js(page, "caches.open('zs-pages-1').then(c => c.keys()).then(k => k.length >= 2)")
    # The bell's htmx polls (fragments) are never stored as pages.
    assert not page.evaluate("caches.open('zs-pages-1').then(c => c.keys())"
                             ".then(k => k.some(r => r.url.includes('bell')))")

    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login?signed_out=1")
    assert page.evaluate("caches.open('zs-pages-1').then(c => c.keys()).then(k => k.length)") == 0

    go_offline(pages)
    page.goto("/canteen/")
    assert page.locator("h1").inner_text() == "当前处于离线状态"


def test_someone_else_signing_in_on_the_phone_drops_the_previous_persons_pages(pages,
                                                                              make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    keys = "caches.open('zs-pages-1').then(c => c.keys()).then(k => k.map(r => r.url))"
    wait_js(page, keys.replace(".map(r => r.url)", ".some(r => r.url.endsWith('/repairs/'))"))

    pages.context.clear_cookies()  # the session ended without signing out
    pages.login(page, make_user("employee"), next_path="/canteen/")
    wait_js(page, keys.replace(".map(r => r.url)", ".some(r => r.url.endsWith('/canteen/'))"))
    assert not any(url.endswith("/repairs/") for url in page.evaluate(keys))
