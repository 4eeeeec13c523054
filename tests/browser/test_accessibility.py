"""axe-core (vendored, 4.14.1, MPL-2.0) finds nothing serious on the main pages, in both
languages, on a phone and on a desktop."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import url_for

from portal.blueprints.audit.models import AuditEntry
from portal.blueprints.canteen.models import DishRating, NightReservation
from portal.extensions import db
from portal.modules import modules
from tests.canteen.conftest import MONDAY, WEDNESDAY, fill_week, make_dish

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PAGES = ["/", "/account", "/account/password", "/notifications/", "/admin/users",
         "/admin/departments", "/admin/users/new", "/admin/users/import", "/admin/audit/"]


def module_pages(app) -> list[str]:
    """Each listed module's main page (its navigation entry), from its declaration."""
    with app.test_request_context():
        return [url_for(module.nav.endpoint) for module in modules() if module.nav]

# With content: a published week, tonight's form open, reservations and ratings to list.
# (url, what shows the content is there)
CANTEEN_PAGES = [
    ("/canteen/", "#night form[data-outbox] input[type=radio]"),
    (f"/canteen/manage/{MONDAY}", ".dish-rows .dish-name"),
    ("/canteen/tonight", "#headcount td[data-dish]"),
    ("/canteen/tonight/print", "td[data-dish]"),
    ("/canteen/dishes", "tbody a"),
    ("/canteen/ratings", "tbody td.num"),
    ("/canteen/settings", "#night_cutoff"),
    (f"/canteen/rate/{MONDAY}", "[role=group] button.star"),
    ("/canteen/preferences", "input[name=allergens]"),
]

# With content: requests in the list, queue, timeline and figures; rooms and the rota.
REPAIR_PAGES = [
    ("/repairs/", "a[href^='/repairs/']"),
    ("/repairs/new", "#description"),
    ("/repairs/queue", ".repair-card"),
    ("/repairs/figures", "table.figures tbody tr"),
    ("/repairs/places", "tbody tr"),
    ("/repairs/rota", "form"),
    ("/repairs/settings", "input[name$=response]"),
]


def _seed_task(user) -> int:
    """A task `user` gave themself, in a department: every step form on its page."""
    from datetime import timedelta

    from portal.blueprints.tasks import services
    from portal.timeutil import utcnow

    task = services.create_task(user, "整理会议纪要", "参会人确认无误",
                                utcnow() + timedelta(days=2), owner=user)
    db.session.commit()
    return task.id


TASK_PAGES = [("/tasks/", ".cards .card"), ("/tasks/new", "#acceptance"),
              ("/tasks/office", "tbody th")]


def _seed_repairs(user) -> int:
    """Two requests by `user` (who also works in facilities): one new, one accepted by them."""
    from portal.blueprints.repairs import services
    from portal.blueprints.repairs.models import Asset, Location

    room = Location(building="办公楼A栋", floor="3层", room="301会议室")
    db.session.add_all([room, Asset(code="AC-301", name="格力空调", category="aircon",
                                    location=room)])
    db.session.flush()
    data = {"category": "aircon", "urgency": "normal", "location_id": room.id,
            "description": "空调不制冷，有异响"}
    services.submit_request(user, data, [])
    accepted = services.submit_request(user, {**data, "category": "lighting"}, [])
    services.accept(accepted, user, user)
    db.session.commit()
    return accepted.id


def _seed_canteen(make_user, time_machine) -> datetime:
    """Wednesday 16:00 in the published week: tonight's reservations still open."""
    moment = datetime(2026, 12, 2, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    time_machine.move_to(moment, tick=False)  # the live server runs in this process
    dishes = {name: make_dish(name, tags=tags, price=price) for name, tags, price in (
        ("小米粥", "light vegetarian", None), ("宫保鸡丁", "spicy nuts", 14),
        ("清炒时蔬", "light vegetarian", 5), ("清蒸鲈鱼", "light seafood", 22),
        ("牛肉拉面", "halal gluten", 12), ("水饺", "gluten", 10))}
    fill_week(MONDAY, dishes)
    other = make_user("employee")
    db.session.add(NightReservation(user_id=other.id, day=WEDNESDAY, dish_id=dishes["水饺"].id))
    db.session.add(DishRating(user_id=other.id, dish_id=dishes["宫保鸡丁"].id, served_on=MONDAY,
                              stars=4))
    db.session.commit()
    # Seeding recorded audit entries, so the audit log is checked with rows in its table.
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    return moment


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language, viewport", [("zh_CN", {"width": 360, "height": 740}),
                                                 ("en", {"width": 1280, "height": 800})])
def test_main_pages_have_no_serious_accessibility_violations(app, live_server, browser, make_user,
                                                             time_machine, language, viewport):
    from portal.blueprints.accounts.models import ROLES
    from tests.factories import PASSWORD

    moment = _seed_canteen(make_user, time_machine)
    user = make_user(*ROLES, language=language)
    request_id = _seed_repairs(user)
    task_id = _seed_task(user)
    # axe is injected as a script: only this context relaxes the CSP, to let it in.
    context = browser.new_context(viewport=viewport, base_url=live_server, bypass_csp=True)
    page = context.new_page()
    page.clock.install(time=moment)  # canteen.js closes tonight's form once the phone passes 17:30
    page.goto("/login")
    page.fill("#employee_no", user.employee_no)
    page.fill("#password", PASSWORD)
    page.click("form.form button")
    page.wait_for_url(f"{live_server}/")
    problems = {}
    with_content = [*CANTEEN_PAGES, *REPAIR_PAGES, *TASK_PAGES,
                    (f"/repairs/{request_id}", "ol.timeline li"),
                    (f"/tasks/{task_id}", "ol.timeline li")]
    for url in dict.fromkeys([*PAGES, *module_pages(app)]):  # every module's, from the list
        if url in dict(with_content):
            continue  # checked below, with its content
        page.goto(url)
        found = _serious(page)
        if found:
            problems[url] = found
    for url, content in with_content:
        page.goto(url)
        assert page.locator(content).count() > 0, (url, content)
        if found := _serious(page):
            problems[url] = found
    page.goto("/login")  # signed in: redirected; sign out to check the login page too
    context.clear_cookies()
    page.goto("/login")
    if found := _serious(page):
        problems["/login"] = found
    context.close()
    assert problems == {}
