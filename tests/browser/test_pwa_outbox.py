"""The offline outbox in Chromium: a form kept offline is applied exactly once, and a replay
that cannot go through (expired session, invalid data) stays with its reason."""

from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.accounts.passwords import check_password
from portal.blueprints.pwa.models import OutboxReceipt
from portal.extensions import db
from tests.factories import PASSWORD
from tests.pwa.browser_helpers import go_offline, go_online, open_controlled, wait_js

NEW = "offline-pass-77"


def fill_password_form(page, current=PASSWORD, new=NEW):
    page.fill("#current", current)
    page.fill("#new", new)
    page.fill("#confirm", new)
    page.click("form[data-outbox] button")


def stored(user) -> str:
    db.session.rollback()  # see what the live server committed
    return db.session.scalar(select(User.password_hash).where(User.id == user.id))


def receipts() -> list[OutboxReceipt]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxReceipt)))


def outbox_count(page) -> int:
    return page.evaluate("window.zhongshuOutbox.count()")


def test_form_sent_offline_is_applied_once_and_a_manual_replay_changes_nothing(pages,
                                                                                make_user):
    user = make_user()
    page = open_controlled(pages, user, "/account/password")
    go_offline(pages)
    fill_password_form(page)
    item = page.locator('#outbox-status [data-state="waiting"]')
    item.wait_for()
    assert "等待发送" in item.inner_text()
    assert outbox_count(page) == 1
    assert check_password(stored(user), PASSWORD)

    go_online(pages)
    page.evaluate("window.zhongshuOutbox.flush()")
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    after_replay = stored(user)
    assert check_password(after_replay, NEW)
    [receipt] = receipts()
    assert receipt.status == 303 and receipt.user_id == user.id

    # The same request again by hand, with the same id: the first answer, nothing applied.
    page.goto("/account")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    again = pages.context.request.post(
        "/account/password", max_redirects=0,
        headers={"X-Outbox-Id": receipt.id, "X-CSRFToken": token},
        form={"current": PASSWORD, "new": "yet-another-1", "confirm": "yet-another-1"})
    assert again.status == 303
    assert again.headers["x-outbox-replayed"] == "1"
    assert again.headers["location"] == receipt.location
    assert stored(user) == after_replay
    assert len(receipts()) == 1


def test_replay_with_an_expired_session_stays_with_the_reason_and_goes_after_sign_in(
        pages, make_user):
    user = make_user()
    page = open_controlled(pages, user, "/account/password")
    go_offline(pages)
    fill_password_form(page)
    page.locator('#outbox-status [data-state="waiting"]').wait_for()

    pages.context.clear_cookies()  # the session ends while the phone is offline
    go_online(pages)
    page.evaluate("window.zhongshuOutbox.flush()")
    item = page.locator('#outbox-status [data-state="login"]')
    item.wait_for()
    assert "登录已过期" in item.inner_text()
    assert item.get_by_role("link", name="登录").is_visible()
    assert check_password(stored(user), PASSWORD)
    assert receipts() == []

    # The bell noticed the lost session too, and went quiet instead of leaving the page.
    page.locator("#bell:not([hx-get])").wait_for(state="attached")
    assert page.url.endswith("/account/password")
    page = pages.login(pages.new_page(), user, next_path="/repairs/")
    wait_js(page, "window.zhongshuOutbox.count().then(n => n === 0)")
    assert check_password(stored(user), NEW)
    assert len(receipts()) == 1


def test_invalid_replay_stays_with_the_error_then_can_be_reopened_and_discarded(pages,
                                                                              make_user):
    user = make_user()
    page = open_controlled(pages, user, "/account/password")
    go_offline(pages)
    fill_password_form(page, current="not-my-password")
    page.locator('#outbox-status [data-state="waiting"]').wait_for()

    go_online(pages)
    page.evaluate("window.zhongshuOutbox.flush()")
    item = page.locator('#outbox-status [data-state="invalid"]')
    item.wait_for()
    assert "未能发送" in item.inner_text()
    assert item.locator(".outbox-errors li").count() == 1
    assert receipts() == []

    item.get_by_role("button", name="打开表单修改").click()
    wait_js(page, f"document.querySelector('#new').value === '{NEW}'")
    assert page.input_value("#current") == "not-my-password"

    item.get_by_role("button", name="丢弃").click()
    page.locator("#outbox-status").wait_for(state="hidden")
    assert outbox_count(page) == 0
    assert check_password(stored(user), PASSWORD)


def test_form_sent_online_goes_through_the_outbox_and_shows_the_result(pages, make_user):
    user = make_user()
    page = open_controlled(pages, user, "/account/password")
    fill_password_form(page, current="wrong-one")
    page.locator("#current-error").wait_for()  # the 422 form, shown in place
    assert outbox_count(page) == 0

    fill_password_form(page)
    page.locator(".flash.success").wait_for()
    assert page.url.endswith("/account")
    assert check_password(stored(user), NEW)
    assert len(receipts()) == 1


def test_signing_out_discards_a_waiting_password_change(pages, make_user):
    user = make_user()
    page = open_controlled(pages, user, "/account/password")
    other_tab = pages.new_page()
    other_tab.goto("/account")
    go_offline(pages)
    fill_password_form(page)
    page.locator('#outbox-status [data-state="waiting"]').wait_for()

    # Signing out, even offline, takes the waiting password change off the phone.
    page.get_by_role("button", name="退出登录").click(no_wait_after=True)
    wait_js(other_tab, "window.zhongshuOutboxCore.all().then(items => items.length === 0)")
    go_online(pages)
    other_tab.evaluate("window.zhongshuOutbox.flush()")
    assert check_password(stored(user), PASSWORD)
    assert receipts() == []
