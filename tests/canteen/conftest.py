"""Canteen fixtures: the clock set with time-machine and a small published week."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.blueprints.canteen import services
from portal.blueprints.canteen.models import Dish
from portal.extensions import db

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 30)
WEDNESDAY = MONDAY + timedelta(days=2)


@pytest.fixture
def at(time_machine):
    """Stop the portal's clock at a Shanghai time: at("2026-12-02 17:29")."""

    def set_clock(value: str) -> datetime:
        moment = datetime.fromisoformat(value).replace(tzinfo=SHANGHAI)
        time_machine.move_to(moment, tick=False)
        return moment

    set_clock("2026-12-02 10:00")
    return set_clock


@pytest.fixture
def utc_at(time_machine):
    """Stop the portal's clock at a UTC instant: utc_at("2026-12-02 09:29") (17:29 in Shanghai).

    local_now() and the TIMEZONE setting turn the UTC instant into local time as they do in
    production.
    """

    def set_clock(value: str) -> datetime:
        moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
        time_machine.move_to(moment, tick=False)
        return moment

    return set_clock


def make_dish(name_zh: str, name_en: str = "", tags: str = "", price: float | None = None) -> Dish:
    dish = Dish(name_zh=name_zh, name_en=name_en, tags=tags.split(),
                price_cents=None if price is None else round(price * 100))
    db.session.add(dish)
    db.session.flush()
    return dish


@pytest.fixture
def dishes(app):
    """A few dishes with tags, by Chinese name."""
    made = [
        make_dish("小米粥", "Millet porridge", "light vegetarian"),
        make_dish("宫保鸡丁", "Kung pao chicken", "spicy nuts", 14),
        make_dish("清炒时蔬", "Stir-fried greens", "light vegetarian", 5),
        make_dish("清蒸鲈鱼", "Steamed sea bass", "light seafood", 22),
        make_dish("牛肉拉面", "Beef noodles", "halal gluten", 12),
        make_dish("水饺", "Dumplings", "gluten", 10),
    ]
    db.session.commit()
    return {dish.name_zh: dish for dish in made}


def fill_week(monday: date, dishes: dict, publish: bool = True):
    """Every day: porridge for breakfast, two lunches, fish for dinner, two night meals."""
    week = services.get_or_create_week(monday)
    plan = {"breakfast": ["小米粥"], "lunch": ["宫保鸡丁", "清炒时蔬"], "dinner": ["清蒸鲈鱼"],
            "night": ["牛肉拉面", "水饺"]}
    for n in range(7):
        for meal, names in plan.items():
            for name in names:
                services.add_item(week, monday + timedelta(days=n), meal, dishes[name])
    if publish:
        services.publish(week)
    db.session.commit()
    return week


@pytest.fixture
def week(dishes):
    """The published week of Monday 30 November 2026."""
    return fill_week(MONDAY, dishes)


HTMX = {"HX-Request": "true", "HX-Request-Type": "partial"}
