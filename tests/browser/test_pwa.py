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


def test_sign_out_without_network_stays_on_the_page_and_says_why(pages, make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    title = page.title()
    go_offline(pages)
    sign_out = page.get_by_role("button", name="退出登录")
    sign_out.click()
    note = page.locator("footer [role=status]")
    note.wait_for(state="visible")
    assert note.inner_text() == "没有网络：联网后再退出登录。"
    assert note.get_attribute("aria-live") == "polite"
    assert page.title() == title and page.url.endswith("/repairs/")  # no browser error page
    # What the phone keeps of this person is dropped all the same.
    wait_js(page, "caches.open('zs-pages-1').then(c => c.keys()).then(k => k.length === 0)")

    go_online(pages)  # back online: the note goes, and signing out works
    wait_js(page, "document.querySelector('footer [role=status]').textContent === ''")
    sign_out.click()
    page.wait_for_url("**/login?signed_out=1")


def test_someone_else_signing_in_on_the_phone_drops_the_previous_persons_pages(pages,
                                                                              make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    keys = "caches.open('zs-pages-1').then(c => c.keys()).then(k => k.map(r => r.url))"
    wait_js(page, keys.replace(".map(r => r.url)", ".some(r => r.url.endsWith('/repairs/'))"))

    pages.context.clear_cookies()  # the session ended without signing out
    pages.login(page, make_user("employee"), next_path="/canteen/")
    wait_js(page, keys.replace(".map(r => r.url)", ".some(r => r.url.endsWith('/canteen/'))"))
    assert not any(url.endswith("/repairs/") for url in page.evaluate(keys))


PAGE_KEYS = "caches.open('zs-pages-1').then(c => c.keys()).then(k => k.map(r => r.url))"


def test_a_second_person_on_the_phone_never_gets_the_first_persons_copy_offline(pages,
                                                                               make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    wait_js(page, PAGE_KEYS + ".then(u => u.some(x => x.endsWith('/repairs/')))")
    # The session ends without signing out and the page script never gets to clean up
    # (its note of who used the phone is gone): the service worker must still refuse.
    page.evaluate("localStorage.removeItem('zs-user')")
    pages.context.clear_cookies()
    pages.login(page, make_user("employee"), next_path="/canteen/")
    wait_js(page, PAGE_KEYS + ".then(u => u.some(x => x.endsWith('/canteen/')))")
    # A copy kept for someone else that a clean-up missed is not served either.
    page.evaluate("caches.open('zs-pages-1').then(c => c.put(location.origin + '/notifications/',"
                  " new Response('<title>x</title><body><h1>秘密</h1></body>', {headers: {"
                  "'Content-Type': 'text/html', 'X-Zs-User': '0',"
                  " 'X-Zs-Stored': new Date().toISOString()}})))")

    go_offline(pages)
    for path in ("/repairs/", "/notifications/"):
        page.goto(path)
        assert page.locator("h1").inner_text() == "当前处于离线状态", path
    page.goto("/canteen/")  # the person's own copy still opens
    page.locator("#cached-banner").wait_for(state="visible")


def test_a_new_version_deletes_old_static_caches_and_keeps_the_pages(pages, make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    current = "zs-static-" + page.locator('meta[name="asset-version"]').get_attribute("content")
    wait_js(page, PAGE_KEYS + ".then(u => u.length > 0)")
    page.evaluate("caches.open('zs-static-old').then(c => c.put('/static/x', new Response('x')))")
    assert {current, "zs-static-old"} <= set(page.evaluate("caches.keys()"))

    # What app/install.js does after a release: register the worker under the new asset version.
    page.evaluate("navigator.serviceWorker.register('/sw.js?v=next', {scope: '/'})"
                  ".then(() => null)")
    wait_js(page, "caches.keys().then(k => k.includes('zs-static-next') &&"
                  " !k.includes('zs-static-old'))")
    names = set(page.evaluate("caches.keys()"))
    assert current not in names and "zs-pages-1" in names
    wait_js(page, "navigator.serviceWorker.controller.scriptURL.endsWith('v=next')")


def test_install_hint_appears_only_when_the_browser_offers_installation(pages, make_user):
    page = open_controlled(pages, make_user("employee"), "/")
    hint = page.locator("#install-hint")
    assert hint.is_hidden()
    # Chromium offers installation with this event; a synthetic one stands in for it here.
    page.evaluate("""() => {
        const offer = new Event('beforeinstallprompt', {cancelable: true});
        offer.prompt = () => { window.installPrompted = true; return Promise.resolve(); };
        window.dispatchEvent(offer);
    }""")
    hint.wait_for(state="visible")
    hint.get_by_role("button", name="将中枢安装到这部手机").click()
    assert page.evaluate("window.installPrompted") is True
    assert hint.is_hidden()


def test_a_copy_is_not_shown_once_the_session_it_was_saved_under_has_ended(pages, make_user,
                                                                           monkeypatch):
    from datetime import UTC, datetime

    from portal.blueprints.pwa import routes

    user = make_user("employee")
    page = open_controlled(pages, user, "/repairs/")
    page.goto("/canteen/")
    wait_js(page, PAGE_KEYS + ".then(u => u.some(x => x.endsWith('/canteen/')))")
    # The canteen page is seen again under a session that ends (ended) in 2000: whatever the
    # phone's clock says today, that copy is past its session.
    monkeypatch.setattr(routes, "session_until",
                        lambda: datetime(2000, 1, 1, tzinfo=UTC))
    page.goto("/canteen/")
    wait_js(page, "caches.open('zs-pages-1').then(c => c.match(location.origin + '/canteen/'))"
                  ".then(r => r && r.headers.get('X-Zs-Until').startsWith('2000-'))")
    monkeypatch.undo()

    go_offline(pages)
    page.goto("/canteen/")
    assert page.locator("h1").inner_text() == "当前处于离线状态"  # not the expired copy
    links = page.locator("#offline-pages a")
    links.first.wait_for()
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert any(href.endswith("/repairs/") for href in hrefs)  # still within its session
    assert not any(href.endswith("/canteen/") for href in hrefs)
    assert not any(url.endswith("/canteen/") for url in page.evaluate(PAGE_KEYS))  # deleted
    page.goto("/repairs/")
    page.locator("#cached-banner").wait_for(state="visible")


def test_sign_out_empties_the_page_caches_and_the_persons_outbox(pages, make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    page.goto("/canteen/")
    wait_js(page, PAGE_KEYS + ".then(u => u.length >= 2)")
    # A form of this person waiting on the phone, with a photo.
    page.evaluate("window.zhongshuOutboxCore.save({id: 'waiting-1', user: document.body.dataset"
                  ".user, url: location.origin + '/repairs/new', state: 'waiting', title: 'x',"
                  " created: '2026-01-01T00:00:00Z', fields: [{name: 'photos', file: 'a.jpg',"
                  " value: new Blob(['jpeg'])}]})")
    assert page.evaluate("window.zhongshuOutboxCore.all().then(i => i.length)") == 1

    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login?signed_out=1")
    assert page.evaluate("window.zhongshuOutboxCore.all().then(i => i.length)") == 0
    assert not any("/repairs/" in url or "/canteen/" in url for url in page.evaluate(PAGE_KEYS))


def test_the_service_worker_forgets_the_person_on_sign_out_even_without_the_page_script(
        pages, make_user):
    page = open_controlled(pages, make_user("employee"), "/repairs/")
    wait_js(page, PAGE_KEYS + ".then(u => u.length >= 1)")
    page.evaluate("window.zhongshuOutboxCore.save({id: 'waiting-2', user: document.body.dataset"
                  ".user, url: '/repairs/new', state: 'waiting', title: 'x',"
                  " created: '2026-01-01T00:00:00Z', fields: []})")
    # A sign-out form posted as is (no page script in the way): only the worker sees it.
    page.evaluate("(() => { const f = document.querySelector('form[data-logout]').cloneNode(true);"
                  " f.removeAttribute('data-logout'); document.body.appendChild(f);"
                  " HTMLFormElement.prototype.submit.call(f); })()")
    page.wait_for_url("**/login?signed_out=1")
    wait_js(page, "window.zhongshuOutboxCore.all().then(i => i.length === 0)")
    wait_js(page, PAGE_KEYS + ".then(u => !u.some(x => x.includes('/repairs/')))")
