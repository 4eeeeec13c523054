"""Night meals: reserve before the cut-off (Asia/Shanghai, to the minute), once, cancel, count."""

import re
import uuid

from portal.blueprints.canteen.models import NightReservation
from portal.extensions import db
from tests.canteen.conftest import HTMX, WEDNESDAY
from tests.panel_values import panel_values


def _reserve(client, dish, **headers):
    return client.post("/canteen/night/reserve",
                       data={"day": WEDNESDAY.isoformat(), "dish_id": dish.id}, headers=headers)


def _count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(NightReservation))


def test_reserving_before_the_cutoff_is_accepted(client, auth, make_user, week, dishes, at):
    auth.login(make_user("employee"))
    at("2026-12-02 17:29")
    response = _reserve(client, dishes["水饺"])
    assert response.status_code == 303
    page = client.get("/canteen/").get_data(as_text=True)
    assert "已预订：" in page and "取消我的夜宵" in page
    assert _count() == 1


def test_at_the_cutoff_minute_the_server_refuses_with_the_reason(client, auth, make_user, week,
                                                                 dishes, at):
    auth.login(make_user("employee"))
    at("2026-12-02 17:30")
    response = _reserve(client, dishes["水饺"])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"data-error>今晚的夜宵预订已于 17:30 截止", html)
    assert _count() == 0


def test_after_the_cutoff_the_page_says_so_instead_of_the_form(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    at("2026-12-02 17:29")
    assert "预订我的夜宵" in client.get("/canteen/").get_data(as_text=True)
    at("2026-12-02 17:30")
    html = client.get("/canteen/").get_data(as_text=True)
    assert "今晚的夜宵预订已于 17:30 截止" in html and "预订我的夜宵" not in html


def test_the_cutoff_is_shanghai_time_while_the_server_clock_is_utc(client, auth, make_user, week,
                                                                   dishes, utc_at):
    # Only the UTC clock is set: local_now() and TIMEZONE make it 17:29 / 17:30 in Shanghai.
    utc_at("2026-12-02 09:29")
    auth.login(make_user("employee"))
    assert _reserve(client, dishes["水饺"]).status_code == 303
    auth.logout()
    auth.login(make_user("employee"))
    utc_at("2026-12-02 09:30")  # morning in UTC, but 17:30 in Shanghai: closed
    refused = _reserve(client, dishes["水饺"])
    assert refused.status_code == 422
    assert re.search(r"data-error>今晚的夜宵预订已于 17:30 截止", refused.get_data(as_text=True))
    assert _count() == 1


def test_the_night_block_carries_the_cutoff_for_a_copy_kept_offline(client, auth, make_user,
                                                                    week, at):
    # static/js/canteen.js reads these to close the form on a stored copy once the cut-off passes.
    auth.login(make_user("employee"))
    at("2026-12-02 16:00")
    html = client.get("/canteen/").get_data(as_text=True)
    night = html.split('id="night"', 1)[1].split("</section>", 1)[0]
    assert 'data-night-cutoff="2026-12-02T17:30:00+08:00"' in night
    assert re.search(r'<form [^>]*data-closed-text="今晚的夜宵预订已于 17:30 截止。"', night)


def test_a_second_reservation_the_same_evening_is_refused(client, auth, make_user, week, dishes,
                                                         at):
    auth.login(make_user("employee"))
    at("2026-12-02 16:00")
    assert _reserve(client, dishes["水饺"]).status_code == 303
    second = _reserve(client, dishes["牛肉拉面"])
    assert second.status_code == 422
    assert "您已预订今晚的夜宵" in second.get_data(as_text=True)
    assert _count() == 1


def test_a_dish_not_on_tonights_menu_is_refused(client, auth, make_user, week, dishes, at):
    auth.login(make_user("employee"))
    at("2026-12-02 16:00")
    assert _reserve(client, dishes["宫保鸡丁"]).status_code == 422
    assert _count() == 0


def test_no_reservation_when_the_week_is_not_published(client, auth, make_user, dishes, at):
    from tests.canteen.conftest import MONDAY, fill_week

    fill_week(MONDAY, dishes, publish=False)
    auth.login(make_user("employee"))
    at("2026-12-02 16:00")
    assert _reserve(client, dishes["水饺"]).status_code == 422


def test_the_outbox_replaying_one_submission_reserves_once(client, auth, make_user, week, dishes,
                                                          at):
    auth.login(make_user("employee"))
    at("2026-12-02 16:00")
    key = str(uuid.uuid4())
    first = _reserve(client, dishes["水饺"], **{"X-Outbox-Id": key})
    replay = _reserve(client, dishes["水饺"], **{"X-Outbox-Id": key})
    assert first.status_code == replay.status_code == 303
    assert replay.headers.get("X-Outbox-Replayed") == "1"
    assert _count() == 1


def test_cancel_before_the_cutoff_but_not_after(client, auth, make_user, week, dishes, at):
    employee = make_user("employee")
    auth.login(employee)
    at("2026-12-02 16:00")
    _reserve(client, dishes["水饺"])
    at("2026-12-02 17:30")
    refused = client.post("/canteen/night/cancel")
    assert refused.status_code == 422 and _count() == 1
    at("2026-12-02 17:29")
    auth.login(employee)  # again: a session signed at 17:30 is not valid at 17:29
    assert client.post("/canteen/night/cancel").status_code == 303
    assert _count() == 0


def test_the_cutoff_is_configurable_by_the_canteen(client, auth, make_user, week, dishes, at):
    auth.login(make_user("employee", "canteen"))
    response = client.post("/canteen/settings", data={"night_cutoff": "18:15",
                                                      "deadline_weekday": "4",
                                                      "deadline_time": "15:00"})
    assert response.status_code == 303
    at("2026-12-02 18:14")
    assert _reserve(client, dishes["水饺"]).status_code == 303
    bad = client.post("/canteen/settings", data={"night_cutoff": "6pm", "deadline_weekday": "4",
                                                 "deadline_time": "15:00"})
    assert bad.status_code == 422 and "data-error" in bad.get_data(as_text=True)


def test_the_canteen_sees_tonights_headcount_by_dish_live(client, auth, make_user, week, dishes,
                                                        at):
    at("2026-12-02 16:00")
    for dish, name in (("水饺", "张一"), ("水饺", "李二"), ("牛肉拉面", "王三")):
        auth.login(make_user("employee", name=name))
        _reserve(client, dishes[dish])
        auth.logout()
    auth.login(make_user("employee", "canteen"))
    fragment = client.get("/canteen/tonight", headers=HTMX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="headcount"') and 'hx-trigger="every' in fragment
    assert f'data-dish="{dishes["水饺"].id}">2<' in fragment
    assert f'data-dish="{dishes["牛肉拉面"].id}">1<' in fragment
    assert "data-total>3<" in fragment
    sheet = client.get("/canteen/tonight/print").get_data(as_text=True)
    assert all(name in sheet for name in ("张一", "李二", "王三"))


def test_home_shows_tonights_headcount_to_the_canteen_only(client, auth, make_user, week, dishes,
                                                         at):
    at("2026-12-02 16:00")
    auth.login(make_user("employee"))
    _reserve(client, dishes["水饺"])
    assert "今晚夜宵" not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user("employee", "canteen"))
    assert "今晚夜宵" in client.get("/").get_data(as_text=True)


def test_only_the_canteen_sees_the_headcount(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    assert client.get("/canteen/tonight").status_code == 403
    assert client.get("/canteen/tonight/print").status_code == 403


def test_night_meal_choices_leave_out_the_persons_allergens(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    client.post("/canteen/preferences", data={"allergens": ["gluten"]})
    at("2026-12-02 16:00")
    night = client.get("/canteen/").get_data(as_text=True).split('id="night"')[1]
    night = night.split("</section>")[0]
    assert "水饺" not in night and "牛肉拉面" not in night  # both contain gluten
    assert "今晚的菜品都不符合您的过敏原设置" in night


def test_two_tabs_reserving_at_once_reserve_once_and_say_so(client, auth, make_user, week,
                                                            dishes, at, monkeypatch):
    from portal.blueprints.canteen import queries

    auth.login(make_user("employee"))
    at("2026-12-02 16:00")
    assert _reserve(client, dishes["水饺"]).status_code == 303
    # The other tab checked before the first one was saved: only the database knows.
    with monkeypatch.context() as patch:
        patch.setattr(queries, "reservation_of", lambda user, day: None)
        second = _reserve(client, dishes["牛肉拉面"])
    assert second.status_code == 422
    assert "您已预订今晚的夜宵" in second.get_data(as_text=True)
    assert _count() == 1


def test_the_headcount_panel_holds_plain_values(app, client, auth, make_user, week, dishes, at):
    at("2026-12-02 16:00")
    auth.login(make_user("employee"))
    _reserve(client, dishes["水饺"])
    cook = make_user("employee", "canteen")
    values = panel_values(app, cook, "canteen/_panel_headcount.html")
    [(dish, count)] = values["counts"]
    assert (dish.id, dish.label("zh_CN"), count) == (dishes["水饺"].id, "水饺", 1)
    assert "panel-menu" in panel_values(app, cook, "canteen/_panel_today.html")["html"]
