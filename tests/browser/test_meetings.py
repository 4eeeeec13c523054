"""Meetings on a phone: find a free slot, book the room, write the minutes with an action item;
an attendee accepts, reads the minutes, and reads the meeting again with no network."""

from datetime import timedelta

from sqlalchemy import select

from portal.blueprints.meetings.models import Meeting, Room
from portal.blueprints.repairs.models import Location
from portal.extensions import db
from portal.timeutil import local_today
from tests import factories
from tests.browser.conftest import wait_until
from tests.pwa.browser_helpers import go_offline, open_controlled, wait_js


def _sign_out(page):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login?signed_out=1")


def _sign_in(page, user, path: str):
    page.goto(path)
    page.fill("#employee_no", user.employee_no)
    page.fill("#password", factories.PASSWORD)
    page.click("form.form button")
    page.wait_for_load_state("networkidle")


def _the_meeting() -> Meeting | None:
    db.session.rollback()  # see what the server committed
    return db.session.scalar(select(Meeting))


def test_from_a_free_slot_to_reading_the_minutes_on_a_phone(app, pages, make_user):
    organiser = make_user("employee", name="陈主任")
    attendee = make_user("employee", name="王小明")
    room = Room(location=Location(building="办公楼A栋", floor="3层", room="301会议室"),
                capacity=20, equipment="projector")
    db.session.add(room)
    db.session.commit()
    tomorrow = (local_today() + timedelta(days=1)).isoformat()

    # The phone shows free stretches, not the rooms × hours table; a tap fills the form.
    page = pages.login(pages.new_page(), organiser, next_path=f"/meetings/rooms?day={tomorrow}")
    assert page.locator(".room-grid").is_hidden()
    slot = page.locator(".free-slots .card", has_text="301会议室").locator("a").first
    slot.click()
    page.wait_for_url("**/meetings/new?**")
    assert page.locator("#day").input_value() == tomorrow
    assert page.locator("#room_id").input_value() == str(room.id)
    page.fill("#title", "部门联络员会议")
    page.fill("#people", attendee.employee_no)
    page.fill("#agenda", "一、上周督办事项")
    page.get_by_role("button", name="预订并发出通知").click()
    page.wait_for_url("**/meetings/*")
    assert "部门联络员会议" in page.locator("h1").inner_text()
    assert wait_until(lambda: _the_meeting() is not None)

    # The organiser records the minutes and an action item on the meeting's page.
    page.fill("#minutes", "会议决定：周五前提交材料。")
    page.get_by_role("button", name="保存并发送纪要").click()
    page.wait_for_load_state("networkidle")
    assert "纪要已保存" in page.locator(".flash").inner_text()
    page.fill("#title", "提交材料")
    page.fill("#owner_no", attendee.employee_no)
    page.fill("#due_at", f"{(local_today() + timedelta(days=4)).isoformat()}T17:00")
    page.fill("#acceptance", "材料齐全")
    page.get_by_role("button", name="添加待办事项").click()
    page.wait_for_load_state("networkidle")
    assert "提交材料" in page.locator("section[aria-labelledby=sec-minutes]").inner_text()
    _sign_out(page)

    # The attendee: from the home panel to the meeting, accepts, reads the minutes.
    page = open_controlled(pages, attendee, "/", page=page)
    page.get_by_role("link", name="部门联络员会议").first.click()
    page.wait_for_url("**/meetings/*")
    page.get_by_role("button", name="我参加").click()
    page.wait_for_load_state("networkidle")
    assert "你的答复： 参加" in page.locator("section[aria-labelledby=sec-mine]").inner_text()
    assert "会议决定：周五前提交材料。" in page.content()
    assert "提交材料" in page.content()
    meeting_url = page.url

    # Seen once, readable with no network.
    page.goto("/meetings/")
    page.wait_for_load_state()
    wait_js(page, "caches.keys().then(k => k.length > 0)")
    go_offline(pages)
    page.goto(meeting_url)
    page.locator("#cached-banner").wait_for(state="visible")
    assert "会议决定：周五前提交材料。" in page.content()
