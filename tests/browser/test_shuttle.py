"""The shuttle on a phone: find my route by stop, follow it, and see it again offline."""

from datetime import datetime
from zoneinfo import ZoneInfo

from portal.blueprints.shuttle.models import Follow
from portal.extensions import db
from tests.pwa.browser_helpers import go_offline, open_controlled
from tests.shuttle.conftest import network  # noqa: F401  (the small network fixture)


def test_find_my_route_by_stop_follow_it_and_read_it_offline(app, pages, make_user, network,  # noqa: F811
                                                             time_machine):
    moment = datetime(2026, 12, 8, 6, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    time_machine.move_to(moment, tick=False)  # the live server runs in this process
    rider = make_user("employee", name="通勤小周")
    page = open_controlled(pages, rider, "/shuttle/find")

    page.get_by_label("站点或区域").fill("人民公园")
    page.get_by_role("button", name="查找线路").click()
    result = page.locator("#results .card", has_text="1号线")
    result.wait_for()
    assert "07:10" in result.inner_text()
    result.get_by_role("link", name="1号线").click()
    page.wait_for_url(f"**/shuttle/routes/{network.line.id}")

    page.get_by_role("button", name="关注此线路").click()
    page.get_by_role("button", name="取消关注").wait_for()
    db.session.rollback()  # see what the live server committed
    assert db.session.get(Follow, (rider.id, network.line.id)) is not None
    # The strip map fits a 360 px phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("figure.strip-map svg").bounding_box()["width"] <= 360

    go_offline(pages)
    page.goto(f"/shuttle/routes/{network.line.id}")
    assert "1号线" in page.locator("h1").inner_text()
    assert page.get_by_role("button", name="取消关注").count() == 1  # as last seen: followed
    assert "百货大楼" in page.locator("table.timetable").inner_text()


def test_shuttle_pages_have_no_serious_accessibility_violations_on_a_phone(
        app, live_server, browser, make_user, network, time_machine):  # noqa: F811
    from portal.blueprints.shuttle.models import Home, StopRequest
    from tests.browser.test_accessibility import _serious
    from tests.factories import PASSWORD

    moment = datetime(2026, 12, 8, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    time_machine.move_to(moment, tick=False)
    user = make_user("employee", "facilities")
    db.session.add_all([
        Home(user_id=user.id, district_id=network.old_town.id,
             stop_id=network.stops["鼓楼"].id),
        Follow(user_id=user.id, route_id=network.line.id),
        StopRequest(user_id=user.id, district_id=network.south.id, place="南湖公园")])
    db.session.commit()
    # axe is injected as a script: only this context relaxes the CSP, to let it in.
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server,
                                  bypass_csp=True)
    page = context.new_page()
    page.goto("/login")
    page.fill("#employee_no", user.employee_no)
    page.fill("#password", PASSWORD)
    page.click("form.form button")
    page.wait_for_url(f"{live_server}/")
    line = network.line.id
    problems = {}
    for url in ["/", "/shuttle/", "/shuttle/find?q=鼓楼", f"/shuttle/routes/{line}",
                f"/shuttle/routes/{line}/history", "/shuttle/me", "/shuttle/late",
                "/shuttle/requests", "/shuttle/manage", f"/shuttle/manage/routes/{line}/draft",
                "/shuttle/manage/stops", "/shuttle/manage/requests", "/shuttle/manage/settings",
                "/shuttle/coverage", f"/shuttle/late/{network.late.id}/passengers"]:
        page.goto(url)
        if found := _serious(page):
            problems[url] = found
    context.close()
    assert problems == {}, problems
