"""Employees: every timetable, find my route by stop or district, a route's page, follow."""

import re

from portal.blueprints.shuttle.models import Follow, Home
from portal.extensions import db


def test_the_timetable_lists_every_published_route_with_its_stops(client, auth, make_user,
                                                                   network, at):
    person = make_user("employee")
    db.session.add(Follow(user_id=person.id, route_id=network.late.id))
    db.session.commit()
    auth.login(person)
    page = client.get("/shuttle/").get_data(as_text=True)
    line = page.split(f'id="route-{network.line.id}"', 1)[1].split("</li>", 1)[0]
    late = page.split(f'id="route-{network.late.id}"', 1)[1].split("</li>", 1)[0]
    assert "07:00 鼓楼 → 07:50 工厂正门 · 4 个站点" in line and "<table" not in line
    assert "<table" in late and "22:00" in late  # a followed route shows every stop, first
    assert page.index(f'id="route-{network.late.id}"') < page.index(f'id="route-{network.line.id}"')


def test_the_timetables_page_is_each_reader_s_own_and_never_stale(client, auth, make_user,
                                                                 network, at):
    """The page's content is kept per the rows it shows: whose follows, home and roles they are,
    and the timetables themselves, so nobody gets another's page, nor one from before an edit."""
    FOLLOWING, MY_STOP = '<span class="tag">已关注</span>', '<span class="tag">我的站点</span>'

    def card(page, route):
        return page.split(f'id="route-{route.id}"', 1)[1].split("</li>", 1)[0]

    rider, other, facilities = (make_user("employee"), make_user("employee"),
                                make_user("facilities"))
    db.session.add_all([Follow(user_id=rider.id, route_id=network.line.id),
                        Home(user_id=rider.id, district_id=network.old_town.id,
                             stop_id=network.stops["人民公园"].id)])
    db.session.commit()
    auth.login(rider)
    mine = client.get("/shuttle/").get_data(as_text=True)
    assert FOLLOWING in card(mine, network.line) and MY_STOP in card(mine, network.line)
    assert "设置我的站点" not in mine and "A4（PDF）" not in mine
    auth.logout()

    auth.login(other)
    theirs = client.get("/shuttle/").get_data(as_text=True)
    assert FOLLOWING not in theirs and MY_STOP not in theirs and "<table" not in theirs
    assert "设置我的站点" in theirs
    auth.logout()

    auth.login(facilities)
    assert "A4（PDF）" in client.get("/shuttle/").get_data(as_text=True)
    auth.logout()

    auth.login(rider)
    client.post(f"/shuttle/routes/{network.line.id}/unfollow")
    network.stops["百货大楼"].name = "新百货"
    db.session.commit()
    again = client.get("/shuttle/").get_data(as_text=True)
    assert FOLLOWING not in again and "<table" not in again
    assert "07:00 鼓楼 → 07:50 工厂正门" in card(again, network.line)
    client.post(f"/shuttle/routes/{network.late.id}/follow")
    assert "新百货" not in card(client.get("/shuttle/").get_data(as_text=True), network.late)
    client.post(f"/shuttle/routes/{network.line.id}/follow")
    assert "新百货" in card(client.get("/shuttle/").get_data(as_text=True), network.line)


def test_find_my_route_by_stop_name(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    page = client.get("/shuttle/find?q=人民公园").get_data(as_text=True)
    results = page.split('id="results"', 1)[1]
    assert "1号线" in results and "07:10" in results
    assert "夜班车" not in results  # it does not stop there


def test_find_my_route_by_district_finds_every_route_through_it(client, auth, make_user,
                                                                 network, at):
    auth.login(make_user("employee"))
    results = client.get("/shuttle/find?q=城南").get_data(as_text=True).split('id="results"')[1]
    assert "夜班车" in results and "22:10" in results and "1号线" not in results
    english = client.get("/shuttle/find?q=old town").get_data(as_text=True)
    assert "1号线" in english.split('id="results"')[1]


def test_find_with_no_match_offers_to_ask_for_a_stop(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    page = client.get("/shuttle/find?q=火星").get_data(as_text=True)
    assert "没有与“火星”匹配的站点或区域" in page and "/shuttle/requests" in page


def test_find_answers_htmx_with_the_results_region_only(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    response = client.get("/shuttle/find?q=鼓楼", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="results"') and "<nav" not in html


def test_a_route_page_has_a_strip_map_readable_on_a_phone(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    page = client.get(f"/shuttle/routes/{network.line.id}").get_data(as_text=True)
    svg = re.search(r"<svg viewBox=\"0 0 340 (\d+)\"[^>]*role=\"img\".*?</svg>", page, re.S)
    assert svg, "no strip map"
    # Four stops, each with its time and name, at least 16 px for names at 340 units wide.
    assert svg.group(0).count("<circle") == 4
    assert "07:20" in svg.group(0) and "百货大楼" in svg.group(0)
    assert 'font-size="16"' in svg.group(0)


def test_the_driver_phone_is_masked_for_employees_and_whole_for_facilities(
        client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    page = client.get(f"/shuttle/routes/{network.line.id}").get_data(as_text=True)
    assert "138****0001" in page and "13800010001" not in page
    auth.logout()
    auth.login(make_user("employee", "facilities"))
    assert "13800010001" in client.get(f"/shuttle/routes/{network.line.id}").get_data(
        as_text=True)


def test_follow_and_unfollow_a_route(client, auth, make_user, network, at):
    person = make_user("employee")
    auth.login(person)
    response = client.post(f"/shuttle/routes/{network.line.id}/follow")
    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert "取消关注" in page
    assert db.session.get(Follow, (person.id, network.line.id)) is not None
    client.post(f"/shuttle/routes/{network.line.id}/follow")  # twice: still one row
    assert db.session.scalar(db.select(db.func.count()).select_from(Follow)) == 1
    client.post(f"/shuttle/routes/{network.line.id}/unfollow")
    assert db.session.get(Follow, (person.id, network.line.id)) is None


def test_an_unknown_route_is_404(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    assert client.get("/shuttle/routes/999999").status_code == 404
    assert client.get(f"/shuttle/routes/{network.line.id}/diff?a=1&b=99").status_code == 404
