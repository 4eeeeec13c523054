"""axe-core (vendored, 4.14.1, MPL-2.0) finds nothing serious on the main pages, in both
languages, on a phone and on a desktop."""

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PAGES = ["/", "/account", "/account/password", "/notifications/", "/admin/users",
         "/admin/departments", "/admin/users/new", "/admin/users/import", "/admin/audit/",
         "/repairs/", "/canteen/"]


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language, viewport", [("zh_CN", {"width": 360, "height": 740}),
                                                 ("en", {"width": 1280, "height": 800})])
def test_main_pages_have_no_serious_accessibility_violations(app, live_server, browser, make_user,
                                                             language, viewport):
    from portal.blueprints.accounts.models import ROLES
    from tests.factories import PASSWORD

    user = make_user(*ROLES, language=language)
    # axe is injected as a script: only this context relaxes the CSP, to let it in.
    context = browser.new_context(viewport=viewport, base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.goto("/login")
    page.fill("#employee_no", user.employee_no)
    page.fill("#password", PASSWORD)
    page.click("form.form button")
    page.wait_for_url(f"{live_server}/")
    problems = {}
    for url in PAGES:
        page.goto(url)
        found = _serious(page)
        if found:
            problems[url] = found
    page.goto("/login")  # signed in: redirected; sign out to check the login page too
    context.clear_cookies()
    page.goto("/login")
    if found := _serious(page):
        problems["/login"] = found
    context.close()
    assert problems == {}
