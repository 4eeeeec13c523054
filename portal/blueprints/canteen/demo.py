"""Demo menus: a dish library, this week published, next week as a half-done draft."""

from datetime import date, timedelta

from portal.blueprints.canteen import services
from portal.blueprints.canteen.models import PUBLISHED, Dish
from portal.extensions import db
from portal.timeutil import local_today, monday_of, utcnow

# (Chinese, English, tags, price in yuan or None)
DISHES = [
    ("小米粥", "Millet porridge", "light vegetarian", None),
    ("豆浆", "Soy milk", "vegetarian", None),
    ("茶叶蛋", "Tea egg", "egg", 1.5),
    ("肉包子", "Pork bun", "gluten", 2),
    ("菜包子", "Vegetable bun", "vegetarian gluten", 1.5),
    ("油条", "Fried dough stick", "vegetarian gluten", 1.5),
    ("鸡蛋灌饼", "Egg pancake", "egg gluten", 4),
    ("牛肉拉面", "Beef hand-pulled noodles", "halal gluten", 12),
    ("宫保鸡丁", "Kung pao chicken", "spicy nuts", 14),
    ("麻婆豆腐", "Mapo tofu", "spicy", 8),
    ("鱼香肉丝", "Yu-xiang shredded pork", "spicy", 12),
    ("番茄炒蛋", "Tomato and scrambled egg", "light vegetarian egg", 7),
    ("清炒时蔬", "Stir-fried seasonal greens", "light vegetarian", 5),
    ("红烧肉", "Braised pork belly", "", 16),
    ("清蒸鲈鱼", "Steamed sea bass", "light seafood", 22),
    ("孜然羊肉", "Cumin lamb", "spicy halal", 20),
    ("地三鲜", "Potato, aubergine and pepper", "vegetarian", 8),
    ("白切鸡", "Poached chicken", "light", 15),
    ("酸辣土豆丝", "Hot and sour potato shreds", "spicy vegetarian", 5),
    ("蒜蓉西兰花", "Garlic broccoli", "light vegetarian", 6),
    ("紫菜蛋花汤", "Seaweed and egg soup", "light egg seafood", None),
    ("冬瓜排骨汤", "Winter melon and pork rib soup", "light", None),
    ("米饭", "Steamed rice", "vegetarian", 1),
    ("馒头", "Steamed bun", "vegetarian gluten", 0.5),
    ("酸菜鱼", "Fish with pickled cabbage", "spicy seafood", 18),
    ("黄焖鸡米饭", "Braised chicken with rice", "", 15),
    ("西红柿鸡蛋面", "Tomato and egg noodles", "egg gluten vegetarian", 10),
    ("水饺", "Dumplings", "gluten", 10),
    ("馄饨", "Wontons", "gluten seafood", 9),
    ("花生拌菠菜", "Spinach with peanuts", "vegetarian nuts", 5),
]
PLAN = {
    "breakfast": [["小米粥", "茶叶蛋", "肉包子", "油条"], ["豆浆", "鸡蛋灌饼", "菜包子"]],
    "lunch": [["宫保鸡丁", "清炒时蔬", "紫菜蛋花汤", "米饭"],
              ["红烧肉", "麻婆豆腐", "蒜蓉西兰花", "米饭"],
              ["孜然羊肉", "番茄炒蛋", "冬瓜排骨汤", "米饭"],
              ["清蒸鲈鱼", "地三鲜", "花生拌菠菜", "米饭"]],
    "dinner": [["鱼香肉丝", "酸辣土豆丝", "馒头"], ["白切鸡", "清炒时蔬", "米饭"],
               ["酸菜鱼", "蒜蓉西兰花", "米饭"]],
    "night": [["牛肉拉面", "水饺"], ["馄饨", "黄焖鸡米饭"], ["西红柿鸡蛋面", "水饺"]],
}


def load_demo_menu(today: date | None = None) -> None:
    """This week published (Sunday closed), next week a draft with Monday to Wednesday done."""
    today = today or local_today()
    library = {}
    for name_zh, name_en, tags, price in DISHES:
        dish = Dish(name_zh=name_zh, name_en=name_en, tags=tags.split(),
                    price_cents=None if price is None else round(price * 100))
        db.session.add(dish)
        library[name_zh] = dish
    db.session.flush()
    monday = monday_of(today)
    for week_start, days in ((monday, 6), (monday + timedelta(days=7), 3)):
        week = services.get_or_create_week(week_start)
        for n in range(days):
            for meal, rotations in PLAN.items():
                for name in rotations[n % len(rotations)]:
                    services.add_item(week, week_start + timedelta(days=n), meal, library[name])
    this_week = services.get_or_create_week(monday)
    services.set_day(this_week, monday + timedelta(days=6), True, False, "周日休息")
    this_week.status, this_week.published_at = PUBLISHED, utcnow()
    db.session.commit()
