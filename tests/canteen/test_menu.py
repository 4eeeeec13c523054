"""What employees see: only published weeks, the current meal first, filters and allergens."""

import re
from datetime import timedelta

from portal.blueprints.canteen.models import DietPreference
from portal.extensions import db
from tests.canteen.conftest import HTMX, MONDAY, fill_week


def _today_section(html: str) -> str:
    return html.split('class="today"', 1)[1].split("</section>", 1)[0]


def _meal_order(html: str) -> list[str]:
    return re.findall(r"<h3>(\S+) <span", _today_section(html))


def test_an_unpublished_week_is_invisible_to_employees(client, auth, make_user, dishes, at):
    fill_week(MONDAY, dishes, publish=False)
    auth.login(make_user("employee"))
    html = client.get("/canteen/").get_data(as_text=True)
    assert "宫保鸡丁" not in html and "本周菜单尚未发布" in html
    assert client.get(f"/canteen/rate/{MONDAY}").status_code == 404


def test_a_published_week_shows_to_employees(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    html = client.get("/canteen/").get_data(as_text=True)
    assert "宫保鸡丁" in html and "本周菜单尚未发布" not in html


def test_unpublishing_hides_the_week_again(client, auth, make_user, week, at):
    auth.login(make_user("employee", "canteen"))
    client.post(f"/canteen/manage/{MONDAY}/unpublish")
    assert "宫保鸡丁" not in client.get("/canteen/").get_data(as_text=True)


def test_the_meal_being_served_comes_first(client, auth, make_user, week, at):
    at("2026-12-02 07:10")  # before signing in: a session never goes back in time
    auth.login(make_user("employee"))
    assert _meal_order(client.get("/canteen/").get_data(True))[0] == "早餐"
    at("2026-12-02 12:00")
    assert _meal_order(client.get("/canteen/").get_data(True))[:2] == ["午餐", "晚餐"]
    at("2026-12-02 20:30")
    order = _meal_order(client.get("/canteen/").get_data(True))
    assert order == ["夜宵", "早餐", "午餐", "晚餐"]


def test_after_the_night_meal_tomorrow_is_shown_first(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    at("2026-12-02 22:30")
    html = client.get("/canteen/").get_data(as_text=True)
    assert "明天" in _today_section(html) and _meal_order(html)[0] == "早餐"


def test_filtering_by_tag_returns_the_menu_fragment(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    response = client.get("/canteen/?tag=vegetarian", headers=HTMX)
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="menu"')
    assert "清炒时蔬" in html and "宫保鸡丁" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_allergens_set_on_the_canteen_page_are_hidden(client, auth, make_user, week, at):
    user = make_user("employee")
    auth.login(user)
    response = client.post("/canteen/preferences", data={"allergens": ["nuts", "seafood"]})
    assert response.status_code == 303
    assert db.session.get(DietPreference, user.id).allergens == {"nuts", "seafood"}
    html = client.get("/canteen/").get_data(as_text=True)
    menu = html.split('id="menu"', 1)[1].split("</section>\n</div>", 1)[0]
    assert "宫保鸡丁" not in menu and "清蒸鲈鱼" not in menu and "清炒时蔬" in menu
    assert "含坚果" in html  # the page says what is hidden


def test_allergens_of_one_person_do_not_hide_dishes_for_another(client, auth, make_user, week,
                                                                at):
    db.session.add(DietPreference(user_id=make_user("employee").id, allergens_text="nuts"))
    db.session.commit()
    auth.login(make_user("employee"))
    assert "宫保鸡丁" in client.get("/canteen/").get_data(as_text=True)


def test_dish_names_follow_the_viewers_language(client, auth, make_user, week, at):
    auth.login(make_user("employee", language="en"))
    html = client.get("/canteen/").get_data(as_text=True)
    assert "Kung pao chicken" in html and "宫保鸡丁" not in html
    assert "Breakfast" in html and "早餐" not in html


def test_the_menu_page_may_be_kept_offline(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    assert "data-no-cache" not in client.get("/canteen/").get_data(as_text=True)


def test_pages_with_other_peoples_data_are_never_kept_offline(client, auth, make_user, week, at):
    auth.login(make_user("employee", "canteen"))
    for url in ("/canteen/tonight", "/canteen/tonight/print", f"/canteen/manage/{MONDAY}",
                "/canteen/ratings"):
        assert 'data-no-cache="1"' in client.get(url).get_data(as_text=True), url


def test_next_week_shows_once_published(client, auth, make_user, dishes, week, at):
    next_monday = MONDAY + timedelta(days=7)
    fill_week(next_monday, dishes, publish=False)
    auth.login(make_user("employee"))
    url = f"/canteen/?week={next_monday}"
    assert "宫保鸡丁" not in client.get(url).get_data(as_text=True).split('class="week"')[1]
    auth.logout()
    auth.login(make_user("employee", "canteen"))
    client.post(f"/canteen/manage/{next_monday}/publish")
    assert "宫保鸡丁" in client.get(url).get_data(as_text=True).split('class="week"')[1]


def test_home_shows_todays_menu_to_everyone(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    at("2026-12-02 11:00")
    html = client.get("/").get_data(as_text=True)
    assert "今日菜单" in html and "宫保鸡丁" in html


def test_allergens_are_reachable_from_my_account(client, auth, make_user, week, at):
    user = make_user("employee")
    db.session.add(DietPreference(user_id=user.id, allergens_text="seafood"))
    db.session.commit()
    auth.login(user)
    account = client.get("/account").get_data(as_text=True)
    assert '<a href="/canteen/preferences">饮食偏好/过敏原</a>' in account
    page = client.get("/canteen/preferences")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>饮食偏好/过敏原</h1>" in html
    assert re.search(r'<input checked id="allergens-\d" name="allergens" type="checkbox" '
                     r'value="seafood">', html)
    assert 'value="nuts">' in html and '<input checked id="allergens-0"' not in html
    saved = client.post("/canteen/preferences", data={"allergens": ["nuts"]})
    assert saved.status_code == 303
    assert db.session.get(DietPreference, user.id).allergens == {"nuts"}


def test_home_shows_only_meals_still_to_come_today(client, auth, make_user, week, at):
    auth.login(make_user("employee"))
    at("2026-12-02 12:00")
    panel = client.get("/").get_data(as_text=True).split('aria-labelledby="panel-menu"', 1)[1]
    assert "午餐" in panel.split("</section>", 1)[0] and "晚餐" in panel.split("</section>", 1)[0]
    at("2026-12-02 20:30")
    panel = client.get("/").get_data(as_text=True).split('aria-labelledby="panel-menu"', 1)[1]
    panel = panel.split("</section>", 1)[0]
    assert "夜宵" in panel and "牛肉拉面" in panel
    assert "早餐" not in panel and "小米粥" not in panel  # this morning's breakfast is over
