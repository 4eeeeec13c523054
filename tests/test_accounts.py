"""Signing in and out, passwords, throttling, sessions, language."""

import pytest

from portal.blueprints.accounts.passwords import check_password
from portal.extensions import db
from tests.factories import PASSWORD


def test_login_with_employee_number_and_password_lands_on_my_day(client, make_user):
    user = make_user(name="王小明")
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD},
                           follow_redirects=True)
    assert "王小明，你好" in response.get_data(as_text=True)


def test_wrong_password_says_so_and_keeps_the_employee_number(client, make_user):
    user = make_user()
    response = client.post("/login", data={"employee_no": user.employee_no, "password": "nope"})
    html = response.get_data(as_text=True)
    assert "工号或密码错误" in html
    assert f'value="{user.employee_no}"' in html


def test_deactivated_person_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    assert "工号或密码错误" in response.get_data(as_text=True)


def test_five_failures_lock_the_account_even_with_the_right_password(client, make_user):
    user = make_user()
    for _ in range(5):
        client.post("/login", data={"employee_no": user.employee_no, "password": "wrong"})
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    assert response.status_code == 429
    assert "失败次数过多" in response.get_data(as_text=True)


def test_login_starts_a_new_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.permanent


def test_remember_me_sets_a_short_lived_cookie(app, client, make_user):
    user = make_user()
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD,
                                           "remember": "y"})
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token")]
    assert cookie and "HttpOnly" in cookie[0]
    assert app.config["REMEMBER_COOKIE_DURATION"].days <= 14


def test_logout_ends_the_session(client, auth, make_user):
    auth.login(make_user())
    response = client.post("/logout")
    assert response.status_code == 303
    assert client.get("/").status_code == 302


def test_change_password_needs_the_current_one_and_keeps_what_was_typed(client, auth, make_user):
    auth.login(make_user())
    response = client.post("/account/password", data={"current": "bad", "new": "brand-new-pass",
                                                      "confirm": "brand-new-pass"})
    assert response.status_code == 422
    assert "当前密码错误" in response.get_data(as_text=True)


def test_change_password_ends_other_sessions_but_keeps_this_one(app, make_user):
    user = make_user()
    phone, desk = app.test_client(), app.test_client()
    for c in (phone, desk):
        c.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    response = desk.post("/account/password", data={"current": PASSWORD, "new": "brand-new-pass",
                                                    "confirm": "brand-new-pass"})
    assert response.status_code == 303
    db.session.refresh(user)
    assert check_password(user.password_hash, "brand-new-pass")
    assert desk.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_short_or_mismatched_new_password_is_refused_beside_the_field(client, auth, make_user):
    auth.login(make_user())
    response = client.post("/account/password", data={"current": PASSWORD, "new": "short",
                                                      "confirm": "other"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "至少 8 个字符" in html and "两次输入的密码不一致" in html


def test_language_choice_is_kept_on_the_account(client, auth, make_user):
    user = make_user()
    auth.login(user)
    client.post("/language", data={"lang": "en", "next": "/account"})
    db.session.refresh(user)
    assert user.language == "en"
    assert "My account" in client.get("/account").get_data(as_text=True)


def test_before_login_the_browser_language_decides(client):
    html = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(True)
    assert "Sign in to Zhongshu" in html
    html = client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(True)
    assert "登录中枢" in html


# ---- A password reset by the office must be replaced at the first sign-in ----------------

def _reset_by_office(app, person) -> str:
    """The office resets `person`'s password; returns the one-time password it was shown."""
    from tests.factories import make_user

    office = app.test_client()
    office.post("/login", data={"employee_no": make_user("office").employee_no,
                                "password": PASSWORD})
    html = office.post(f"/admin/users/{person.id}/reset-password").get_data(as_text=True)
    return html.split('<p class="secret"><code>')[1].split("</code>")[0]


def test_office_password_leads_only_to_choosing_ones_own_then_everything_opens(
        app, client, make_user):
    person = make_user(name="王小明")
    temporary = _reset_by_office(app, person)

    response = client.post("/login?next=/notifications/",
                           data={"employee_no": person.employee_no, "password": temporary})
    assert response.status_code == 303
    assert response.location == "/account/password?next=/notifications/"
    html = client.get(response.location).get_data(as_text=True)
    assert "办公室已重置你的密码。请先设置自己的密码再继续" in html
    assert "办公室给你的一次性密码" in html

    # Every other page leads back there; htmx gets HX-Redirect, not a page in a fragment.
    assert client.get("/").location == "/account/password?next=/"
    assert client.get("/admin/users").location.startswith("/account/password")
    assert client.post("/account").location == "/account/password"
    fragment = client.get("/notifications/", headers={"HX-Request": "true"})
    assert fragment.headers["HX-Redirect"].startswith("/account/password")
    assert fragment.get_data() == b""
    # The language switch still works, and so does signing out (tested below).
    assert client.post("/language", data={"lang": "en", "next": "/"}).status_code == 303

    # The one-time password cannot be kept as the new one.
    same = client.post("/account/password?next=/notifications/", data={
        "current": temporary, "new": temporary, "confirm": temporary})
    assert same.status_code == 422

    response = client.post("/account/password?next=/notifications/", data={
        "current": temporary, "new": "my-own-password", "confirm": "my-own-password"})
    assert response.status_code == 303 and response.location == "/notifications/"
    db.session.refresh(person)
    assert not person.must_change_password
    assert check_password(person.password_hash, "my-own-password")
    assert client.get("/").status_code == 200
    assert client.get("/admin/users").status_code == 403  # an employee, as before

    # The office's password no longer opens anything.
    client.post("/logout")
    again = client.post("/login", data={"employee_no": person.employee_no,
                                        "password": temporary})
    assert "工号或密码错误" in again.get_data(as_text=True)


def test_forced_password_change_explains_itself_in_english(app, client, make_user):
    person = make_user(language="en")
    temporary = _reset_by_office(app, person)
    client.post("/login", data={"employee_no": person.employee_no, "password": temporary})
    html = client.get("/account/password").get_data(as_text=True)
    assert "<h1>Choose your own password</h1>" in html
    assert "The office reset your password. Choose your own password before you go on" in html
    assert "The one-time password from the office." in html


def test_person_who_must_change_password_can_sign_out(app, client, make_user):
    person = make_user()
    temporary = _reset_by_office(app, person)
    client.post("/login", data={"employee_no": person.employee_no, "password": temporary})
    response = client.post("/logout")
    assert response.status_code == 303 and "/login?signed_out=1" in response.location
    assert client.get("/account/password").location.startswith("/login")


def test_form_sent_from_the_outbox_before_the_change_waits_instead_of_being_lost(
        app, client, make_user):
    # Followed, a redirect would look like success to the phone, and the kept form would go.
    person = make_user()
    temporary = _reset_by_office(app, person)
    client.post("/login", data={"employee_no": person.employee_no, "password": temporary})
    response = client.post("/account", data={"language": "en"},
                           headers={"X-Outbox-Id": "6f1c1d2e-0000-4000-8000-000000000001"})
    assert response.status_code == 401
    assert response.json == {"error": "password_change_required", "login": "/account/password"}
    db.session.refresh(person)
    assert person.language == "zh_CN"


def test_forced_password_change_works_through_the_outbox(app, client, make_user):
    person = make_user()
    temporary = _reset_by_office(app, person)
    client.post("/login", data={"employee_no": person.employee_no, "password": temporary})
    headers = {"X-Outbox-Id": "6f1c1d2e-0000-4000-8000-000000000002"}
    data = {"current": temporary, "new": "my-own-password", "confirm": "my-own-password"}
    first = client.post("/account/password", data=data, headers=headers)
    assert first.status_code == 303 and first.location == "/"
    replay = client.post("/account/password", data=data, headers=headers)
    assert replay.status_code == 303 and replay.headers["X-Outbox-Replayed"] == "1"
    db.session.refresh(person)
    assert not person.must_change_password
    assert client.get("/").status_code == 200


def test_every_page_but_the_password_form_waits_for_the_new_password(app, client, make_user):
    from portal.security import PASSWORD_CHANGE_ENDPOINTS
    from tests.test_security import _urls

    person = make_user("employee", "office")
    temporary = _reset_by_office(app, person)
    client.post("/login", data={"employee_no": person.employee_no, "password": temporary})
    checked = 0
    for endpoint, method, url, _roles in _urls(app):
        if endpoint in PASSWORD_CHANGE_ENDPOINTS:
            continue
        response = client.open(url, method=method)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.location.startswith("/account/password"), endpoint
        checked += 1
    assert checked > 20


def test_sign_out_form_carries_the_no_network_note_in_the_persons_language(client, auth,
                                                                           make_user):
    # static/js/app/signout.js shows it instead of the browser's error page when offline.
    auth.login(make_user(language="en"))
    assert 'data-offline-text="No network: sign out once you are back online."' in client.get(
        "/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user())
    html = client.get("/").get_data(as_text=True)
    assert 'data-offline-text="没有网络：联网后再退出登录。"' in html


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "/%09/evil.example/",
                                    "/%0A/evil.example/", "https://evil.example/"])
def test_signing_in_never_follows_next_off_the_portal(client, make_user, target):
    # Browsers drop tabs and newlines: "/\t/evil.example" would be read as "//evil.example".
    person = make_user()
    response = client.post(f"/login?next={target}",
                           data={"employee_no": person.employee_no, "password": PASSWORD})
    assert response.status_code == 303 and response.location == "/"


def test_signing_in_follows_next_within_the_portal(client, make_user):
    person = make_user()
    response = client.post("/login?next=/repairs/%3Fmine%3D1",
                           data={"employee_no": person.employee_no, "password": PASSWORD})
    assert response.location == "/repairs/?mine=1"
