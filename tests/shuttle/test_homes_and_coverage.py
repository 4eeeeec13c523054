"""Home district and stop (changes limited per month); coverage for facilities, small counts
merged into "other"."""

import io
import re

from openpyxl import load_workbook

from portal.blueprints.shuttle.models import District, Home
from portal.extensions import db


def _set_home(client, district, stop=None):
    return client.post("/shuttle/me", data={"district_id": district.id,
                                            "stop_id": stop.id if stop else 0})


def test_an_employee_records_a_district_and_a_stop_never_an_address(client, auth, make_user,
                                                                     network, at):
    person = make_user("employee")
    auth.login(person)
    page = client.get("/shuttle/me").get_data(as_text=True)
    assert "不填住址" in page and "address" not in page.lower().split("<body", 1)[1]
    assert _set_home(client, network.old_town, network.stops["鼓楼"]).status_code == 303
    home = db.session.get(Home, person.id)
    assert (home.district_id, home.stop_id) == (network.old_town.id, network.stops["鼓楼"].id)


def test_changes_are_limited_per_month_and_the_limit_resets(client, auth, make_user, network,
                                                            at):
    at("2026-12-07 10:00")
    auth.login(make_user("employee"))
    _set_home(client, network.old_town)  # recording it the first time is not a change
    assert _set_home(client, network.south).status_code == 303
    assert _set_home(client, network.old_town).status_code == 303
    refused = _set_home(client, network.south, network.stops["南站"])
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="district_id-error" data-error>本月您已修改居住区域或站点 2 次', html)
    assert f'<option selected value="{network.south.id}">城南' in html  # what was chosen stays
    at("2027-01-02 10:00")
    assert _set_home(client, network.south, network.stops["南站"]).status_code == 303


def test_choosing_no_district_is_refused_beside_the_field(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    response = client.post("/shuttle/me", data={"district_id": 0, "stop_id": 0})
    assert response.status_code == 422
    assert "请选择您的区域。" in response.get_data(as_text=True)


def _people(network, district, count, stop=None):
    from tests.factories import make_user

    for _ in range(count):
        person = make_user("employee")
        db.session.add(Home(user_id=person.id, district_id=district.id,
                            stop_id=stop.id if stop else None))
    db.session.commit()


def test_coverage_merges_small_districts_and_flags_people_without_a_stop(
        client, auth, make_user, network, at):
    lonely = District(name="桥头镇", position=5)
    crowded = District(name="大学城", position=6)
    db.session.add_all([lonely, crowded])
    db.session.commit()
    _people(network, network.old_town, 9, network.stops["人民公园"])
    _people(network, network.south, 3, network.stops["南站"])  # fewer than 5: "other"
    _people(network, lonely, 2)
    _people(network, crowded, 6)  # many people, no stop
    auth.login(make_user("employee", "facilities"))
    html = client.get("/shuttle/coverage").get_data(as_text=True)
    table = html.split("<tbody>", 1)[1]
    assert re.search(r"老城区</th>\s*<td>9</td><td>3</td>\s*<td>1号线 20%", table)
    assert re.search(r"大学城 <span class=\"tag\">无站点</span></th>\s*<td>6</td>", table)
    assert re.search(r"其他区域</th>\s*<td>5</td>", table)  # 3 + 2, never shown apart
    assert "城南" not in table and "桥头镇" not in table
    assert "<svg" in html and "data-no-cache" in re.search(r"<body[^>]*>", html).group(0)


def test_a_merged_other_below_five_shows_no_number(client, auth, make_user, network, at):
    _people(network, network.south, 2)
    auth.login(make_user("employee", "office"))
    table = client.get("/shuttle/coverage").get_data(as_text=True).split("<tbody>", 1)[1]
    assert re.search(r"其他区域</th>\s*<td>&lt;5</td>", table)


def test_coverage_downloads_as_xlsx(client, auth, make_user, network, at):
    _people(network, network.old_town, 5, network.stops["鼓楼"])
    auth.login(make_user("employee", "facilities"))
    response = client.get("/shuttle/coverage.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("区域", "员工数", "站点数")
    assert rows[1][:2] == ("老城区", 5)


def test_employees_do_not_see_coverage(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    assert client.get("/shuttle/coverage").status_code == 403
