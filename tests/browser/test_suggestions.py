"""Suggestion box on a phone: an anonymous suggestion written offline, sent when the network is
back, answered by the office, and read signed out with the follow-up code the phone showed."""

import re

import pytest
from sqlalchemy import select

from portal.blueprints.suggestions import answers, services
from portal.blueprints.suggestions.models import Suggestion, SuggestionCategory
from portal.extensions import db
from tests.pwa.browser_helpers import go_offline, go_online, open_controlled, wait_js

pytestmark = pytest.mark.browser


def test_anonymous_suggestion_offline_then_its_answer_read_signed_out_with_the_code(
        pages, make_user):
    db.session.add(SuggestionCategory(id=2, name_zh="班车", name_en="Shuttle bus", position=1,
                                      active=True))
    db.session.commit()
    employee = make_user("employee", name="王小明")
    office = make_user("employee", "office", name="陈立新")

    page = open_controlled(pages, employee, "/suggestions/new")
    go_offline(pages)
    page.select_option("#category_id", "2")
    page.fill("#title", "早班车太挤")
    page.fill("#text", "7点的班车经常站满，希望加一辆。")
    page.check("#anonymous")
    page.click("#suggestion-form button")
    page.locator('#outbox-status [data-state="waiting"]').wait_for()
    code = page.locator("#phone-code").inner_text()  # shown on the phone before sending
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)

    go_online(pages)
    page.evaluate("window.zhongshuOutbox.flush()")
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    db.session.rollback()  # see what the live server committed
    suggestion = db.session.scalar(select(Suggestion))
    assert suggestion.submitter_id is None and services.by_code(code) == suggestion

    answers.answer(suggestion, office, "planned", "需要和班车公司重新签约",
                   plan="下月起早班加开一辆", owner=office,
                   target=suggestion.created_on.replace(year=suggestion.created_on.year + 1))
    answers.publish([suggestion], office)
    db.session.commit()

    page.locator("footer [data-logout] button").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto("/suggestions/code")
    page.fill("#code", code.lower().replace("-", " "))  # as a person might type it
    page.get_by_role("button", name="查看").click()
    page.locator("#answer-text").wait_for()
    assert "需要和班车公司重新签约" in page.locator("#answer-text").inner_text()
    assert "已列入计划" in page.locator("#status").inner_text()
    assert "下月起早班加开一辆" in page.content()

    page.fill("#body", "谢谢，期待")
    page.get_by_role("button", name="发送回复").click()
    page.get_by_text("回复已发送").wait_for()
    assert "谢谢，期待" in page.content()


def test_suggestion_pages_fit_a_phone_and_pass_axe(app, live_server, browser, make_user,
                                                   make_department):
    from tests.browser.test_accessibility import _serious
    from tests.browser.test_phone_layout import OUT_OF_SIGHT, TOO_WIDE
    from tests.factories import PASSWORD

    db.session.add(SuggestionCategory(id=1, name_zh="食堂", name_en="Canteen", position=0,
                                      active=True))
    db.session.commit()
    office = make_user("employee", "office", name="陈立新", department=make_department("办公室"))
    suggestion, _code = services.submit(office, 1, "晚餐供应时间太早结束，希望延长到十九点",
                                        "车间18:30下班，食堂18:30就收了。", anonymous=True)
    answers.answer(suggestion, office, "solved", "从下周一起晚餐供应延长到19:00。")
    answers.publish([suggestion], office)
    db.session.commit()
    # axe is injected as a script: only this context relaxes the CSP, to let it in.
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server,
                                  bypass_csp=True)
    page = context.new_page()
    page.goto("/login")
    page.fill("#employee_no", office.employee_no)
    page.fill("#password", PASSWORD)
    page.click("form.form button")
    page.wait_for_url(f"{live_server}/")
    problems = {}
    for url in ["/suggestions/", "/suggestions/new", "/suggestions/code", "/suggestions/inbox",
                f"/suggestions/{suggestion.id}", "/suggestions/paper", "/suggestions/figures",
                "/suggestions/digests", "/suggestions/settings"]:
        page.goto(url)
        found = _serious(page) + page.evaluate(TOO_WIDE) + page.evaluate(OUT_OF_SIGHT)
        if found or page.evaluate("document.documentElement.scrollWidth") > 360:
            problems[url] = found
    context.close()
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())
