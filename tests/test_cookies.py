"""The session cookie whose verified value is kept per process (portal/cookies.py): kept or not,
it opens exactly what Flask's own cookie would, and never what it would refuse."""

from datetime import timedelta

import time_machine
from flask import request

COOKIE = "zs_session"


def _cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def test_a_kept_cookie_still_signs_in_and_a_tampered_copy_does_not(app, client, auth, make_user):
    auth.login(make_user(name="王小明"))
    assert "王小明" in client.get("/more").get_data(as_text=True)
    value = _cookie(client)
    assert "王小明" in client.get("/more").get_data(as_text=True)  # the kept value

    other = app.test_client()
    payload, _, signature = value.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    other.set_cookie(COOKIE, forged)
    assert other.get("/more").status_code == 302  # to the sign-in page
    other.set_cookie(COOKIE, value)
    assert other.get("/more").status_code == 200  # the untouched copy is the same sign-in


def test_a_kept_cookie_expires_like_any_other(app, client, auth, make_user):
    auth.login(make_user())
    value = _cookie(client)

    def opened():
        with app.test_request_context(headers={"Cookie": f"{COOKIE}={value}"}):
            return app.session_interface.open_session(app, request)

    assert "_user_id" in opened() and "_user_id" in opened()  # checked, then kept
    lifetime = app.permanent_session_lifetime.total_seconds()
    with time_machine.travel(timedelta(seconds=lifetime - 60)):
        assert "_user_id" in opened()
    with time_machine.travel(timedelta(seconds=lifetime + 60)):
        assert dict(opened()) == {}
        assert client.get("/more").status_code == 302


def test_a_session_holding_a_message_is_read_afresh_each_time(app, client, auth, make_user):
    auth.login(make_user())
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "已保存")]
    value = _cookie(client)
    assert "已保存" in client.get("/more").get_data(as_text=True)
    again = app.test_client()
    again.set_cookie(COOKIE, value)  # the same value once more: the message is there again
    assert "已保存" in again.get("/more").get_data(as_text=True)


def test_the_form_token_is_signed_once_a_minute_and_ends_with_the_session(csrf_app, make_user):
    from tests.conftest import csrf_token_from
    from tests.factories import PASSWORD

    person = make_user(language="zh_CN")
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"employee_no": person.employee_no, "password": PASSWORD,
                                "csrf_token": token})
    first = csrf_token_from(client.get("/more").get_data(as_text=True))
    assert csrf_token_from(client.get("/more").get_data(as_text=True)) == first
    with time_machine.travel(timedelta(minutes=2)):
        later = csrf_token_from(client.get("/more").get_data(as_text=True))
        assert later != first  # signed again: a new minute
        assert client.post("/language", data={"lang": "en", "csrf_token": first}
                           ).status_code == 303  # the token lives as long as the session
        assert client.post("/logout", data={"csrf_token": later}).status_code in (302, 303)
        refused = client.post("/language", data={"lang": "zh_CN", "csrf_token": later})
        assert refused.status_code == 400  # signed out: the session's tokens are gone


def test_the_cookie_of_a_sign_in_carries_its_form_token_and_pages_leave_it_alone(csrf_app,
                                                                               make_user):
    """Signing in makes a new CSRF secret in the same cookie; pages after it write no cookie
    (a client replaying the sign-in's cookie would otherwise get a new one on every page)."""
    from tests.conftest import csrf_token_from
    from tests.factories import PASSWORD

    person = make_user()
    client = csrf_app.test_client()
    before = csrf_token_from(client.get("/login").get_data(as_text=True))
    signed_in = client.post("/login", data={"employee_no": person.employee_no,
                                            "password": PASSWORD, "csrf_token": before})
    assert signed_in.status_code == 303 and COOKIE in signed_in.headers.get("Set-Cookie", "")
    value = _cookie(client)
    page = client.get("/more")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    token = csrf_token_from(page.get_data(as_text=True))

    replay = csrf_app.test_client()  # only the sign-in's cookie, as wrk or a script sends it
    replay.set_cookie(COOKIE, value)
    again = replay.get("/more")
    assert "Set-Cookie" not in again.headers
    assert replay.post("/language", data={"lang": "en", "csrf_token": token}).status_code == 303
    assert replay.post("/language", data={"lang": "en", "csrf_token": before}).status_code == 400
