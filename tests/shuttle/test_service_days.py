"""Next departure honours the company calendar (holidays, make-up days) and route exceptions."""

from datetime import date

from portal.blueprints.calendar.models import HOLIDAY, MAKE_UP, CompanyDay
from portal.blueprints.shuttle.models import Follow, Home, RouteException
from portal.extensions import db
from tests.panel_values import panel_values


def _calendar(network):
    db.session.add_all([
        CompanyDay(day=date(2026, 12, 9), kind=HOLIDAY, name="公司假日"),  # a Wednesday
        CompanyDay(day=date(2026, 12, 12), kind=MAKE_UP, name="调休上班"),  # a Saturday
    ])
    db.session.commit()


def _rider(make_user, network, stop="人民公园"):
    person = make_user("employee")
    db.session.add_all([
        Home(user_id=person.id, district_id=network.old_town.id,
             stop_id=network.stops[stop].id),
        Follow(user_id=person.id, route_id=network.line.id)])
    db.session.commit()
    return person


def test_next_departure_skips_a_public_holiday(client, auth, make_user, network, at):
    _calendar(network)
    auth.login(_rider(make_user, network))
    at("2026-12-08 08:00")  # Tuesday, after the bus; Wednesday is a holiday
    page = client.get(f"/shuttle/routes/{network.line.id}").get_data(as_text=True)
    assert "您的站点下一班车：2026-12-10 07:10" in page
    assert "2026-12-09 周三</time>\n    停运 · 公司假日" in page


def test_next_departure_on_a_make_up_working_saturday(client, auth, make_user, network, at):
    _calendar(network)
    auth.login(_rider(make_user, network))
    at("2026-12-11 07:30")  # Friday after the bus: Saturday is worked, the bus runs
    page = client.get(f"/shuttle/routes/{network.line.id}").get_data(as_text=True)
    assert "您的站点下一班车：2026-12-12 07:10" in page
    home = client.get("/").get_data(as_text=True)
    assert "我的班车" in home and "2026-12-12 07:10" in home


def test_today_before_the_bus_is_today(client, auth, make_user, network, at):
    auth.login(_rider(make_user, network))
    at("2026-12-08 07:09")
    home = client.get("/").get_data(as_text=True)
    assert "今天 07:10" in home


def test_a_route_exception_beats_the_weekday_and_the_calendar(client, auth, make_user, network,
                                                              at):
    _calendar(network)
    db.session.add_all([
        RouteException(route_id=network.line.id, day=date(2026, 12, 9), runs=True,
                       note="假日加开"),
        RouteException(route_id=network.line.id, day=date(2026, 12, 10), runs=False,
                       note="车辆年检")])
    db.session.commit()
    auth.login(_rider(make_user, network))
    at("2026-12-08 08:00")
    page = client.get(f"/shuttle/routes/{network.line.id}").get_data(as_text=True)
    assert "您的站点下一班车：2026-12-09 07:10" in page
    assert "车辆年检" in page


def test_a_version_taking_effect_later_gives_its_times_from_that_day(client, auth, make_user,
                                                                    network, at):
    auth.login(make_user("employee", "facilities"))
    at("2026-12-07 09:00")
    client.post(f"/shuttle/manage/routes/{network.line.id}/draft", data={
        "stops": "06:50 鼓楼\n07:05 人民公园\n07:40 工厂正门", "weekdays": list("12345"),
        "plate": "沪A·10231", "seats": "45", "driver_name": "", "driver_phone": ""})
    client.post(f"/shuttle/manage/routes/{network.line.id}/publish", data={
        "kind": "service_change", "effective_from": "2026-12-10", "reason": ""})
    auth.logout()
    auth.login(_rider(make_user, network))
    at("2026-12-09 08:00")  # Wednesday after the bus: Thursday already runs version 2
    page = client.get(f"/shuttle/routes/{network.line.id}").get_data(as_text=True)
    assert "您的站点下一班车：2026-12-10 07:05" in page
    assert "新时刻表（第 2 版，服务变更）将于 2026-12-10 生效" in page


def test_the_home_panel_holds_plain_values(app, make_user, network, at):
    _calendar(network)
    person = _rider(make_user, network)
    at("2026-12-08 08:00")  # Tuesday after the bus; Wednesday is a holiday
    values = panel_values(app, person, "shuttle/_panel.html")
    assert values == {"home_stop": "人民公园", "today": date(2026, 12, 8), "rows": [
        (network.line.id, "1号线", "人民公园", date(2026, 12, 10), "07:10")]}
