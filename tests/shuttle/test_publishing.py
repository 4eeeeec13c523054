"""Facilities edit a draft and publish versions: history kept, diffs right, notice rules."""

import re

from portal.blueprints.notifications.models import Notification
from portal.blueprints.shuttle.models import Follow, Home, Version
from portal.extensions import db

NEW_TIMES = "07:00 鼓楼\n07:15 人民公园\n07:30 南湖小区\n07:55 工厂正门"  # 百货大楼 out


def _save_draft(client, route, stops=NEW_TIMES, plate="沪B·77777", seats="33"):
    return client.post(f"/shuttle/manage/routes/{route.id}/draft", data={
        "stops": stops, "weekdays": ["1", "2", "3", "4", "5"], "plate": plate, "seats": seats,
        "driver_name": "李师傅", "driver_phone": "13700000000"})


def _publish(client, route, day, kind="service_change", reason=""):
    return client.post(f"/shuttle/manage/routes/{route.id}/publish", data={
        "kind": kind, "effective_from": day, "reason": reason})


def _versions(route):
    return db.session.scalars(db.select(Version).where(Version.route_id == route.id)
                              .order_by(Version.id)).all()


def test_a_draft_is_unseen_until_published_and_history_keeps_every_version(
        client, auth, make_user, network, at):
    at("2026-12-07 09:00")
    auth.login(make_user("employee", "facilities"))
    assert _save_draft(client, network.line).status_code == 303
    page = client.get(f"/shuttle/routes/{network.line.id}").get_data(as_text=True)
    assert "百货大楼" in page and "南湖小区" not in page  # riders still see version 1
    response = _publish(client, network.line, "2026-12-14")
    assert response.status_code == 303, response.get_data(as_text=True)
    history = client.get(f"/shuttle/routes/{network.line.id}/history").get_data(as_text=True)
    assert "第 2 版" in history and "第 1 版" in history and "服务变更" in history
    versions = _versions(network.line)
    assert [(v.number, v.status) for v in versions] == [(1, "published"), (2, "published")]
    assert [t.time for t in versions[0].times] == ["07:00", "07:10", "07:20", "07:50"]


def test_the_diff_names_stops_added_removed_times_moved_and_the_vehicle(
        client, auth, make_user, network, at):
    at("2026-12-07 09:00")
    auth.login(make_user("employee", "facilities"))
    _save_draft(client, network.line)
    _publish(client, network.line, "2026-12-14")
    page = client.get(f"/shuttle/routes/{network.line.id}/diff?a=2&b=1").get_data(as_text=True)
    added = page.split("新增站点", 1)[1].split("</ul>", 1)[0]
    removed = page.split("取消站点", 1)[1].split("</ul>", 1)[0]
    moved = page.split("时间调整", 1)[1].split("</ul>", 1)[0]
    assert "南湖小区" in added and "百货大楼" not in added
    assert "百货大楼" in removed and "07:20" in removed
    assert re.search(r"人民公园: <del>07:10</del> → <ins>07:15</ins>", moved)
    assert re.search(r"工厂正门: <del>07:50</del> → <ins>07:55</ins>", moved)
    assert "鼓楼" not in moved  # unchanged
    vehicle = page.split("车辆变更", 1)[1]
    assert "沪A·10231 · 45 座" in vehicle and "沪B·77777 · 33 座" in vehicle
    assert "13700000000" not in page  # the diff says the driver changed, never the phone


def test_a_service_change_inside_the_notice_period_needs_a_reason(client, auth, make_user,
                                                                 network, at):
    at("2026-12-07 09:00")
    auth.login(make_user("employee", "facilities"))
    _save_draft(client, network.line)
    refused = _publish(client, network.line, "2026-12-09")  # two days: under the 3 required
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="reason-error" data-error>本次服务变更距生效不足 3 天', html)
    assert len(_versions(network.line)) == 2 and _versions(network.line)[1].status == "draft"
    accepted = _publish(client, network.line, "2026-12-09", reason="道路施工，临时绕行")
    assert accepted.status_code == 303
    assert _versions(network.line)[1].reason == "道路施工，临时绕行"


def test_a_correction_needs_no_notice_and_three_days_ahead_needs_no_reason(
        client, auth, make_user, network, at):
    at("2026-12-07 09:00")
    auth.login(make_user("employee", "facilities"))
    _save_draft(client, network.line)
    assert _publish(client, network.line, "2026-12-07", kind="correction").status_code == 303
    _save_draft(client, network.line, plate="沪B·88888")
    assert _publish(client, network.line, "2026-12-10").status_code == 303
    assert [v.number for v in _versions(network.line)] == [1, 2, 3]


def test_the_notice_period_is_a_setting(client, auth, make_user, network, at):
    at("2026-12-07 09:00")
    auth.login(make_user("employee", "facilities"))
    client.post("/shuttle/manage/settings", data={"notice_days": "7", "late_cutoff": "17:00",
                                                  "home_changes_per_month": "2"})
    _save_draft(client, network.line)
    assert _publish(client, network.line, "2026-12-12").status_code == 422
    assert _publish(client, network.line, "2026-12-14").status_code == 303


def test_a_bad_draft_line_is_named_and_what_was_typed_stays(client, auth, make_user, network,
                                                           at):
    auth.login(make_user("employee", "facilities"))
    typed = "07:00 鼓楼\n7点 人民公园\n07:20 火星站"
    response = _save_draft(client, network.line, stops=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 2 行：请以 时:分 格式的时间开头。" in html
    assert "第 3 行：站点列表中没有“火星站”。" in html
    assert "7点 人民公园" in html
    assert len(_versions(network.line)) == 1


def test_followers_are_notified_once_with_the_change_at_their_own_stop(client, auth, make_user,
                                                                       network, at):
    at("2026-12-07 09:00")
    park_rider = make_user("employee", name="公园乘客")
    store_rider = make_user("employee", name="百货乘客", language="en")
    bystander = make_user("employee", name="路人")
    db.session.add_all([
        Follow(user_id=park_rider.id, route_id=network.line.id),
        Follow(user_id=store_rider.id, route_id=network.line.id),
        Home(user_id=park_rider.id, district_id=network.old_town.id,
             stop_id=network.stops["人民公园"].id),
        Home(user_id=store_rider.id, district_id=network.old_town.id,
             stop_id=network.stops["百货大楼"].id),
        Home(user_id=bystander.id, district_id=network.old_town.id,
             stop_id=network.stops["人民公园"].id)])
    db.session.commit()
    auth.login(make_user("employee", "facilities"))
    _save_draft(client, network.line)
    _publish(client, network.line, "2026-12-08", reason="道路施工")
    _publish(client, network.line, "2026-12-08", reason="道路施工")  # a second click
    notes = {n.user_id: n for n in db.session.scalars(db.select(Notification))}
    assert set(notes) == {park_rider.id, store_rider.id}
    park = notes[park_rider.id]
    assert park.title == "班车1号线：2026-12-08 起启用新时刻表"
    assert park.body == "您的站点人民公园：07:10 → 07:15。 临时发布的原因：道路施工"
    store = notes[store_rider.id]  # in English, her language
    assert store.body == ("Your stop 百货大楼 is no longer served by this route. "
                          "Published at short notice because: 道路施工")
    assert park.link == f"/shuttle/routes/{network.line.id}"


def test_employees_cannot_edit_or_publish(client, auth, make_user, network, at):
    auth.login(make_user("employee"))
    assert client.get("/shuttle/manage").status_code == 403
    assert _save_draft(client, network.line).status_code == 403
    assert _publish(client, network.line, "2026-12-20").status_code == 403


def test_facilities_create_a_route_and_the_stop_list(client, auth, make_user, network, at):
    auth.login(make_user("employee", "facilities"))
    response = client.post("/shuttle/manage/stops", data={
        "stop-name": "体育中心", "stop-district_id": network.south.id, "stop-note": "北广场"})
    assert response.status_code == 303
    response = client.post("/shuttle/manage", data={"name": "7号线", "direction": "to_work"})
    assert response.status_code == 303
    again = client.post("/shuttle/manage", data={"name": "7号线", "direction": "to_work"})
    assert again.status_code == 422 and "已有同名线路。" in again.get_data(as_text=True)


def test_facilities_add_a_day_without_bus_and_riders_see_why(client, auth, make_user, network,
                                                             at):
    at("2026-12-07 09:00")
    auth.login(make_user("employee", "facilities"))
    url = f"/shuttle/manage/routes/{network.line.id}/exceptions"
    bad = client.post(url, data={"day": "明天", "runs": "0", "note": "车辆年检"})
    assert bad.status_code == 422 and 'id="day-error"' in bad.get_data(as_text=True)
    assert client.post(url, data={"day": "2026-12-10", "runs": "0",
                                  "note": "车辆年检"}).status_code == 303
    page = client.get(f"/shuttle/routes/{network.line.id}").get_data(as_text=True)
    assert "2026-12-10 周四</time>\n    停运 · 车辆年检" in page


def test_a_discarded_draft_leaves_the_published_versions_alone(client, auth, make_user, network,
                                                               at):
    auth.login(make_user("employee", "facilities"))
    _save_draft(client, network.line)
    assert client.post(f"/shuttle/manage/routes/{network.line.id}/draft/discard").status_code \
        == 303
    assert [(v.number, v.status) for v in _versions(network.line)] == [(1, "published")]
    page = client.get(f"/shuttle/manage/routes/{network.line.id}/draft").get_data(as_text=True)
    assert "07:20 百货大楼" in page and "请先保存草稿。" in page  # back to version 1's stops
