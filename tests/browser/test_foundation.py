"""The foundation as a person uses it in Chromium: sign in, language, bell, a PDF job."""

import re

from portal.blueprints.notifications.services import notify
from portal.extensions import db


def test_sign_in_switch_language_and_see_a_notification_arrive(app, pages, make_user):
    user = make_user("employee", name="王小明")
    page = pages.login(pages.new_page(), user)
    assert page.locator("h1").inner_text() == "王小明，你好"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Good day, 王小明"
    assert page.locator("html").get_attribute("lang") == "en"

    notify(user, "Your repair request was accepted")
    db.session.commit()
    # The bell polls itself (htmx swap): the unread badge appears without a reload.
    page.locator("#bell [data-unread]").wait_for(timeout=10_000)
    assert page.locator("#bell [data-unread]").inner_text() == "1"


def test_a_failing_bell_poll_leaves_the_bell_and_keeps_polling(app, pages, make_user):
    user = make_user("employee")
    page = pages.login(pages.new_page(), user)
    failures = []

    def fail(route):
        failures.append(route.request.url)
        route.fulfill(status=502, body="<h1>Bad Gateway</h1>", content_type="text/html")

    pages.context.route("**/notifications/bell", fail)
    for _ in range(40):  # the bell polls every second in tests: two polls meet the error
        if len(failures) >= 2:
            break
        page.wait_for_timeout(250)
    assert len(failures) >= 2
    assert page.locator("#bell[hx-get]").count() == 1
    assert page.get_by_text("Bad Gateway").count() == 0

    pages.context.unroute("**/notifications/bell")
    notify(user, "Your repair request was accepted")
    db.session.commit()
    page.locator("#bell [data-unread]").wait_for(timeout=10_000)


def test_office_starts_roster_pdf_watches_it_finish_and_downloads_it(app, pages, make_user,
                                                                      make_department):
    office = make_user("employee", "office", name="陈立新")
    department = make_department("生产部")
    make_user("employee", name="李建华", department=department)
    page = pages.login(pages.new_page(), office, next_path="/admin/users")

    page.get_by_role("button", name="部门花名册 (PDF)").click()
    link = page.locator("#document a[download]")
    link.wait_for(timeout=20_000)
    with page.expect_download() as info:
        link.click()
    content = open(info.value.path(), "rb").read()
    assert content.startswith(b"%PDF")
    assert re.match(r"roster-\d{8}\.pdf", info.value.suggested_filename)


def test_htmx_action_after_the_session_ended_goes_to_login_and_back(app, pages, make_user):
    user = make_user("employee")
    notify(user, "Your repair request was accepted")
    db.session.commit()
    page = pages.login(pages.new_page(), user, next_path="/notifications/")
    pages.context.clear_cookies()  # the session ended while the page stayed open

    page.get_by_role("button", name="全部标为已读").click()
    page.wait_for_url("**/login?next=/notifications/")
    assert page.locator("#employee_no").is_visible()
    page.fill("#employee_no", user.employee_no)
    page.fill("#password", "correct-horse-9")
    page.click("form.form button")
    page.wait_for_url("**/notifications/")
    assert page.locator("h1").inner_text() == "通知"
