"""The canteen team edits a week: htmx regions per meal, plain forms too, publish rules."""

import re
from datetime import timedelta

from portal.blueprints.canteen.models import MenuItem, MenuWeek
from portal.extensions import db
from tests.canteen.conftest import HTMX, MONDAY, fill_week

WEEK_URL = f"/canteen/manage/{MONDAY}"


def _names(day, meal):
    items = db.session.scalars(db.select(MenuItem).where(MenuItem.day == day, MenuItem.meal == meal)
                               .order_by(MenuItem.position)).all()
    return [item.dish.name_zh for item in items]


def test_adding_a_dish_with_htmx_returns_only_that_meal(client, auth, make_user, dishes, at):
    auth.login(make_user("employee", "canteen"))
    response = client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "宫保鸡丁"},
                           headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<div class="meal-edit" id="meal-{MONDAY}-lunch"')
    assert "宫保鸡丁" in html and "<html" not in html
    assert _names(MONDAY, "lunch") == ["宫保鸡丁"]


def test_plain_form_add_redirects_back_to_the_week(client, auth, make_user, dishes, at):
    auth.login(make_user("employee", "canteen"))
    response = client.post(f"{WEEK_URL}/{MONDAY}/dinner/add", data={"dish": "清蒸鲈鱼"})
    assert response.status_code == 303
    assert response.location.endswith(f"{WEEK_URL}#meal-{MONDAY}-dinner")
    assert "清蒸鲈鱼" in client.get(WEEK_URL).get_data(as_text=True)


def test_adding_an_unknown_or_duplicate_dish_answers_422_with_the_message(client, auth, make_user,
                                                                         dishes, at):
    auth.login(make_user("employee", "canteen"))
    client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "宫保鸡丁"}, headers=HTMX)
    again = client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "宫保鸡丁"}, headers=HTMX)
    assert again.status_code == 422
    assert "宫保鸡丁已在这一餐中" in again.get_data(as_text=True)
    unknown = client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "佛跳墙"}, headers=HTMX)
    assert unknown.status_code == 422 and "data-error" in unknown.get_data(as_text=True)
    assert _names(MONDAY, "lunch") == ["宫保鸡丁"]


def test_reorder_and_remove_swap_the_meal_in_place(client, auth, make_user, dishes, at):
    auth.login(make_user("employee", "canteen"))
    for name in ("宫保鸡丁", "清炒时蔬", "清蒸鲈鱼"):
        client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": name}, headers=HTMX)
    fish = db.session.scalar(db.select(MenuItem).where(MenuItem.dish_id == dishes["清蒸鲈鱼"].id))
    response = client.post(f"/canteen/items/{fish.id}/up", headers=HTMX)
    assert response.status_code == 200 and f'id="meal-{MONDAY}-lunch"' in response.get_data(True)
    assert _names(MONDAY, "lunch") == ["宫保鸡丁", "清蒸鲈鱼", "清炒时蔬"]
    client.post(f"/canteen/items/{fish.id}/down", headers=HTMX)
    assert _names(MONDAY, "lunch") == ["宫保鸡丁", "清炒时蔬", "清蒸鲈鱼"]
    first = db.session.scalar(db.select(MenuItem).where(MenuItem.dish_id == dishes["宫保鸡丁"].id))
    response = client.post(f"/canteen/items/{first.id}/remove", headers=HTMX)
    assert "宫保鸡丁" not in response.get_data(as_text=True)
    assert _names(MONDAY, "lunch") == ["清炒时蔬", "清蒸鲈鱼"]


def test_every_edit_bumps_the_revision(client, auth, make_user, dishes, at):
    auth.login(make_user("employee", "canteen"))
    client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "宫保鸡丁"})
    week = db.session.scalar(db.select(MenuWeek))
    before = week.revision
    client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "清炒时蔬"})
    db.session.refresh(week)
    assert week.revision == before + 1


def test_copy_last_week_fills_an_empty_week_day_by_day(client, auth, make_user, dishes, at):
    fill_week(MONDAY, dishes)
    auth.login(make_user("employee", "canteen"))
    next_monday = MONDAY + timedelta(days=7)
    response = client.post(f"/canteen/manage/{next_monday}/copy")
    assert response.status_code == 303
    assert _names(next_monday + timedelta(days=2), "night") == ["牛肉拉面", "水饺"]
    copied = db.session.scalar(db.select(MenuWeek).where(MenuWeek.monday == next_monday))
    assert not copied.published  # a copy starts as a draft
    again = client.post(f"/canteen/manage/{next_monday}/copy", follow_redirects=True)
    assert "这一周已有菜品" in again.get_data(as_text=True)


def test_a_closed_day_shows_as_closed_to_employees(client, auth, make_user, week, at):
    auth.login(make_user("employee", "canteen"))
    sunday = MONDAY + timedelta(days=6)
    client.post(f"{WEEK_URL}/{sunday}/state", data={"closed": "y", "note": "设备检修"})
    at("2026-12-06 11:00")
    html = client.get("/canteen/").get_data(as_text=True)
    assert "食堂当天不营业" in html and "设备检修" in html


def test_an_empty_week_cannot_be_published(client, auth, make_user, dishes, at):
    auth.login(make_user("employee", "canteen"))
    response = client.post(f"{WEEK_URL}/publish", follow_redirects=True)
    assert "空的一周不能发布" in response.get_data(as_text=True)


def test_the_dish_library_adds_a_dish_and_refuses_a_second_of_the_same_name(client, auth,
                                                                             make_user, at):
    auth.login(make_user("employee", "canteen"))
    data = {"name_zh": "回锅肉", "name_en": "Twice-cooked pork", "tags": ["spicy"],
            "price": "15.50", "active": "y"}
    assert client.post("/canteen/dishes", data=data).status_code == 303
    page = client.get("/canteen/dishes").get_data(as_text=True)
    assert "回锅肉" in page and "¥15.50" in page
    again = client.post("/canteen/dishes", data=data)
    assert again.status_code == 422 and "菜品库中已有同名菜品" in again.get_data(as_text=True)


def test_employees_cannot_edit_menus(client, auth, make_user, dishes, at):
    auth.login(make_user("employee"))
    assert client.get(WEEK_URL).status_code == 403
    assert client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "水饺"}).status_code == 403
    assert client.post("/canteen/dishes", data={"name_zh": "x"}).status_code == 403
    assert _names(MONDAY, "lunch") == []


def test_adding_to_a_day_outside_the_week_is_not_found(client, auth, make_user, dishes, at):
    auth.login(make_user("employee", "canteen"))
    outside = MONDAY + timedelta(days=7)
    for headers in (HTMX, {}):
        response = client.post(f"{WEEK_URL}/{outside}/lunch/add", data={"dish": "宫保鸡丁"},
                               headers=headers)
        assert response.status_code == 404
    assert _names(outside, "lunch") == []


def test_an_unknown_dish_comes_back_with_the_typed_name_beside_the_message(client, auth,
                                                                           make_user, dishes, at):
    auth.login(make_user("employee", "canteen"))
    fragment = client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "佛跳墙"},
                           headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 422
    assert re.search(rf'<input id="add-{MONDAY}-lunch"[^>]* value="佛跳墙"[^>]*aria-invalid',
                     html)
    assert f'id="add-error-{MONDAY}-lunch" data-error>请从菜品库中选择' in html
    # A plain form (no JavaScript): the week again, the name still in that meal's field only.
    page = client.post(f"{WEEK_URL}/{MONDAY}/dinner/add", data={"dish": "佛跳墙"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert re.search(rf'<input id="add-{MONDAY}-dinner"[^>]* value="佛跳墙"', html)
    assert html.count('value="佛跳墙"') == 1 and html.count("data-error>") == 1


def test_a_double_clicked_add_puts_the_dish_on_once_and_answers_like_a_duplicate(
        client, auth, make_user, dishes, at, monkeypatch):
    from portal.blueprints.canteen import queries

    auth.login(make_user("employee", "canteen"))
    client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "宫保鸡丁"}, headers=HTMX)
    # The second click read the meal before the first one was saved: only the database knows.
    with monkeypatch.context() as patch:
        patch.setattr(queries, "meal_items", lambda day, meal: [])
        again = client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": "宫保鸡丁"},
                            headers=HTMX)
    assert again.status_code == 422
    assert "宫保鸡丁已在这一餐中" in again.get_data(as_text=True)
    assert _names(MONDAY, "lunch") == ["宫保鸡丁"]


def test_moving_a_dish_is_in_the_audit_log(client, auth, make_user, dishes, at):
    from portal.blueprints.audit.models import AuditEntry

    cook = make_user("employee", "canteen")
    auth.login(cook)
    for name in ("宫保鸡丁", "清炒时蔬"):
        client.post(f"{WEEK_URL}/{MONDAY}/lunch/add", data={"dish": name}, headers=HTMX)
    greens = db.session.scalar(db.select(MenuItem).where(MenuItem.dish_id == dishes["清炒时蔬"].id))
    client.post(f"/canteen/items/{greens.id}/up", headers=HTMX)
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "canteen.move_dish"))
    assert entry is not None and entry.actor_id == cook.id
    assert entry.target == f"canteen_week:{MONDAY}"
    assert entry.details == {"day": MONDAY.isoformat(), "meal": "lunch", "dish": "清炒时蔬",
                             "position": 0}
