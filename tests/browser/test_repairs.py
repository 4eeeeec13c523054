"""Repairs on a phone: scan a QR label, sign in, report offline, and see the fix confirmed;
facilities set targets on the settings page."""

from sqlalchemy import select

from portal.blueprints.repairs import services
from portal.blueprints.repairs.models import (
    Asset,
    Location,
    RepairRequest,
    RepairSettings,
    RepairTarget,
)
from portal.extensions import db
from tests import factories
from tests.browser.conftest import wait_until
from tests.pwa.browser_helpers import go_offline, go_online, wait_js
from tests.repairs.conftest import image_bytes


def _photo(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": image_bytes(size=(800, 600))}


def _sign_in(page, user):
    page.fill("#employee_no", user.employee_no)
    page.fill("#password", factories.PASSWORD)
    page.click("form.form button")
    page.wait_for_load_state("networkidle")


def _sign_out(page):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login?signed_out=1")  # the page clears its offline copies first


def _the_request() -> RepairRequest | None:
    db.session.rollback()  # see what the server committed
    return db.session.scalar(select(RepairRequest))


def test_from_qr_label_to_confirmed_fix_with_the_report_sent_offline(app, pages, make_user,
                                                                    make_department):
    department = make_department("生产部")
    requester = make_user("employee", name="王小明", department=department)
    tech = make_user("employee", "facilities", name="周志强")
    room = Location(building="办公楼A栋", floor="3层", room="301会议室")
    asset = Asset(code="AC-301", name="格力空调", category="aircon", location=room)
    db.session.add_all([room, asset])
    db.session.add(RepairSettings(lead_id=tech.id))
    db.session.commit()

    # The QR label's address: sign in first, then straight back to the pre-filled form.
    page = pages.new_page()
    page.goto(f"{pages.base_url}/repairs/new?location={room.id}&asset={asset.id}")
    assert "/login" in page.url
    _sign_in(page, requester)
    assert "/repairs/new" in page.url
    assert page.locator("#location_id").input_value() == str(room.id)
    assert page.locator("#asset_id").input_value() == str(asset.id)
    assert page.locator("#category").input_value() == "aircon"

    # Filled in and sent with no network: kept on the phone, sent once when back online by
    # the page itself (its `online` listener), with nobody pressing anything.
    page.fill("#description", "空调不制冷，开会时室内30度")
    page.check("input[name=urgency][value=urgent]")
    page.set_input_files("#photos", [_photo("ac.jpg")])
    go_offline(pages)
    page.get_by_role("button", name="提交").click()
    page.locator("#outbox-status:not([hidden])").wait_for(timeout=10_000)
    assert page.evaluate("window.zhongshuOutbox.count()") == 1
    assert _the_request() is None
    go_online(pages)
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    assert wait_until(lambda: _the_request() is not None)
    repair = _the_request()
    assert repair.urgency == "urgent" and repair.asset_id == asset.id and len(repair.photos) == 1
    number = repair.number

    # The technician, on the same phone: accept and start from the queue (htmx), then resolve.
    _sign_out(page)
    page.goto(f"{pages.base_url}/repairs/queue")
    _sign_in(page, tech)
    card = page.locator(f"#repair-{repair.id}")
    assert number in card.inner_text()
    card.get_by_role("button", name="我来受理").click()
    card.get_by_role("button", name="开始维修").click()
    card.get_by_role("link", name="完成维修…").click()
    page.wait_for_load_state("networkidle")
    page.fill("#resolution", "补充制冷剂，清洗滤网")
    page.set_input_files("#photo", _photo("fixed.jpg"))
    page.get_by_role("button", name="标记为已修好").click()
    page.get_by_text("已标记为修好，等待报修人确认。").wait_for(timeout=10_000)

    # The requester confirms and rates.
    _sign_out(page)
    page.goto(f"{pages.base_url}/repairs/{repair.id}")
    _sign_in(page, requester)
    assert "补充制冷剂，清洗滤网" in page.locator("main").inner_text()
    page.get_by_role("button", name="确认已修好").click()
    page.get_by_text("谢谢，报修单已关闭。").wait_for(timeout=10_000)
    page.check("input[name=rating][value='5']")
    page.get_by_role("button", name="提交评价").click()
    page.get_by_text("感谢您的评价。").wait_for(timeout=10_000)

    repair = _the_request()
    assert repair.status == "confirmed" and repair.rating == 5
    assert [e.action for e in repair.events] == ["submitted", "accepted", "started", "resolved",
                                                "confirmed", "rated"]
    assert {p.kind for p in repair.photos} == {"report", "fix"}


def test_facilities_set_a_target_on_a_phone(app, pages, make_user):
    tech = make_user("employee", "facilities", name="周志强")
    page = pages.login(pages.new_page(), tech, next_path="/repairs/settings")
    # Both targets tables fit the phone's width: nothing to scroll sideways to find.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.fill("#lab_urgent_response", "0.25")
    page.fill("#lab_urgent_resolution", "0.1")
    page.get_by_role("button", name="保存时限").click()
    error = page.locator("#lab_urgent_resolution-error")
    assert error.inner_text() == "解决时限不能短于响应时限。"
    assert page.locator("#lab_urgent_resolution").get_attribute("aria-describedby") == \
        "lab_urgent_resolution-error"
    assert page.locator("#lab_urgent_response").input_value() == "0.25"  # kept
    page.fill("#lab_urgent_resolution", "2")
    page.get_by_role("button", name="保存时限").click()
    page.get_by_text("已保存。新的时限适用于此后提交的报修。").wait_for(timeout=10_000)

    db.session.rollback()  # see what the server committed
    target = db.session.get(RepairTarget, ("lab", "urgent"))
    assert (target.response_minutes, target.resolution_minutes) == (15, 120)


def test_choosing_a_building_narrows_the_rooms_offered_without_a_reload(app, pages, make_user):
    requester = make_user("employee")
    office_block = Location(building="办公楼A栋", floor="3层", room="301会议室")
    lab_block = Location(building="研发楼", floor="2层", room="实验室201")
    db.session.add_all([office_block, lab_block])
    db.session.flush()
    for room in (office_block, lab_block):
        services.submit_request(requester, {"category": "lighting", "urgency": "normal",
                                            "location_id": room.id, "description": "灯不亮"}, [])
    db.session.commit()
    tech = make_user("employee", "facilities", name="周志强")
    page = pages.login(pages.new_page(), tech, next_path="/repairs/queue")
    page.evaluate("window.loaded = true")  # gone if the page reloads
    page.get_by_text("筛选与排序").click()
    rooms = page.locator("#f-location option")
    assert rooms.count() == 3  # "All" and both buildings' rooms

    page.select_option("#f-building", "研发楼")
    page.get_by_text("1 个报修单").wait_for(timeout=10_000)
    assert wait_until(lambda: rooms.count() == 2)
    assert rooms.nth(1).inner_text() == "研发楼 · 2层 · 实验室201"
    page.select_option("#f-location", str(lab_block.id))
    page.get_by_text("1 个报修单").wait_for(timeout=10_000)
    assert page.evaluate("window.loaded") is True
