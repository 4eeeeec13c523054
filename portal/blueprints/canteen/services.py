"""Writes with several steps: editing a week, publishing, reservations, ratings, preferences.

Services flush; the route or job commits. A refusal a person must read is a `Refused`
carrying the translated message.
"""

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import settings
from portal.blueprints.audit.services import record
from portal.blueprints.canteen import queries
from portal.blueprints.canteen.models import (
    ALLERGENS,
    DRAFT,
    MEALS,
    PUBLISHED,
    CanteenSettings,
    DietPreference,
    Dish,
    DishRating,
    MenuDay,
    MenuItem,
    MenuWeek,
    NightReservation,
)
from portal.errors import Refused
from portal.extensions import db
from portal.timeutil import local_at, utcnow

EDITORS = ("canteen", "office")  # who edits the menu and prints the wall PDF


def next_steps(week: MenuWeek | None, user) -> list[str]:
    """What `user` may do with a week (None: nothing saved yet) on its editing page, in order.

    The page shows these and nothing else; each step checks again when taken.
    """
    if not user.has_role(*EDITORS):
        return []
    steps = ["copy"] if week is None or not week.items else []
    steps.append("unpublish" if week is not None and week.published else "publish")
    if week is not None:
        steps.append("pdf")
    return steps


def get_or_create_week(monday: date) -> MenuWeek:
    """The week starting `monday`, created as an empty draft when missing."""
    week = queries.week_of(monday)
    if week is None:
        week = MenuWeek(monday=monday, status=DRAFT, revision=1)
        db.session.add(week)
        db.session.flush()
    return week


def _changed(week: MenuWeek) -> None:
    week.revision = (week.revision or 0) + 1


def add_item(week: MenuWeek, day: date, meal: str, dish: Dish) -> MenuItem:
    """Put a library dish at the end of one meal of one day."""
    if not week.monday <= day < week.monday + timedelta(days=7) or meal not in MEALS:
        raise Refused(_("This day is not in the week."))
    if not dish.active:
        raise Refused(_("This dish is no longer in the library."))
    current = queries.meal_items(day, meal)
    if any(item.dish_id == dish.id for item in current):
        raise Refused(_already_on_meal(dish))
    item = MenuItem(day=day, meal=meal, dish=dish,
                    position=max((i.position for i in current), default=-1) + 1)
    try:
        # A double click: the unique constraint decides. The item joins the session inside the
        # savepoint (begin_nested flushes what is pending first, outside it).
        with db.session.begin_nested():
            week.items.append(item)
    except IntegrityError:
        raise Refused(_already_on_meal(dish)) from None
    _changed(week)
    db.session.flush()
    record("canteen.add_dish", f"canteen_week:{week.monday}", day=day.isoformat(), meal=meal,
           dish=dish.name_zh)
    return item


def _already_on_meal(dish: Dish) -> str:
    return _("%(dish)s is already on this meal.", dish=dish.name_zh)


def remove_item(item: MenuItem) -> None:
    """Take a dish off a meal."""
    _changed(item.week)
    record("canteen.remove_dish", f"canteen_week:{item.week.monday}", day=item.day.isoformat(),
           meal=item.meal, dish=item.dish.name_zh)
    db.session.delete(item)
    db.session.flush()


def move_item(item: MenuItem, step: int) -> None:
    """Move a dish up (-1) or down (+1) within its meal."""
    items = queries.meal_items(item.day, item.meal)
    index = items.index(item)
    other = index + step
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items):  # renumber: positions stay dense and unique
        each.position = position
    _changed(item.week)
    record("canteen.move_dish", f"canteen_week:{item.week.monday}", day=item.day.isoformat(),
           meal=item.meal, dish=item.dish.name_zh, position=item.position)
    db.session.flush()


def set_day(week: MenuWeek, day: date, closed: bool, holiday: bool, note: str) -> None:
    """Mark a day closed or a holiday (with a note), or back to normal."""
    info = next((d for d in week.days if d.day == day), None)
    if info is None:
        info = MenuDay(day=day)
        week.days.append(info)
    info.closed, info.holiday, info.note = closed, holiday, note.strip()
    _changed(week)
    record("canteen.day", f"canteen_week:{week.monday}", day=day.isoformat(), closed=closed,
           holiday=holiday, note=info.note)
    db.session.flush()


def copy_previous_week(week: MenuWeek) -> int:
    """Fill an empty week with last week's dishes, day by day; returns how many were copied."""
    if week.items:
        raise Refused(_("This week already has dishes; copying would mix two menus."))
    source = queries.week_of(week.monday - timedelta(days=7))
    if source is None or not source.items:
        raise Refused(_("Last week has no menu to copy."))
    for item in source.items:
        if item.dish.active:
            db.session.add(MenuItem(week=week, day=item.day + timedelta(days=7), meal=item.meal,
                                    dish=item.dish, position=item.position))
    _changed(week)
    db.session.flush()
    record("canteen.copy_week", f"canteen_week:{week.monday}", source=source.monday.isoformat())
    return len(week.items)


def publish(week: MenuWeek) -> None:
    """Make the week visible to employees."""
    if not week.items:
        raise Refused(_("An empty week cannot be published."))
    week.status, week.published_at = PUBLISHED, utcnow()
    _changed(week)
    record("canteen.publish", f"canteen_week:{week.monday}", revision=week.revision)


def unpublish(week: MenuWeek) -> None:
    """Back to draft: employees no longer see the week."""
    week.status = DRAFT
    _changed(week)
    record("canteen.unpublish", f"canteen_week:{week.monday}", revision=week.revision)


def cutoff_of(day: date, now: datetime) -> datetime:
    return local_at(day, queries.settings().night_cutoff, now.tzinfo)


def reserve_night_meal(user, day: date, dish_id: int, now: datetime) -> NightReservation:
    """Reserve tonight's night meal before the cut-off; one per person per evening."""
    if day != now.date():
        raise Refused(_("Night meals can only be reserved for tonight."))
    if now >= cutoff_of(day, now):
        raise Refused(_("Reservations for tonight closed at %(time)s.",
                             time=queries.settings().night_cutoff))
    menu = queries.published_day(day)
    if menu is None or menu.closed:
        raise Refused(_("There is no night meal tonight."))
    if dish_id not in {item.dish_id for item in menu.meals["night"]}:
        raise Refused(_("Choose one of tonight's dishes."))
    if queries.reservation_of(user, day) is not None:
        raise Refused(_("You have already reserved tonight's night meal."))
    reservation = NightReservation(user_id=user.id, day=day, dish_id=dish_id)
    try:
        # Two tabs at once: the unique constraint decides. Added inside the savepoint, since
        # begin_nested flushes what is already pending outside it.
        with db.session.begin_nested():
            db.session.add(reservation)
    except IntegrityError:
        raise Refused(_("You have already reserved tonight's night meal.")) from None
    return reservation


def cancel_night_meal(user, day: date, now: datetime) -> None:
    """Cancel one's night meal, only before the cut-off."""
    reservation = queries.reservation_of(user, day)
    if reservation is None:
        raise Refused(_("You have no night meal reserved tonight."))
    if now >= cutoff_of(day, now):
        raise Refused(_("Reservations for tonight closed at %(time)s; it can no longer "
                             "be cancelled.", time=queries.settings().night_cutoff))
    db.session.delete(reservation)
    db.session.flush()


def rate_dish(user, item: MenuItem, stars: int, today: date) -> DishRating:
    """Rate a dish the person could have eaten: on a published menu, today or before."""
    info = next((d for d in item.week.days if d.day == item.day), None)
    if not item.week.published or item.day > today or (info and info.closed):
        raise Refused(_("You can rate a dish once it has been served."))
    if not 1 <= stars <= 5:
        raise Refused(_("Choose one to five stars."))
    rating = db.session.scalar(select(DishRating).where(
        DishRating.user_id == user.id, DishRating.dish_id == item.dish_id,
        DishRating.served_on == item.day))
    if rating is None:
        rating = DishRating(user_id=user.id, dish_id=item.dish_id, served_on=item.day)
        db.session.add(rating)
    rating.stars = stars
    db.session.flush()
    return rating


def save_preferences(user, allergens) -> DietPreference:
    """Remember which allergens this person wants hidden."""
    preference = db.session.get(DietPreference, user.id) or DietPreference(user_id=user.id)
    preference.allergens_text = " ".join(a for a in ALLERGENS if a in set(allergens))
    db.session.add(preference)
    db.session.flush()
    return preference


def save_settings(night_cutoff: str, deadline_weekday: int, deadline_time: str) -> None:
    """Store the cut-off and the publishing deadline."""
    settings.save_settings(CanteenSettings, "canteen.settings", night_cutoff=night_cutoff,
                           deadline_weekday=deadline_weekday, deadline_time=deadline_time)


def save_dish(dish: Dish | None, data: dict) -> Dish:
    """Create or edit a library dish."""
    clash = db.session.scalar(select(Dish).where(func.lower(Dish.name_zh) ==
                                                 data["name_zh"].strip().lower()))
    if clash is not None and clash is not dish:
        raise Refused(_("A dish with this name is already in the library."))
    if dish is None:
        dish = Dish()
        db.session.add(dish)
    dish.name_zh, dish.name_en = data["name_zh"].strip(), data["name_en"].strip()
    dish.tags = data["tags"]
    dish.price_cents = None if data["price"] is None else round(data["price"] * 100)
    dish.active = data["active"]
    db.session.flush()
    for week in _weeks_serving(dish):  # the wall PDF shows names: a rename is a menu change
        _changed(week)
    record("canteen.dish", f"canteen_dish:{dish.id}", name=dish.name_zh)
    return dish


def _weeks_serving(dish: Dish) -> list[MenuWeek]:
    return list(db.session.scalars(select(MenuWeek).join(MenuItem)
                                   .where(MenuItem.dish_id == dish.id).distinct()))
