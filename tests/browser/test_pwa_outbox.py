"""The offline outbox in Chromium: a form kept offline is applied exactly once, and a replay
that cannot go through (expired session, invalid data) stays with its reason. A form that holds
a password is never kept on the phone."""

from sqlalchemy import func, select

from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.passwords import check_password
from portal.blueprints.pwa.models import OutboxReceipt
from portal.blueprints.repairs.models import Location, RepairRequest
from portal.extensions import db
from tests.factories import PASSWORD
from tests.pwa.browser_helpers import go_offline, go_online, open_controlled, wait_js

NEW = "offline-pass-77"
WHAT = "走廊的灯不亮了"


def make_room():
    room = Location(building="办公楼A栋", floor="2层", room="201室")
    db.session.add(room)
    db.session.commit()
    return room


def fill_repair_form(page, room, description=WHAT):
    page.select_option("#category", "lighting")
    page.select_option("#location_id", str(room.id))
    page.fill("#description", description)
    page.click("form[data-outbox] button")


def fill_password_form(page, current=PASSWORD, new=NEW):
    page.fill("#current", current)
    page.fill("#new", new)
    page.fill("#confirm", new)
    page.click("form.form button")


def stored(user) -> str:
    db.session.rollback()  # see what the live server committed
    return db.session.scalar(select(User.password_hash).where(User.id == user.id))


def requests_made() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(RepairRequest))


def receipts() -> list[OutboxReceipt]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxReceipt)))


def outbox_count(page) -> int:
    return page.evaluate("window.zhongshuOutbox.count()")


def test_form_sent_offline_is_applied_once_and_a_manual_replay_changes_nothing(pages,
                                                                                make_user):
    user = make_user()
    room = make_room()
    page = open_controlled(pages, user, "/repairs/new")
    go_offline(pages)
    fill_repair_form(page, room)
    item = page.locator('#outbox-status [data-state="waiting"]')
    item.wait_for()
    assert "等待发送" in item.inner_text()
    assert outbox_count(page) == 1
    assert requests_made() == 0

    go_online(pages)
    page.evaluate("window.zhongshuOutbox.flush()")
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    assert requests_made() == 1
    [receipt] = receipts()
    assert receipt.status == 303 and receipt.user_id == user.id

    # The same request again by hand, with the same id: the first answer, nothing applied.
    page.goto("/account")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    again = pages.context.request.post(
        "/repairs/new", max_redirects=0,
        headers={"X-Outbox-Id": receipt.id, "X-CSRFToken": token},
        multipart={"category": "lighting", "location_id": str(room.id), "urgency": "normal",
                   "description": "又一次"})
    assert again.status == 303
    assert again.headers["x-outbox-replayed"] == "1"
    assert again.headers["location"] == receipt.location
    assert requests_made() == 1
    assert len(receipts()) == 1


def test_replay_with_an_expired_session_stays_with_the_reason_and_goes_after_sign_in(
        pages, make_user):
    user = make_user()
    room = make_room()
    page = open_controlled(pages, user, "/repairs/new")
    go_offline(pages)
    fill_repair_form(page, room)
    page.locator('#outbox-status [data-state="waiting"]').wait_for()

    pages.context.clear_cookies()  # the session ends while the phone is offline
    go_online(pages)
    page.evaluate("window.zhongshuOutbox.flush()")
    item = page.locator('#outbox-status [data-state="login"]')
    item.wait_for()
    assert "登录已过期" in item.inner_text()
    assert item.get_by_role("link", name="登录").is_visible()
    assert requests_made() == 0
    assert receipts() == []

    # The bell noticed the lost session too, and went quiet instead of leaving the page.
    page.locator("#bell:not([hx-get])").wait_for(state="attached")
    assert page.url.endswith("/repairs/new")
    page = pages.login(pages.new_page(), user, next_path="/repairs/")
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    assert requests_made() == 1
    assert len(receipts()) == 1


def test_invalid_replay_stays_with_the_error_then_can_be_reopened_and_discarded(pages,
                                                                              make_user):
    user = make_user()
    room = make_room()
    page = open_controlled(pages, user, "/repairs/new")
    go_offline(pages)
    fill_repair_form(page, room, description="灯")  # too short: the server says no
    page.locator('#outbox-status [data-state="invalid"], '
                 '#outbox-status [data-state="waiting"]').first.wait_for()

    go_online(pages)
    page.evaluate("window.zhongshuOutbox.flush()")
    item = page.locator('#outbox-status [data-state="invalid"]')
    item.wait_for()
    assert "未能发送" in item.inner_text()
    assert item.locator(".outbox-errors li").count() == 1
    assert receipts() == []

    # Opened again: what was typed is back, the server's message beside its field.
    item.get_by_role("button", name="打开表单修改").click()
    wait_js(page, "document.querySelector('#description').value === '灯'")
    error = page.locator("#description-error")
    error.wait_for()
    assert error.inner_text() == item.locator(".outbox-errors li").inner_text()
    assert page.get_attribute("#description", "aria-invalid") == "true"
    assert page.input_value("#location_id") == str(room.id)

    item.get_by_role("button", name="丢弃").click()
    page.locator("#outbox-status").wait_for(state="hidden")
    assert outbox_count(page) == 0
    assert requests_made() == 0


def test_form_sent_online_goes_through_the_outbox_and_shows_the_result(pages, make_user):
    user = make_user()
    room = make_room()
    page = open_controlled(pages, user, "/repairs/new")
    answers = []
    page.on("response", lambda r: answers.append(r) if r.url.endswith("/repairs/new")
            and r.request.method == "POST" else None)
    fill_repair_form(page, room, description="灯")
    error = page.locator("#description-error")  # the 422's errors, beside the field
    error.wait_for()
    assert "2" in error.inner_text()
    assert answers[0].status == 422 and "errors" in answers[0].json()  # JSON, not a page
    assert page.input_value("#description") == "灯"  # what was typed stays
    assert page.input_value("#location_id") == str(room.id)
    assert outbox_count(page) == 0

    page.fill("#description", WHAT)
    page.click("form[data-outbox] button")
    page.locator(".flash.success").wait_for()
    assert "/repairs/" in page.url
    assert requests_made() == 1
    assert len(receipts()) == 1


def test_a_copy_still_being_handled_is_asked_again_and_shows_the_first_answer(pages,
                                                                              make_user):
    user = make_user()
    room = make_room()
    page = open_controlled(pages, user, "/repairs/new")
    busy = []

    def first_busy(route):
        # The server is still handling an earlier copy of this very form.
        if route.request.method == "POST" and not busy:
            busy.append(route.request.headers["x-outbox-id"])
            route.fulfill(status=409, headers={"Retry-After": "1"},
                          json={"error": "in_progress"})
        else:
            route.continue_()

    page.route("**/repairs/new", first_busy)
    fill_repair_form(page, room)
    page.locator(".flash.success").wait_for()  # never a blank page
    assert "/repairs/" in page.url and page.locator("h1").inner_text()
    assert len(busy) == 1
    assert requests_made() == 1
    assert [r.id for r in receipts()] == busy  # asked again with the same id
    assert outbox_count(page) == 0


def test_a_password_form_is_never_kept_on_the_phone_and_says_it_needs_the_network(
        pages, make_user):
    user = make_user()
    page = open_controlled(pages, user, "/account/password")
    go_offline(pages)
    fill_password_form(page)
    note = page.locator("form.form .password-offline")
    note.wait_for()
    assert "修改密码需要网络" in note.inner_text()
    assert note.get_attribute("role") == "status"
    assert page.url.endswith("/account/password")  # no browser error page
    assert page.input_value("#new") == NEW  # what was typed stays in the form
    assert page.evaluate("window.zhongshuOutboxCore.all().then(items => items.length)") == 0

    go_online(pages)  # with the network it is an ordinary form
    fill_password_form(page)
    page.locator(".flash.success").wait_for()
    assert check_password(stored(user), NEW)
    assert receipts() == []


def test_signing_out_discards_the_persons_waiting_forms(pages, make_user):
    user = make_user()
    room = make_room()
    page = open_controlled(pages, user, "/repairs/new")
    other_tab = pages.new_page()
    other_tab.goto("/account")
    go_offline(pages)
    fill_repair_form(page, room)
    page.locator('#outbox-status [data-state="waiting"]').wait_for()

    # Signing out, even offline, takes the waiting forms off the phone.
    page.get_by_role("button", name="退出登录").click(no_wait_after=True)
    wait_js(other_tab, "window.zhongshuOutboxCore.all().then(items => items.length === 0)")
    go_online(pages)
    other_tab.evaluate("window.zhongshuOutbox.flush()")
    assert requests_made() == 0
    assert receipts() == []
