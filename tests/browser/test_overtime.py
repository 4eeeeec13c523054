"""Overtime on a phone: tonight's overtime recorded with no network, the ride home claimed from
it, and the claim approved by the department head and then the office."""

from datetime import date

from sqlalchemy import select

from portal.blueprints.overtime.models import Claim, OvertimeRecord, Policy
from portal.extensions import db
from tests import factories
from tests.browser.conftest import wait_until
from tests.pwa.browser_helpers import go_offline, go_online, wait_js


def _sign_in(page, user):
    page.fill("#employee_no", user.employee_no)
    page.fill("#password", factories.PASSWORD)
    page.click("form.form button")
    page.wait_for_load_state("networkidle")


def _sign_out(page):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login?signed_out=1")


def _fresh(model):
    db.session.rollback()  # see what the server committed
    return db.session.scalar(select(model))


def test_from_recording_overtime_offline_to_an_approved_claim(app, pages, make_user,
                                                              make_department):
    department = make_department("研发部")
    head = make_user("employee", "dept_head", name="李建华", department=department)
    department.head = head
    employee = make_user("employee", name="王小明", department=department)
    office = make_user("employee", "office", name="陈立新")
    db.session.add(Policy(effective_from=date(2026, 1, 1), earliest_end="21:00",
                          ride_window_minutes=120, max_per_ride_cents=10000,
                          monthly_cap_cents=80000, receipt_above_cents=5000,
                          rest_days_allowed=True, holidays_allowed=True,
                          rest_day_earliest_end="18:00"))
    db.session.commit()

    page = pages.new_page()
    page.goto(f"{pages.base_url}/overtime/")
    _sign_in(page, employee)
    assert "/overtime/" in page.url
    page.fill("#start_time", "18:30")
    page.fill("#end_time", "22:15")
    page.fill("#reason", "版本发布")
    go_offline(pages)
    page.get_by_role("button", name="登记加班").click()
    page.locator("#outbox-status:not([hidden])").wait_for(timeout=10_000)
    assert _fresh(OvertimeRecord) is None
    go_online(pages)
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    assert wait_until(lambda: _fresh(OvertimeRecord) is not None)
    assert _fresh(OvertimeRecord).end_time == "22:15"

    # The claim, pre-filled from the record: the ride time is the overtime's end.
    page.goto(f"{pages.base_url}/overtime/")
    page.get_by_role("link", name="报销回家打车费").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#ride_at").input_value().endswith("T22:15")
    page.fill("#from_district", "南山区")
    page.fill("#to_district", "宝安区")
    page.fill("#amount", "120")  # over the 100 per ride: said beside the field, input kept
    page.get_by_role("button", name="提交报销").click()
    page.locator("#amount-error").first.wait_for(timeout=10_000)
    assert "超出每次上限（¥100.00）¥20.00" in page.locator("main").inner_text()
    assert page.locator("#to_district").input_value() == "宝安区"
    page.fill("#amount", "45.50")
    page.get_by_role("button", name="提交报销").click()
    page.get_by_text("报销已提交。").wait_for(timeout=10_000)
    claim = _fresh(Claim)
    assert claim.status == "head" and claim.amount_cents == 4550

    for approver in (head, office):
        _sign_out(page)
        page.goto(f"{pages.base_url}/overtime/claims/{claim.id}")
        _sign_in(page, approver)
        assert "宝安区" in page.locator("main").inner_text()
        page.get_by_role("button", name="批准").click()
        page.get_by_text("已批准。").wait_for(timeout=10_000)
    assert _fresh(Claim).status == "approved"


def test_overtime_pages_fit_a_phone_and_have_no_serious_accessibility_violations(
        app, live_server, browser, make_user, make_department):
    from portal.blueprints.accounts.models import ROLES
    from tests.browser.test_accessibility import _serious

    department = make_department("研发部")
    user = make_user(*ROLES, name="李建华", department=department)
    department.head = user
    member = make_user("employee", name="王小明", department=department)
    db.session.add(Policy(effective_from=date(2026, 1, 1)))
    db.session.add(OvertimeRecord(user_id=member.id, day=date.today(), start_time="18:00",
                                  end_time="22:00", reason="版本发布"))
    db.session.commit()
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server,
                                  bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.goto("/login")
    _sign_in(page, user)
    problems = {}
    for url in ("/overtime/", "/overtime/claims/new", "/overtime/approvals", "/overtime/team",
                "/overtime/stand-ins", "/overtime/office", "/overtime/policy",
                "/overtime/settings"):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
        if found := _serious(page):
            problems[url] = found
    context.close()
    assert problems == {}
