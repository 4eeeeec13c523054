"""The night meal on a phone: reserved offline, sent once when the network returns, counted once."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from portal.blueprints.canteen import clock, kitchen
from portal.blueprints.canteen.models import NightReservation
from portal.extensions import db
from tests.browser.conftest import wait_until
from tests.canteen.conftest import MONDAY, fill_week, make_dish


def wait_js(page, expression: str, timeout: float = 15.0):
    # page.wait_for_function evaluates strings, which the CSP forbids: poll from Python.
    assert wait_until(lambda: page.evaluate(expression), timeout=timeout), expression


def _abort_worker_requests(route):
    # Playwright's offline switch does not reach the service worker's own fetches.
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def set_offline(pages, offline: bool):
    if offline:
        pages.context.set_offline(True)
        pages.context.route("**/*", _abort_worker_requests)
    else:
        pages.context.unroute("**/*", _abort_worker_requests)
        pages.context.set_offline(False)


def _reservations() -> int:
    db.session.rollback()  # see what the live server committed
    return db.session.scalar(select(func.count()).select_from(NightReservation))


def test_night_meal_reserved_offline_is_counted_once_in_the_canteen_headcount(
        app, pages, make_user, monkeypatch):
    moment = datetime(2026, 12, 2, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(clock, "now", lambda: moment)  # the live server runs in this process
    monkeypatch.setattr(kitchen, "POLL_SECONDS", 1)
    dishes = {name: make_dish(name) for name in
              ("小米粥", "宫保鸡丁", "清炒时蔬", "清蒸鲈鱼", "牛肉拉面", "水饺")}
    fill_week(MONDAY, dishes)
    worker = make_user("employee", name="夜班小李")
    cook = make_user("employee", "canteen", name="孙师傅")

    page = pages.login(pages.new_page(), worker, next_path="/canteen/")
    wait_js(page, "navigator.serviceWorker.controller !== null")
    assert page.locator("#night h2").inner_text().startswith("今晚夜宵")
    set_offline(pages, True)
    page.get_by_label("水饺").check()
    page.get_by_role("button", name="预订我的夜宵").click()
    page.locator('#outbox-status [data-state="waiting"]').wait_for()
    assert page.evaluate("window.zhongshuOutbox.count()") == 1
    assert _reservations() == 0

    set_offline(pages, False)
    page.evaluate("window.zhongshuOutbox.flush()")
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    page.evaluate("window.zhongshuOutbox.flush()")  # a second flush sends nothing again
    assert _reservations() == 1

    page.goto("/canteen/")
    assert "已预订：" in page.locator("#night").inner_text()
    page.locator("footer [data-logout] button").click()
    page.wait_for_load_state("networkidle")

    pages.login(page, cook, next_path="/canteen/tonight")
    row = page.locator("#headcount tbody tr", has_text="水饺")
    assert row.locator("td.num").inner_text() == "1"
    assert page.locator("#headcount [data-total]").inner_text() == "1"

    # Live: another reservation arrives while the sheet is open; the count refreshes itself.
    late = make_user("employee", name="夜班小王")
    db.session.add(NightReservation(user_id=late.id, day=moment.date(),
                                    dish_id=dishes["水饺"].id))
    db.session.commit()
    page.locator("#headcount [data-total]", has_text="2").wait_for(timeout=10_000)
    assert row.locator("td.num").inner_text() == "2"


def test_canteen_adds_moves_and_removes_dishes_without_reloading_the_week(
        app, pages, make_user, monkeypatch):
    moment = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(clock, "now", lambda: moment)
    for name in ("宫保鸡丁", "米饭"):
        make_dish(name)
    db.session.commit()
    cook = make_user("employee", "canteen")
    page = pages.login(pages.new_page(), cook, next_path=f"/canteen/manage/{MONDAY}")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    lunch = page.locator(f"#meal-{MONDAY}-lunch")
    for name in ("宫保鸡丁", "米饭"):
        lunch.get_by_label("为午餐添加菜品").fill(name)
        lunch.get_by_role("button", name="添加").click()
        lunch.locator(".dish-rows li", has_text=name).wait_for()
    lunch.get_by_role("button", name="将米饭上移").click()
    wait_js(page, f"document.querySelector('#meal-{MONDAY}-lunch .dish-rows li')"
                  ".textContent.includes('米饭')")
    lunch.get_by_role("button", name="移除宫保鸡丁").click()
    lunch.locator(".dish-rows li", has_text="宫保鸡丁").wait_for(state="detached")
    assert page.evaluate("window.sameDocument === true")
    assert lunch.locator(".dish-rows li").all_inner_texts()[0].startswith("米饭")
