"""The installable app's own URLs: manifest, service worker, offline page."""

from tests.factories import PASSWORD


def test_manifest_is_served_with_its_content_type_and_icons(client):
    response = client.get("/manifest.webmanifest", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    body = response.get_json()
    assert body["scope"] == "/"
    assert body["id"] == "/"
    assert body["display"] == "standalone"
    assert body["short_name"] == "Zhongshu"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in body["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_manifest_speaks_chinese_by_default(client):
    body = client.get("/manifest.webmanifest").get_json()
    assert body["short_name"] == "中枢"
    assert body["lang"] == "zh-CN"


def test_service_worker_is_served_from_the_root_without_caching(client):
    response = client.get("/sw.js?v=abc")
    assert response.status_code == 200
    assert response.mimetype in {"text/javascript", "application/javascript"}
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "importScripts" in response.get_data(as_text=True)


def test_offline_page_is_public_and_carries_no_personal_data(client, auth, make_user):
    user = make_user(name="周晓梅")
    auth.login(user)
    html = client.get("/offline").get_data(as_text=True)
    assert 'id="offline-pages"' in html
    assert "周晓梅" not in html
    assert "data-user" not in html
    assert "data-offline-fallback" in html


def test_offline_page_is_in_the_persons_language(client):
    html = client.get("/offline", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "You are offline" in html
    html = client.get("/offline").get_data(as_text=True)
    assert "You are offline" not in html


def test_every_page_carries_the_outbox_texts_and_banners(client, auth, make_user):
    auth.login(make_user())
    html = client.get("/account").get_data(as_text=True)
    for marker in ('id="offline-banner"', 'id="cached-banner"', 'id="outbox-status"',
                   'id="install-hint"', 'data-signin=', 'name="asset-version"'):
        assert marker in html


def test_each_page_says_until_when_its_session_lasts_remember_me_included(app, client,
                                                                          make_user):
    from datetime import timedelta

    from portal.timeutil import utcnow

    app.config.update(PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
                      REMEMBER_COOKIE_DURATION=timedelta(days=14))  # the portal's defaults
    user = make_user("employee")
    client.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD})
    until = client.get("/repairs/").headers["X-Zs-Session-Until"]
    session = app.config["PERMANENT_SESSION_LIFETIME"]
    assert abs(_parse(until) - (utcnow() + session)) < timedelta(minutes=1)

    remembered = app.test_client()
    remembered.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD,
                                    "remember": "y"})
    until = remembered.get("/repairs/").headers["X-Zs-Session-Until"]
    remember = max(session, app.config["REMEMBER_COOKIE_DURATION"])  # the later of the two
    assert abs(_parse(until) - (utcnow() + remember)) < timedelta(minutes=1)
    assert "X-Zs-Session-Until" not in app.test_client().get("/login").headers


def _parse(text):
    from datetime import datetime

    return datetime.fromisoformat(text)


def test_a_sign_in_restored_from_the_remember_cookie_keeps_its_real_end(app, make_user):
    """Three days after "keep me signed in", the phone is told the sign-in's own end (the row
    on the server), not "now + 14 days": its cached pages must not outlive the sign-in."""
    from datetime import datetime, timedelta

    import time_machine

    from portal.blueprints.accounts.models import UserSession
    from portal.extensions import db

    app.config.update(PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
                      REMEMBER_COOKIE_DURATION=timedelta(days=14))
    user = make_user("employee")
    start = datetime(2026, 12, 7, 1, 0).astimezone()
    with time_machine.travel(start, tick=False):
        phone = app.test_client()
        phone.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD,
                                   "remember": "y"})
        remember = phone.get_cookie("remember_token").value
    with app.app_context():
        ends = db.session.query(UserSession).filter_by(user_id=user.id).one().expires_at
    with time_machine.travel(start + timedelta(days=3), tick=False):
        restored = app.test_client()  # the session cookie expired; only the remember one is left
        restored.set_cookie("remember_token", remember)
        until = restored.get("/repairs/").headers["X-Zs-Session-Until"]
    assert abs(_parse(until) - ends) < timedelta(seconds=1)
    assert abs(_parse(until) - (start + timedelta(days=14))) < timedelta(seconds=1)
