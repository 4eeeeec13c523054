"""Sign-in throttling slows the guesser, not the owner, and works while Redis is down."""

from datetime import timedelta

from sqlalchemy import select

from portal import create_app
from portal.blueprints.accounts import throttle
from portal.blueprints.accounts.models import LoginThrottle
from portal.blueprints.audit.models import AuditEntry
from portal.extensions import db
from portal.timeutil import utcnow
from tests.conftest import Client
from tests.factories import PASSWORD

GUESSER = {"REMOTE_ADDR": "10.0.0.66"}
OWNER = {"REMOTE_ADDR": "10.0.0.7"}


def _sign_in(client, employee_no: str, password: str, device: dict):
    return client.post("/login", data={"employee_no": employee_no, "password": password},
                       environ_base=device)


def test_a_guesser_is_locked_out_while_the_owner_signs_in_from_their_own_device(app, make_user):
    owner = make_user()
    guesser = app.test_client()
    for attempt in range(5):
        response = _sign_in(guesser, owner.employee_no, f"guess-{attempt}", GUESSER)
        assert response.status_code == 200
    response = _sign_in(guesser, owner.employee_no, PASSWORD, GUESSER)
    assert response.status_code == 429
    assert "此设备登录失败次数过多" in response.get_data(as_text=True)
    assert _sign_in(app.test_client(), owner.employee_no, PASSWORD, OWNER).status_code == 303


def test_each_failure_past_the_lock_doubles_the_wait(app, make_user, monkeypatch):
    user = make_user()
    client = app.test_client()
    start = utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: start)
    for attempt in range(5):
        _sign_in(client, user.employee_no, f"guess-{attempt}", GUESSER)
    assert throttle.wait_seconds(user.employee_no, GUESSER["REMOTE_ADDR"]) == 60
    later = start + timedelta(seconds=61)
    monkeypatch.setattr(throttle, "utcnow", lambda: later)
    assert _sign_in(client, user.employee_no, "guess-5", GUESSER).status_code == 200
    assert throttle.wait_seconds(user.employee_no, GUESSER["REMOTE_ADDR"]) == 120
    response = _sign_in(client, user.employee_no, PASSWORD, GUESSER)
    assert response.status_code == 429 and "请等待 2 分钟" in response.get_data(as_text=True)


def test_one_device_trying_many_accounts_is_slowed_down(app, make_user):
    client = app.test_client()
    for number in range(20):
        _sign_in(client, f"X{number:04d}", "guess", GUESSER)
    user = make_user()
    assert _sign_in(client, user.employee_no, PASSWORD, GUESSER).status_code == 429
    assert _sign_in(app.test_client(), user.employee_no, PASSWORD, OWNER).status_code == 303


def test_the_office_sees_a_lock_and_lifts_it_and_the_lift_is_audited(app, auth, client,
                                                                     make_user):
    owner = make_user()
    guesser = app.test_client()
    for attempt in range(5):
        _sign_in(guesser, owner.employee_no, f"guess-{attempt}", GUESSER)
    auth.login(make_user("office"))
    page = client.get("/admin/sign-in-locks").get_data(as_text=True)
    assert owner.employee_no in page and "10.0.0.66" in page and "解除" in page
    row = db.session.scalar(select(LoginThrottle).where(
        LoginThrottle.employee_no == owner.employee_no))
    row_id = row.id
    response = client.post(f"/admin/sign-in-locks/{row_id}/lift")
    assert response.status_code == 303
    assert db.session.get(LoginThrottle, row_id) is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login.unlock"))
    assert entry.details["employee_no"] == owner.employee_no
    assert entry.details["client"] == "10.0.0.66"
    assert _sign_in(guesser, owner.employee_no, PASSWORD, GUESSER).status_code == 303


def test_an_employee_cannot_see_or_lift_locks(client, auth, make_user):
    auth.login(make_user())
    assert client.get("/admin/sign-in-locks").status_code == 403
    assert client.post("/admin/sign-in-locks/1/lift").status_code == 403


def test_signing_in_works_while_redis_is_down_and_keeps_the_typed_number(app_config, app,
                                                                         make_user):
    user = make_user()
    down = create_app(dict(app_config, REDIS_URL="redis://127.0.0.1:9/0"))  # nothing listens
    down.test_client_class = Client
    client = down.test_client()
    response = _sign_in(client, user.employee_no, "wrong-password", GUESSER)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "工号或密码错误" in html and f'value="{user.employee_no}"' in html
    assert _sign_in(client, user.employee_no, PASSWORD, OWNER).status_code == 303
    with down.app_context():
        db.session.remove()
