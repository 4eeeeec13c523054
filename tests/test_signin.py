"""Signing in and out: remember cookies end with the sign-out; timing tells nobody who exists."""

from portal.blueprints.accounts import passwords
from tests.factories import PASSWORD


class _CountingHasher:
    def __init__(self, hasher, calls: list):
        self.hasher, self.calls = hasher, calls

    def verify(self, hash_, password):
        self.calls.append(hash_)
        return self.hasher.verify(hash_, password)


def _count_verifications(monkeypatch) -> list:
    calls: list = []
    monkeypatch.setattr(passwords, "_hasher", _CountingHasher(passwords._hasher, calls))
    return calls


def _cookie(client, name: str):
    return client.get_cookie(name)


def test_sign_out_after_keep_me_signed_in_deletes_both_cookies(app, client, make_user):
    user = make_user()
    response = client.post("/login", data={"employee_no": user.employee_no,
                                           "password": PASSWORD, "remember": "y"})
    assert response.status_code == 303
    assert _cookie(client, "remember_token") and _cookie(client, "zs_session")
    response = client.post("/logout")
    set_cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("remember_token=;") for c in set_cookies), set_cookies
    assert _cookie(client, "remember_token") is None
    # The next request is anonymous: home sends to the login, and the login form is shown.
    assert client.get("/").status_code == 302
    page = client.get("/login")
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)


def test_unknown_employee_numbers_are_verified_against_a_dummy_hash(client, make_user,
                                                                    monkeypatch):
    calls = _count_verifications(monkeypatch)
    user = make_user()
    client.post("/login", data={"employee_no": "NOBODY9", "password": "guess-1234"})
    client.post("/login", data={"employee_no": user.employee_no, "password": "guess-1234"})
    assert len(calls) == 2  # argon2 ran for the unknown number too
    assert calls[0] == passwords._DUMMY and calls[1] == user.password_hash


def test_a_deactivated_account_is_verified_too_and_refused(client, make_user, monkeypatch):
    calls = _count_verifications(monkeypatch)
    user = make_user(active=False)
    response = client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    assert response.status_code == 200 and "工号或密码错误" in response.get_data(as_text=True)
    assert len(calls) == 1
