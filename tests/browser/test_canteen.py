"""The night meal on a phone: reserved offline, sent once when the network returns, counted once."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from portal.blueprints.canteen import kitchen
from portal.blueprints.canteen.models import NightReservation
from portal.extensions import db
from tests.canteen.conftest import MONDAY, fill_week, make_dish
from tests.pwa.browser_helpers import go_offline, go_online, open_controlled, wait_js


def _reservations() -> int:
    db.session.rollback()  # see what the live server committed
    return db.session.scalar(select(func.count()).select_from(NightReservation))


def test_night_meal_reserved_offline_is_counted_once_in_the_canteen_headcount(
        app, pages, make_user, monkeypatch, time_machine):
    moment = datetime(2026, 12, 2, 16, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    time_machine.move_to(moment, tick=False)  # the live server runs in this process
    monkeypatch.setattr(kitchen, "POLL_SECONDS", 1)
    dishes = {name: make_dish(name) for name in
              ("小米粥", "宫保鸡丁", "清炒时蔬", "清蒸鲈鱼", "牛肉拉面", "水饺")}
    fill_week(MONDAY, dishes)
    worker = make_user("employee", name="夜班小李")
    cook = make_user("employee", "canteen", name="孙师傅")

    page = pages.new_page()
    page.clock.install(time=moment)  # canteen.js closes a form once the phone passes the cut-off
    page = open_controlled(pages, worker, "/canteen/", page=page)
    assert page.locator("#night h2").inner_text().startswith("今晚夜宵")
    go_offline(pages)
    page.get_by_label("水饺").check()
    page.get_by_role("button", name="预订我的夜宵").click()
    page.locator('#outbox-status [data-state="waiting"]').wait_for()
    assert page.evaluate("window.zhongshuOutbox.count()") == 1
    assert _reservations() == 0

    go_online(pages)  # the page hears `online` and sends what waits, by itself
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    assert _reservations() == 1

    page.goto("/canteen/")  # loading a page sends what waits too: nothing is left to send
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
        app, pages, make_user, time_machine):
    moment = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    time_machine.move_to(moment, tick=False)
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


def test_the_night_form_closes_at_the_cutoff_on_an_open_page_and_on_an_offline_copy(
        app, pages, make_user, time_machine):
    shanghai = ZoneInfo("Asia/Shanghai")
    served_at = datetime(2026, 12, 2, 17, 29, tzinfo=shanghai)
    time_machine.move_to(served_at, tick=False)  # the server renders the open form
    dishes = {name: make_dish(name) for name in
              ("小米粥", "宫保鸡丁", "清炒时蔬", "清蒸鲈鱼", "牛肉拉面", "水饺")}
    fill_week(MONDAY, dishes)
    worker = make_user("employee", name="夜班小李")
    closed = "今晚的夜宵预订已于 17:30 截止。"

    page = pages.new_page()
    page.clock.install(time=served_at)  # the phone's clock, one minute before the cut-off
    pages.login(page, worker, next_path="/repairs/")
    wait_js(page, "navigator.serviceWorker.controller !== null")
    page.goto("/canteen/")  # seen while the worker is in control: kept for offline use
    wait_js(page, "caches.open('zs-pages-1').then(c => c.keys())"
                  ".then(k => k.some(r => r.url.endsWith('/canteen/')))")
    reserve = page.get_by_role("button", name="预订我的夜宵")
    assert reserve.is_visible()

    page.clock.fast_forward("01:00")  # left open past 17:30: the 30-second check closes it
    page.locator("#night .closed-note", has_text=closed).wait_for()
    assert reserve.count() == 0 and page.locator("#night form").count() == 0

    # The copy kept before the cut-off, opened offline after it: closed as soon as it loads.
    go_offline(pages)
    later = pages.new_page()
    later.clock.install(time=datetime(2026, 12, 2, 17, 45, tzinfo=shanghai))
    later.goto("/canteen/")
    later.locator("#cached-banner").wait_for(state="visible")  # the page script has run
    note = later.locator("#night .closed-note")
    assert note.count() == 1 and note.inner_text() == closed  # not waiting for the 30 s check
    assert later.get_by_role("button", name="预订我的夜宵").count() == 0
