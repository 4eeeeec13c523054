"""Signing in and out, passwords, throttling, sessions, language."""

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
