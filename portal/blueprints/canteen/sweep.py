"""A real object for each path argument of the canteen's pages, for the test suite's URL sweeps
(Module.url_arguments): a dish in the library, this week published with it on Monday."""

from portal.blueprints.canteen import services
from portal.blueprints.canteen.models import Dish
from portal.extensions import db
from portal.timeutil import local_today, monday_of


def url_arguments(make_user, make_department) -> dict:
    dish = Dish(name_zh="番茄炒蛋", name_en="Tomato and egg")
    db.session.add(dish)
    monday = monday_of(local_today())
    week = services.get_or_create_week(monday)
    services.add_item(week, monday, "lunch", dish)
    services.publish(week)
    db.session.commit()
    return {"dish_id": dish.id, "monday": monday, "day": monday, "fmt": "csv"}
