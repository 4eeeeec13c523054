"""Every URL refuses the wrong person: anonymous users, wrong roles, missing CSRF tokens."""

import io
import re
import zipfile

import pytest
from flask import url_for
from openpyxl import Workbook

from portal.blueprints.accounts.models import ROLES
from portal.modules import modules
from portal.security import PUBLIC_ENDPOINTS
from tests.conftest import csrf_token_from


def _urls(app, only_roles: bool = False):
    """(endpoint, method, url, required_roles) for every rule, with dummy path arguments."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "required_roles", None)
        if only_roles and not roles:
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", "1", rule.rule)
        url = re.sub(r"<date:(\w+)>", "2026-01-05", url)  # a day the converter accepts
        url = re.sub(r"<\w+:(\w+)>", "x", url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url, roles


def test_every_non_public_endpoint_sends_anonymous_users_to_login(app, client):
    checked = 0
    for endpoint, method, url, _roles in _urls(app):
        response = client.open(url, method=method)
        assert response.status_code in (302, 401), (endpoint, method, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.location, endpoint
        checked += 1
    assert checked > 20


def test_every_role_limited_endpoint_refuses_every_other_role(app, client, auth, make_user):
    limited = list(_urls(app, only_roles=True))
    assert limited, "no role-limited endpoints found"
    for role in ROLES:
        user = make_user(*({role} | {"employee"}) if role != "employee" else {"employee"})
        auth.login(user)
        for endpoint, method, url, roles in limited:
            if user.has_role(*roles):
                continue
            response = client.open(url, method=method)
            assert response.status_code == 403, (role, endpoint, method, response.status_code)
        auth.logout()


def test_post_without_csrf_token_is_refused(csrf_app, make_user):
    client = csrf_app.test_client()
    response = client.post("/login", data={"employee_no": "x", "password": "y"})
    assert response.status_code == 400
    user = make_user("office")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"employee_no": user.employee_no,
                                           "password": "correct-horse-9", "csrf_token": token})
    assert response.status_code == 303
    posts = [(endpoint, url) for endpoint, method, url, _ in _urls(csrf_app) if method == "POST"]
    assert len(posts) > 5
    for endpoint, url in posts:
        assert client.post(url).status_code == 400, endpoint
    for method in ("PUT", "PATCH", "DELETE"):
        assert not [r for r in csrf_app.url_map.iter_rules() if method in r.methods], method


def test_htmx_request_with_expired_session_gets_hx_redirect_not_a_login_form(client):
    response = client.get("/admin/users", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login"
    assert b"<form" not in response.data


def test_bell_poll_after_the_session_ended_stops_polling_and_never_navigates(client):
    # A background poll must not take someone away from a half-filled form.
    response = client.get("/notifications/bell", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Redirect" not in response.headers
    html = response.get_data(as_text=True)
    assert 'id="bell"' in html and "hx-get" not in html and "hx-trigger" not in html


def test_bell_of_a_signed_in_person_keeps_polling(client, auth, make_user):
    auth.login(make_user())
    html = client.get("/notifications/bell", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert 'hx-get="/notifications/bell"' in html and "hx-trigger=\"every" in html


def test_pages_carry_strict_csp_and_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "inline script found"


def test_a_static_script_is_sent_without_document_headers_or_a_user_lookup(
        app, client, auth, make_user):
    """CSP and frame rules govern documents: a script or stylesheet sent with them made a
    phone's first visit download them a dozen times over. Nothing about the person either."""
    from tests.test_performance import counted

    auth.login(make_user("employee"))
    with counted() as statements:
        response = client.get(f"/static/js/outbox.js?v={app.config['ASSET_VERSION']}")
    assert response.status_code == 200 and statements == []
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in response.headers
    page = client.get("/more")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_fragment_views_vary_on_hx_request(app, client, auth, make_user):
    auth.login(make_user("office"))
    response = client.get("/admin/users", headers={"HX-Request": "true"})
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" not in response.get_data(as_text=True)
    assert 'id="results"' in response.get_data(as_text=True)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil"])
def test_login_never_redirects_off_site(client, make_user, target):
    user = make_user()
    response = client.post(f"/login?next={target}",
                           data={"employee_no": user.employee_no, "password": "correct-horse-9"})
    assert response.status_code == 303
    assert response.location == "/"


def test_htmx_post_after_the_session_expired_goes_to_login_not_a_csrf_page(csrf_app):
    # The CSRF check runs before require_login: without a session there is no token either.
    response = csrf_app.test_client().post(
        "/notifications/read-all",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/notifications/"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/notifications/"
    assert b"<html" not in response.data


def test_htmx_login_redirect_ignores_a_current_url_of_another_site(client):
    response = client.get("/admin/users", headers={
        "HX-Request": "true", "HX-Current-URL": "https://evil.example/admin/users"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login"


def test_htmx_csrf_failure_of_a_signed_in_person_is_a_small_message(csrf_app, make_user):
    client = csrf_app.test_client()
    user = make_user()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"employee_no": user.employee_no, "password": "correct-horse-9",
                                "csrf_token": token})
    response = client.post("/notifications/read-all", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "表单已过期" in html and 'role="alert"' in html
    assert "<nav" not in html and "<html" not in html


@pytest.mark.parametrize("url, status, words", [
    ("/admin/users", 403, "无权访问"), ("/documents/9999", 404, "未找到")])
def test_htmx_error_of_a_signed_in_person_is_a_small_message_not_a_page(
        client, auth, make_user, url, status, words):
    auth.login(make_user("employee"))
    response = client.get(url, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert words in html and 'role="alert"' in html
    assert "<nav" not in html and "<html" not in html
    assert response.headers["HX-Reswap"] == "innerHTML"  # the region keeps its id
    # The same URL opened as a page is the whole error page.
    page = client.get(url).get_data(as_text=True)
    assert "<nav" in page and words in page


def page_arguments(make_user, make_department) -> dict:
    """A real object for each path argument of a page (a 404 proves nothing), by blueprint: the
    foundation's here, each module's from its declaration (Module.url_arguments)."""
    foundation = {"user_id": make_user().id, "department_id": make_department().id}
    arguments = {None: foundation}
    for module in modules():
        if module.url_arguments is not None:
            arguments[module.blueprint.name] = {
                **foundation, **module.url_arguments(make_user, make_department)}
    return arguments


def arguments_for(arguments: dict, rule) -> dict:
    return arguments.get(rule.endpoint.partition(".")[0], arguments[None])


def _url_for_rule(app, rule, arguments: dict) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: arguments[name] for name in rule.arguments})


def office_pages(app, client, arguments: dict) -> list[str]:
    """Every page the office role opens (signed in as office): data-no-cache on each."""
    checked = []
    for rule in app.url_map.iter_rules():
        roles = getattr(app.view_functions[rule.endpoint], "required_roles", set())
        if "GET" not in rule.methods or "office" not in roles:
            continue
        values = arguments_for(arguments, rule)
        missing = rule.arguments - set(values)
        assert not missing, f"tell this test how to build {missing} for {rule.rule}"
        response = client.get(_url_for_rule(app, rule, values))
        if response.status_code in (302, 303) or response.mimetype != "text/html":
            continue
        assert response.status_code == 200, (rule.rule, response.status_code)
        body = re.search(r"<body[^>]*>", response.get_data(as_text=True)).group(0)
        assert "data-no-cache=" in body, rule.rule
        checked.append(rule.endpoint)
    return checked


def test_every_page_the_office_role_opens_is_never_kept_on_the_phone(app, client, auth,
                                                                     make_user, make_department):
    # Other people's data: the service worker keeps no copy of a page marked data-no-cache.
    arguments = page_arguments(make_user, make_department)
    auth.login(make_user("office"))
    checked = office_pages(app, client, arguments)
    assert {"audit.index", "admin.users", "admin.user_form", "admin.department_form"} <= set(
        checked)
    assert {"canteen.dishes", "canteen.edit_week"} <= set(checked)  # pages with an argument


HUGE = [str(2**64), "99999999999999999999", str(2**63)]
OUT_OF_RANGE_DAYS = ["9999-12-31", "0001-01-01", "9999-12", "0001-01", "99999999999999999999"]
QUERY_ARGUMENTS = ["page", "before", "department", "week", "month", "location", "location_id",
                   "asset", "day", "year", "assignee"]


def _sweep_values(rule) -> list[dict]:
    """Path arguments of `rule` filled with values beyond 64 bits and beyond the calendar."""
    converters = {name: type(conv).__name__ for name, conv in rule._converters.items()}
    ints = [name for name, kind in converters.items() if "Integer" in kind or "Int" in kind]
    values = HUGE if ints else OUT_OF_RANGE_DAYS
    if not rule.arguments:
        return [{}]
    return [{name: (value if name in ints or not ints else "1") for name in rule.arguments}
            for value in values]


def test_out_of_range_numbers_and_dates_are_404_or_a_message_never_500(app, client, auth,
                                                                       make_user):
    auth.login(make_user(*ROLES))
    checked, failures = 0, []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "accounts.logout") or "GET" not in rule.methods:
            continue
        for arguments in _sweep_values(rule):
            path = rule.rule
            for name, value in arguments.items():
                path = re.sub(rf"<(?:\w+:)?{name}>", value, path)
            for query_value in [*HUGE, *OUT_OF_RANGE_DAYS]:
                url = f"{path}?" + "&".join(f"{name}={query_value}" for name in QUERY_ARGUMENTS)
                try:  # TESTING propagates exceptions: a 500 arrives here as the exception
                    status = client.get(url).status_code
                except Exception as error:  # noqa: BLE001
                    status = f"{type(error).__name__}: {error}"
                if not isinstance(status, int) or status >= 500:
                    failures.append((url, status))
                checked += 1
    assert not failures, "\n".join(map(str, failures))
    assert checked > 300
    for url in ("/repairs/99999999999999999999", f"/documents/{2**64}", f"/admin/users/{2**63}"):
        assert client.get(url).status_code == 404, url
    for url in ("/canteen/?week=9999-12-31", "/canteen/?week=0001-01-01",
                "/repairs/figures?month=9999-12", f"/admin/users?page={2**64}&department={2**64}",
                f"/audit/?before={2**64}"):
        assert client.get(url).status_code in (200, 404), url


def test_an_xlsx_with_a_broken_sheet_is_refused_beside_the_field_not_a_500(client, auth,
                                                                           make_user):
    # A real zip with the workbook parts, whose sheet XML breaks only while rows are read.
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["工号", "姓名"])
    workbook.active.append(["S0001", "孙丽"])
    workbook.save(buffer)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row r=\"3\"><c r=\"A3\"")
            target.writestr(item, data)
    auth.login(make_user("office"))
    response = client.post("/admin/users/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(broken.getvalue()), "people.xlsx")})
    assert response.status_code == 422
    assert "不是可读取的 XLSX 工作簿" in response.get_data(as_text=True)
