"""Ratings: only employees, only dishes they could have eaten; the canteen sees the averages."""

from datetime import timedelta

from portal.blueprints.canteen.models import DishRating, MenuItem
from portal.extensions import db
from tests.canteen.conftest import HTMX, MONDAY, fill_week


def _item(name: str, day):
    return db.session.scalar(db.select(MenuItem).join(MenuItem.dish)
                             .where(MenuItem.day == day).where(MenuItem.dish.has(name_zh=name)))


def _ratings() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(DishRating))


def test_an_employee_rates_a_dish_served_today_or_before(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    at("2026-12-02 13:00")
    monday_item = _item("宫保鸡丁", MONDAY)
    response = client.post(f"/canteen/items/{monday_item.id}/rate", data={"stars": "4"},
                           headers=HTMX)
    assert response.status_code == 200 and "您打了 4 星" in response.get_data(as_text=True)
    today_item = _item("清炒时蔬", MONDAY + timedelta(days=2))
    assert client.post(f"/canteen/items/{today_item.id}/rate",
                       data={"stars": "5"}).status_code == 303
    assert _ratings() == 2


def test_rating_again_replaces_the_first_rating(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    item = _item("宫保鸡丁", MONDAY)
    client.post(f"/canteen/items/{item.id}/rate", data={"stars": "2"})
    client.post(f"/canteen/items/{item.id}/rate", data={"stars": "5"})
    assert [r.stars for r in db.session.scalars(db.select(DishRating))] == [5]


def test_a_dish_not_served_yet_cannot_be_rated(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    at("2026-12-02 13:00")
    friday_item = _item("宫保鸡丁", MONDAY + timedelta(days=4))
    response = client.post(f"/canteen/items/{friday_item.id}/rate", data={"stars": "5"},
                           headers=HTMX)
    assert response.status_code == 422 and "data-error" in response.get_data(as_text=True)
    assert client.get(f"/canteen/rate/{MONDAY + timedelta(days=4)}").status_code == 404
    assert _ratings() == 0


def test_a_dish_on_an_unpublished_menu_cannot_be_rated(client, auth, make_user, dishes, at):
    fill_week(MONDAY, dishes, publish=False)
    auth.login(make_user("employee"))
    item = _item("宫保鸡丁", MONDAY)
    assert client.post(f"/canteen/items/{item.id}/rate", data={"stars": "5"}).status_code == 404
    assert _ratings() == 0


def test_a_dish_on_a_closed_day_cannot_be_rated(client, auth, make_user, week, at):
    from portal.blueprints.canteen import services

    services.set_day(week, MONDAY, True, False, "")
    db.session.commit()
    auth.login(make_user("employee"))
    item = _item("宫保鸡丁", MONDAY)
    assert client.post(f"/canteen/items/{item.id}/rate", data={"stars": "5"},
                       headers=HTMX).status_code == 422
    assert _ratings() == 0


def test_only_employees_rate(client, auth, make_user, week, at):
    auth.login(make_user("canteen"))
    item = _item("宫保鸡丁", MONDAY)
    assert client.post(f"/canteen/items/{item.id}/rate", data={"stars": "5"}).status_code == 403
    assert client.get(f"/canteen/rate/{MONDAY}").status_code == 403
    assert _ratings() == 0


def test_stars_outside_one_to_five_are_refused(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    item = _item("宫保鸡丁", MONDAY)
    assert client.post(f"/canteen/items/{item.id}/rate", data={"stars": "9"},
                       headers=HTMX).status_code == 422
    assert _ratings() == 0


def test_the_canteen_sees_average_and_count_per_dish(client, auth, make_user, week, at):
    for stars in ("5", "3"):
        auth.login(make_user("employee"))
        client.post(f"/canteen/items/{_item('宫保鸡丁', MONDAY).id}/rate", data={"stars": stars})
        auth.logout()
    auth.login(make_user("employee", "canteen"))
    html = client.get("/canteen/ratings").get_data(as_text=True)
    row = html.split("宫保鸡丁", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">4.0</td><td class="num">2</td>' in row
    assert "4.0 <span class=\"muted\">(2)</span>" in row  # this month (December 2026)
