"""Issue 18: what is kept between requests is never stale and never another person's, responses
are compressed when asked, and the main pages stay within 8 SQL statements (a count is
deterministic where a time is not; bench/pages.py measures the time)."""
# The canteen's fixtures (clock, dishes, a published week) are imported to be used here:
# ruff: noqa: F401, F811

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from portal.blueprints.calendar.models import CLOSURE, CompanyDay
from portal.blueprints.canteen.models import DietPreference
from portal.blueprints.notifications.services import notify
from portal.extensions import db
from portal.i18n import N_
from tests.canteen.conftest import MONDAY, at, dishes, fill_week, week
from tests.conftest import csrf_token_from, signed_in_with_csrf
from tests.factories import PASSWORD

MAX_QUERIES = 8


@contextmanager
def counted():
    """The SQL statements the block sends, as a one-item list (filled in on leaving)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


# -- the kept menu ------------------------------------------------------------------------------

def test_renaming_a_dish_in_a_published_week_shows_at_once_in_both_languages(
        client, auth, make_user, week, dishes, at):
    editor = make_user("employee", "canteen")
    reader_zh, reader_en = make_user("employee"), make_user("employee", language="en")
    for reader, old in ((reader_zh, "宫保鸡丁"), (reader_en, "Kung pao chicken")):
        auth.login(reader)
        assert old in client.get("/canteen/").get_data(as_text=True)  # now kept
        auth.logout()

    auth.login(editor)
    fish = dishes["宫保鸡丁"]
    response = client.post(f"/canteen/dishes/{fish.id}", data={
        "name_zh": "辣子鸡", "name_en": "Chongqing chicken", "tags": ["spicy"], "price": "14",
        "active": "y"})
    assert response.status_code == 303
    auth.logout()

    for reader, old, new in ((reader_zh, "宫保鸡丁", "辣子鸡"),
                             (reader_en, "Kung pao chicken", "Chongqing chicken")):
        auth.login(reader)
        page = client.get("/canteen/").get_data(as_text=True)
        assert new in page and old not in page
        home = client.get("/").get_data(as_text=True)
        assert old not in home
        auth.logout()


def test_unpublishing_a_kept_week_hides_it_at_once(client, auth, make_user, week, at):
    reader, editor = make_user("employee"), make_user("employee", "canteen")
    auth.login(reader)
    assert "清蒸鲈鱼" in client.get("/canteen/").get_data(as_text=True)
    auth.logout()
    auth.login(editor)
    client.post(f"/canteen/manage/{MONDAY}/unpublish")
    auth.logout()
    auth.login(reader)
    assert "清蒸鲈鱼" not in client.get("/canteen/").get_data(as_text=True)


def test_a_kept_menu_never_shows_one_persons_allergens_or_reservation_to_another(
        client, auth, make_user, week, dishes, at):
    at("2026-12-02 12:00")
    allergic, other = make_user("employee"), make_user("employee")
    db.session.add(DietPreference(user_id=allergic.id, allergens_text="nuts"))
    db.session.commit()

    auth.login(allergic)
    page = client.get("/canteen/").get_data(as_text=True)
    assert "宫保鸡丁" not in page  # nuts: hidden for this person, all week long
    assert client.post("/canteen/night/reserve", data={
        "day": "2026-12-02", "dish_id": dishes["水饺"].id}).status_code == 303
    assert "已预订：" in client.get("/canteen/").get_data(as_text=True)
    auth.logout()

    auth.login(other)
    page = client.get("/canteen/").get_data(as_text=True)
    assert "宫保鸡丁" in page  # the other person's allergens are not theirs
    assert "已预订：" not in page and allergic.name not in page
    auth.logout()

    auth.login(allergic)  # and back: still their own page
    page = client.get("/canteen/").get_data(as_text=True)
    assert "宫保鸡丁" not in page and "已预订：" in page


def test_the_kept_menu_page_carries_each_persons_own_form_token(
        csrf_app, make_user, week, dishes, at):
    """Two people whose menu pages are alike share the kept page, never a CSRF token: each
    reserves with the token on their own page, and the other one's token is refused."""
    at("2026-12-02 12:00")
    first, second = make_user("employee"), make_user("employee")
    clients, tokens = [], []
    for person in (first, second):
        client = signed_in_with_csrf(csrf_app, person)
        client.get("/canteen/")
        page = client.get("/canteen/").get_data(as_text=True)  # the kept page
        assert person.name in page
        clients.append(client)
        tokens.append(re.findall(r'name="csrf_token" value="([^"]+)"', page))
    assert len(set(tokens[0])) == 1 and len(set(tokens[1])) == 1 and tokens[0] != tokens[1]
    night = {"day": "2026-12-02", "dish_id": dishes["水饺"].id}
    assert clients[0].post("/canteen/night/reserve",
                           data={**night, "csrf_token": tokens[1][0]}).status_code == 400
    assert clients[0].post("/canteen/night/reserve",
                           data={**night, "csrf_token": tokens[0][0]}).status_code == 303
    assert "已预订：" in clients[0].get("/canteen/").get_data(as_text=True)
    assert "已预订：" not in clients[1].get("/canteen/").get_data(as_text=True)


def test_a_new_night_cut_off_shows_at_once_on_the_kept_menu(client, auth, make_user, week,
                                                            at):
    at("2026-12-02 12:00")
    reader, team = make_user("employee"), make_user("employee", "canteen")
    auth.login(reader)
    assert "17:30" in client.get("/canteen/").get_data(as_text=True)  # now kept
    auth.logout()
    auth.login(team)
    assert client.post("/canteen/settings", data={
        "night_cutoff": "16:45", "deadline_weekday": "4",
        "deadline_time": "15:00"}).status_code == 303
    auth.logout()
    auth.login(reader)
    page = client.get("/canteen/").get_data(as_text=True)
    assert "16:45" in page and "17:30" not in page


def test_next_week_published_later_replaces_the_not_published_note(client, auth, make_user,
                                                                      week, dishes, at):
    reader = make_user("employee")
    auth.login(reader)
    next_monday = MONDAY + timedelta(days=7)
    assert "本周菜单尚未发布" in client.get(f"/canteen/?week={next_monday}").get_data(as_text=True)
    fill_week(next_monday, dishes)
    assert "本周菜单尚未发布" not in client.get(
        f"/canteen/?week={next_monday}").get_data(as_text=True)


def test_a_site_closure_in_the_company_calendar_closes_the_kept_day_at_once(
        client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    assert "设施停用日" not in client.get("/canteen/").get_data(as_text=True)
    # Fri 4 Dec: no mark of the canteen's own, so the company calendar decides.
    db.session.add(CompanyDay(day=MONDAY + timedelta(days=4), kind=CLOSURE, name="设施停用日"))
    db.session.commit()
    page = client.get("/canteen/").get_data(as_text=True)
    assert "设施停用日" in page


# -- compression --------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, expected", [("br, gzip", "br"), ("gzip", "gzip"), ("", None)])
def test_pages_and_assets_are_compressed_when_the_browser_asks(client, app, accept, expected):
    page = client.get("/login", headers={"Accept-Encoding": accept})
    assert page.headers.get("Content-Encoding") == expected
    assert "Accept-Encoding" in page.headers["Vary"]
    css = client.get(f"/static/css/app.css?v={app.config['ASSET_VERSION']}",
                     headers={"Accept-Encoding": accept})
    assert css.headers.get("Content-Encoding") == expected
    assert "max-age=31536000" in css.headers["Cache-Control"]
    assert "immutable" in css.headers["Cache-Control"]


def test_an_unversioned_asset_is_not_kept_long(client):
    response = client.get("/static/css/app.css")
    assert "max-age=31536000" not in response.headers.get("Cache-Control", "")


def test_images_and_streamed_documents_are_sent_as_they_are(app):
    @app.get("/_streamed")
    def streamed():
        return app.response_class((part for part in ["<p>", "x" * 2000, "</p>"]),
                                  mimetype="text/html")

    client = app.test_client()
    icon = client.get(f"/static/icons/icon-192.png?v={app.config['ASSET_VERSION']}",
                      headers={"Accept-Encoding": "br, gzip"})
    assert icon.status_code == 200 and "Content-Encoding" not in icon.headers
    response = client.get("/_streamed", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers


# -- queries per page ---------------------------------------------------------------------------

MAIN_PAGES = [
    ("/canteen/", ("employee",)),
    ("/canteen/tonight", ("employee", "canteen")),
    ("/repairs/", ("employee",)),
    ("/repairs/queue", ("employee", "facilities")),
    ("/shuttle/", ("employee",)),
    ("/meetings/", ("employee",)),
]


@pytest.mark.parametrize("path, roles", MAIN_PAGES)
def test_a_main_page_sends_at_most_8_queries(client, auth, make_user, week, at, path, roles):
    auth.login(make_user(*roles))
    client.get(path)  # the first visit may fill what is kept
    with counted() as statements:
        response = client.get(path)
    assert response.status_code == 200
    assert len(statements) <= MAX_QUERIES, "\n".join(statements)


def test_the_signed_out_login_page_sends_no_query(client):
    client.get("/login")
    with counted() as statements:
        assert client.get("/login").status_code == 200
    assert statements == []


def test_the_menu_kept_is_read_with_one_query_not_the_weeks_rows(client, auth, make_user,
                                                                  week, at):
    auth.login(make_user("employee"))
    client.get("/canteen/")
    with counted() as statements:
        client.get("/canteen/")
    assert not [s for s in statements if "canteen_items" in s or "canteen_days" in s]


# -- the page frame ------------------------------------------------------------------------------

def _nav(html: str) -> str:
    return html.split('<nav class="nav"', 1)[1].split("</nav>", 1)[0]


def test_the_kept_frame_follows_each_persons_roles_and_language(client, auth, make_user):
    """The navigation is rendered once per language and roles: never one person's for another."""
    office = make_user("employee", "office", name="办公室甲")
    employee = make_user("employee", name="员工乙")
    english = make_user("employee", language="en", name="Eve")
    auth.login(office)
    page = client.get("/more").get_data(as_text=True)
    assert "/admin/" in _nav(page) and "办公室甲" in page
    auth.logout()
    auth.login(employee)
    page = client.get("/more").get_data(as_text=True)
    assert "/admin/" not in _nav(page) and "员工乙" in page and "办公室甲" not in page
    assert "首页" in _nav(page)
    auth.logout()
    auth.login(english)
    page = client.get("/more").get_data(as_text=True)
    assert "Home" in _nav(page) and "首页" not in _nav(page)


def test_the_kept_frame_fills_its_holes_for_each_request_escaped(app, client, auth, make_user):
    """Name, number, token and return path are the request's own, escaped like any text."""
    first = make_user("employee", name="<b>甲</b>")
    auth.login(first)
    page = client.get("/more?x=%3Cy%3E").get_data(as_text=True)
    assert "&lt;b&gt;甲&lt;/b&gt;" in page and "<b>甲" not in page
    assert 'name="next" value="/more?x=%3Cy%3E"' in page
    assert "\ue000" not in page and "\ue001" not in page
    token = csrf_token_from(page)
    other = app.test_client()
    second = make_user("employee", name="乙")
    other.post("/login", data={"employee_no": second.employee_no, "password": PASSWORD})
    theirs = other.get("/more").get_data(as_text=True)
    assert "乙" in theirs and "甲" not in theirs and csrf_token_from(theirs) != token
    assert f'data-user="{second.id}"' in theirs


def test_the_frame_is_one_query_and_its_bell_is_current(client, auth, make_user):
    """The user loader brings the person, roles and unread count in one statement; a request
    that reads the person's notifications counts again, so the bell is never behind."""
    person = make_user("employee")
    auth.login(person)
    client.get("/more")
    with counted() as statements:
        page = client.get("/more").get_data(as_text=True)
    assert len(statements) == 1, statements
    assert "data-unread" not in page
    notify(person, N_("Your password has been changed."))
    notify(person, N_("Your password has been changed."))
    db.session.commit()
    assert "data-unread>2<" in client.get("/more").get_data(as_text=True)
    response = client.post("/notifications/read-all", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "data-unread" not in client.get("/more").get_data(as_text=True)


def test_the_kept_sign_in_fields_are_blank_in_each_language_and_a_refusal_keeps_what_was_typed(
        client, make_user):
    """The blank sign-in fields are rendered once per language; a refused sign-in shows the
    employee number typed and its message beside the password."""
    client.get("/login")  # now kept in Chinese
    page = client.get("/login").get_data(as_text=True)
    assert "工号" in page and 'value="E' not in page
    english = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Employee number" in english and "工号" not in english
    make_user("employee", employee_no="E4242")
    refused = client.post("/login", data={"employee_no": "E4242", "password": "wrong"})
    page = refused.get_data(as_text=True)
    assert 'value="E4242"' in page and "工号或密码错误" in page
    again = client.get("/login").get_data(as_text=True)
    assert 'value="E4242"' not in again and "工号或密码错误" not in again


def test_templates_translate_in_the_forced_language_and_back(app):
    """The catalogue looked up once per request is per language: a notification or paper slip
    rendered in another language inside a request gets that language's strings."""
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        refresh()
        assert render_template_string("{{ _('Home') }}") == "首页"
        with force_locale("en"):
            assert render_template_string("{{ _('Home') }}") == "Home"
        assert render_template_string("{{ _('Home') }}") == "首页"


def test_localtime_writes_digit_patterns_as_babel_would_in_each_language(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale, format_datetime

    from portal.templating import DIGIT_PATTERNS
    from portal.timeutil import to_local

    localtime = app.jinja_env.filters["localtime"]
    moment = datetime(2026, 12, 31, 16, 5, 9, tzinfo=UTC)  # 2027-01-01 00:05:09 in Shanghai
    with app.test_request_context():
        for language in ("zh_CN", "en"):
            with force_locale(language):
                for pattern in DIGIT_PATTERNS:
                    assert localtime(moment, pattern) == format_datetime(to_local(moment),
                                                                         pattern)
        assert localtime(moment) == "2027-01-01 00:05"
