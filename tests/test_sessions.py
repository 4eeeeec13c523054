"""Sign-ins live on the server: signing out ends every copy of their cookies; a person sees and
ends their sign-ins from the account page (issue 9 point 2)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from jobs.maintenance import purge_sessions
from portal.blueprints.accounts import sessions
from portal.blueprints.accounts.models import User, UserSession
from portal.extensions import db
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")
PHONE = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/131.0.0.0 Mobile Safari/537.36")
DESK = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")


def _sign_in(app, user, remember: bool = False, agent: str = PHONE):
    device = app.test_client()
    device.environ_base["HTTP_USER_AGENT"] = agent
    data = {"employee_no": user.employee_no, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    assert device.post("/login", data=data).status_code == 303
    return device


def _copy(app, source, *names: str):
    """A second browser holding copies of `names` cookies of `source` (as a thief would)."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, source.get_cookie(name).value)
    return thief


def _signed_in(device) -> bool:
    return device.get("/").status_code == 200


def _records(user) -> list[UserSession]:
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)))


def test_a_copied_session_cookie_dies_when_its_owner_signs_out(app, make_user):
    owner = _sign_in(app, make_user(), remember=True)
    thief = _copy(app, owner, "zs_session")
    assert _signed_in(thief)
    owner.post("/logout")
    assert not _signed_in(thief)


def test_a_copied_remember_cookie_alone_dies_when_its_owner_signs_out(app, make_user):
    owner = _sign_in(app, make_user(), remember=True)
    copied = owner.get_cookie("remember_token").value
    earlier_thief = _copy(app, owner, "remember_token")
    assert _signed_in(earlier_thief)  # it signs in (and gets a session cookie of its own) …
    owner.post("/logout")
    assert owner.get_cookie("remember_token") is None
    later_thief = app.test_client()
    later_thief.set_cookie("remember_token", copied)
    assert not _signed_in(later_thief)  # … until its owner signs out
    assert not _signed_in(earlier_thief)


def test_a_copied_remember_cookie_dies_after_fourteen_days(app, make_user):
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=12)  # as in production
    start = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        owner = _sign_in(app, make_user(), remember=True)
        copied = owner.get_cookie("remember_token").value
    with time_machine.travel(start + timedelta(days=15), tick=False):
        thief = app.test_client()
        thief.set_cookie("remember_token", copied)  # a copy that ignores the cookie's own date
        assert not _signed_in(thief)


def test_a_cookie_of_the_old_kind_opens_nothing(app, client, make_user):
    user = make_user()
    with app.test_request_context():
        from flask_login.utils import encode_cookie
        old = encode_cookie(f"{user.id}:0123456789abcdef0123456789abcdef")
    client.set_cookie("remember_token", old)
    assert not _signed_in(client)


# ---- The account page: where one is signed in --------------------------------------------

def test_the_account_page_lists_devices_with_when_signed_in_and_last_seen(app, make_user):
    user = make_user()
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=False):
        phone = _sign_in(app, user, agent=PHONE)
    with time_machine.travel(datetime(2026, 12, 7, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert _signed_in(phone)
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI), tick=False):
        desk = _sign_in(app, user, agent=DESK)
        html = desk.get("/account").get_data(as_text=True)
    assert "登录的设备" in html
    rows = html.split('<ul class="cards">')[1].split("</ul>")[0].split('<li class="card">')[1:]
    assert len(rows) == 2
    # The most recently used first: this desk, marked, with no button; then the phone.
    assert "Edge · Windows" in rows[0] and "本设备" in rows[0] and "<button" not in rows[0]
    assert "Chrome · Android" in rows[1] and "本设备" not in rows[1]
    assert "2026-12-07 09:00" in rows[1] and "2026-12-07 09:30" in rows[1]  # signed in, seen
    assert "在该设备上退出" in rows[1]
    assert "在所有设备上退出登录" in html


def test_the_account_page_speaks_english_too(app, make_user):
    desk = _sign_in(app, make_user(language="en"), agent="curl/8.5.0")
    html = desk.get("/account").get_data(as_text=True)
    assert "Where you are signed in" in html and "Unknown device" in html
    assert "This device" in html and "Sign out everywhere" in html


def test_signing_out_another_device_ends_only_that_one(app, make_user):
    user = make_user()
    phone, desk = _sign_in(app, user, remember=True), _sign_in(app, user, agent=DESK)
    phone_record = _records(user)[0]
    response = desk.post(f"/account/sessions/{phone_record.id}/end")
    assert response.status_code == 303 and response.location == "/account"
    assert "已在 Chrome · Android 上退出登录" in desk.get("/account").get_data(as_text=True)
    assert not _signed_in(phone) and _signed_in(desk)
    assert not _signed_in(_copy(app, phone, "remember_token"))


def test_signing_out_this_device_from_the_list_is_signing_out(app, make_user):
    user = make_user()
    desk = _sign_in(app, user, remember=True, agent=DESK)
    response = desk.post(f"/account/sessions/{_records(user)[0].id}/end")
    assert response.status_code == 303 and response.location == "/login?signed_out=1"
    assert desk.get_cookie("remember_token") is None and not _signed_in(desk)


def test_someone_elses_or_an_ended_sign_in_is_404(app, make_user):
    mine, theirs = make_user(), make_user()
    desk = _sign_in(app, mine, agent=DESK)
    other = _sign_in(app, theirs)
    their_record = _records(theirs)[0]
    assert desk.post(f"/account/sessions/{their_record.id}/end").status_code == 404
    assert _signed_in(other)
    phone = _sign_in(app, mine)
    phone.post("/logout")
    assert desk.post(f"/account/sessions/{_records(mine)[1].id}/end").status_code == 404


def test_sign_out_everywhere_ends_every_device_this_one_included(app, make_user):
    user, someone_else = make_user(), make_user()
    phone = _sign_in(app, user, remember=True)
    copied = _copy(app, phone, "remember_token")
    desk = _sign_in(app, user, remember=True, agent=DESK)
    bystander = _sign_in(app, someone_else)
    response = desk.post("/account/sessions/end-all")
    assert response.status_code == 303
    assert response.location == "/login?signed_out=everywhere"
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert desk.get_cookie("remember_token") is None
    assert "已在所有设备上退出登录" in desk.get("/login?signed_out=everywhere").get_data(True)
    assert not any(_signed_in(device) for device in (phone, copied, desk))
    assert _signed_in(bystander)


def test_sign_out_everywhere_needs_the_forms_csrf_token(csrf_app, make_user):
    user = make_user()
    desk = csrf_app.test_client()
    token = csrf_token_from(desk.get("/login").get_data(as_text=True))
    desk.post("/login", data={"employee_no": user.employee_no, "password": PASSWORD,
                              "csrf_token": token})
    assert desk.post("/account/sessions/end-all").status_code == 400
    assert _signed_in(desk)
    html = desk.get("/account").get_data(as_text=True)
    form = html.split('action="/account/sessions/end-all"')[1].split("</form>")[0]
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    assert "data-logout" in html.split('action="/account/sessions/end-all"')[1].split(">")[0]
    assert desk.post("/account/sessions/end-all", data={"csrf_token": token}).status_code == 303
    assert not _signed_in(desk)


# ---- Password change, the office's reset and deactivation: one mechanism ----------------

def test_a_password_change_ends_the_other_devices_and_their_remember_cookies(app, make_user):
    user = make_user()
    phone = _sign_in(app, user, remember=True)
    copied = _copy(app, phone, "remember_token")
    desk = _sign_in(app, user, remember=True, agent=DESK)
    desk.post("/account/password", data={"current": PASSWORD, "new": "brand-new-pass",
                                         "confirm": "brand-new-pass"})
    assert _signed_in(desk) and _signed_in(_copy(app, desk, "remember_token"))
    assert not _signed_in(phone) and not _signed_in(copied)
    assert [r.ended_at is None for r in _records(user)] == [False, True]


def test_the_offices_reset_and_deactivation_end_every_sign_in(app, make_user):
    person = make_user()
    office = _sign_in(app, make_user("office"), agent=DESK)
    phone = _sign_in(app, person, remember=True)
    office.post(f"/admin/users/{person.id}/reset-password")
    assert not _signed_in(phone) and not _signed_in(_copy(app, phone, "remember_token"))
    assert all(r.ended_at for r in _records(person))
    office.post(f"/admin/users/{person.id}", data={
        "employee_no": person.employee_no, "name": person.name, "department_id": 0,
        "language": "zh_CN", "roles": ["employee"], "active": "y"})
    db.session.execute(UserSession.__table__.update().values(ended_at=None))  # as if live
    db.session.commit()
    office.post(f"/admin/users/{person.id}", data={
        "employee_no": person.employee_no, "name": person.name, "department_id": 0,
        "language": "zh_CN", "roles": ["employee"]})  # "active" unticked
    assert all(r.ended_at for r in _records(person))


# ---- Speed: one query per request, last seen written every few minutes ------------------

@pytest.fixture
def statements(app):
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def _recorded_sign_in(app, user) -> str:
    """A sign-in of `user` recorded and committed, nothing kept in the session; its id."""
    with app.test_request_context():
        sessions.start(user, remember=False)
        session_id = user.session_id
        db.session.commit()
    db.session.expunge_all()
    return session_id


def test_loading_the_signed_in_person_is_one_query_roles_included(app, make_user, statements):
    session_id = _recorded_sign_in(app, make_user("employee", "office"))
    statements.clear()
    loaded = sessions.load_user(session_id)
    assert loaded.roles == {"employee", "office"} and loaded.has_role("office")
    assert len(statements) == 1, statements
    # The sign-in's row is read only by the pages that ask for it (the devices list, sign-out).
    assert loaded.session_record.device == "" and len(statements) == 2


def test_a_page_that_reads_only_who_is_signed_in_gets_them_as_a_plain_row(app, make_user,
                                                                          make_department,
                                                                          statements):
    """The menu (reads_who_only): the person as one row without the ORM; anything else it might
    read of them comes from the User, loaded then; a page that writes always gets a User."""
    person = make_user("employee", "office", department=make_department("生产部"))
    expected = (person.id, person.name, person.employee_no)
    session_id = _recorded_sign_in(app, person)
    with app.test_request_context("/canteen/"):
        statements.clear()
        loaded = sessions.load_user(session_id)
        assert isinstance(loaded, sessions.Person) and len(statements) == 1
        assert (loaded.id, loaded.name, loaded.employee_no) == expected
        assert loaded.roles == {"employee", "office"} and loaded.has_role("office")
        assert loaded.is_authenticated and loaded.is_active and loaded.get_id() == session_id
        assert loaded.department.name == "生产部"  # from the User, read then
        assert len(statements) == 3  # the User, its department
        assert loaded == db.session.get(User, expected[0]) and loaded.user is loaded.user
        assert loaded.session_record.device == ""
    with app.test_request_context("/canteen/night/reserve", method="POST"):
        assert isinstance(sessions.load_user(session_id), User)
    with app.test_request_context("/account"):  # a GET page that reads more of the person
        assert isinstance(sessions.load_user(session_id), User)


def test_the_menu_reads_apart_and_gives_its_connection_back(app, client, auth, make_user):
    """The menu's plain reads (the person, the personal row) go on a connection of their own,
    returned when the request ends: none stays checked out, however many pages."""
    auth.login(make_user("employee", name="王小明"))
    client.get("/canteen/")
    before = db.engine.pool.checkedout()  # the test's own session may hold one
    for _ in range(3):
        assert "王小明" in client.get("/canteen/").get_data(as_text=True)
    assert db.engine.pool.checkedout() == before


def test_roles_edited_on_the_signed_in_person_are_read_from_the_edit(app, make_user):
    session_id = _recorded_sign_in(app, make_user("employee", "office"))
    loaded = sessions.load_user(session_id)
    loaded.set_roles({"employee", "canteen"})
    assert loaded.roles == {"employee", "canteen"} and not loaded.has_role("office")
    db.session.commit()
    db.session.expunge_all()
    assert sessions.load_user(session_id).roles == {"employee", "canteen"}


def test_last_seen_is_written_at_most_every_five_minutes(app, make_user, statements):
    user = make_user()
    start = datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        phone = _sign_in(app, user)
    for minutes in (1, 2, 4):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            statements.clear()
            assert _signed_in(phone)
            assert not [s for s in statements if s.startswith("UPDATE user_sessions")]
    assert _records(user)[0].last_seen_at == start
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        statements.clear()
        assert _signed_in(phone)
        assert len([s for s in statements if s.startswith("UPDATE user_sessions")]) == 1
    assert _records(user)[0].last_seen_at == start + timedelta(minutes=6)


# ---- Housekeeping and the device label ---------------------------------------------------

def test_the_purge_deletes_sign_ins_ended_or_expired_over_a_week_ago(app, make_user):
    user = make_user()
    now = datetime(2026, 12, 7, 3, 37, tzinfo=SHANGHAI)
    rows = {
        "live": (None, now + timedelta(days=1)),
        "ended six days ago": (now - timedelta(days=6), now + timedelta(days=1)),
        "ended eight days ago": (now - timedelta(days=8), now + timedelta(days=1)),
        "expired six days ago": (None, now - timedelta(days=6)),
        "expired eight days ago": (None, now - timedelta(days=8)),
    }
    for name, (ended, expires) in rows.items():
        db.session.add(UserSession(user=user, id_hash=name, device="", created_at=now,
                                   last_seen_at=now, expires_at=expires, ended_at=ended))
    db.session.commit()
    with time_machine.travel(now, tick=False):
        assert purge_sessions() == 2
    assert {r.id_hash for r in _records(user)} == {"live", "ended six days ago",
                                                   "expired six days ago"}


def test_the_purge_is_scheduled():
    from jobs.cron import schedule

    assert "jobs.maintenance.purge_sessions" in [name for name, _expression in schedule()]


@pytest.mark.parametrize("agent, label", [
    (PHONE, "Chrome · Android"),
    (DESK, "Edge · Windows"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322d) NetType/WIFI Language/zh_CN",
     "WeChat · iOS"),
    ("Mozilla/5.0 (Linux; Android 12; HarmonyOS; NOH-AN00) AppleWebKit/537.36 (KHTML, like "
     "Gecko) Chrome/99.0 HuaweiBrowser/15.0.4.312 Mobile Safari/537.36",
     "Huawei Browser · HarmonyOS"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Safari/605.1.15", "Safari · macOS"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox · Linux"),
    ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", "Chrome · ChromeOS"),
    ("curl/8.5.0", ""),
    ("", ""),
])
def test_the_device_is_named_by_browser_and_system_only(agent, label):
    assert sessions.device_label(agent) == label


def test_a_person_is_equal_to_themselves_whichever_sign_in_they_came_by(app, make_user):
    # Flask-Login's UserMixin compares get_id(), which is one per sign-in now (none without).
    user, other = make_user(), make_user()
    with app.test_request_context():
        sessions.start(user, remember=False)
        db.session.commit()
    with Session(db.engine) as elsewhere:  # another instance of the same row, not signed in
        same_person = elsewhere.get(User, user.id)
        assert same_person is not user and same_person == user and same_person != other
