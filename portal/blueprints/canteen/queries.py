"""Reads: weeks as employees and the canteen see them, tonight's headcount, ratings."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, extract, func, select
from sqlalchemy.orm import lazyload

from portal.blueprints.calendar.models import HOLIDAY
from portal.blueprints.calendar.queries import DayInfo, days_between
from portal.blueprints.canteen.models import (
    MEAL_ENDS,
    MEALS,
    CanteenSettings,
    DietPreference,
    Dish,
    DishRating,
    MenuDay,
    MenuItem,
    MenuWeek,
    NightReservation,
)
from portal.extensions import db
from portal.settings import read_settings
from portal.timeutil import monday_of


def settings() -> CanteenSettings:
    """The canteen's settings (the defaults until the canteen saves some)."""
    return read_settings(CanteenSettings)


def week_of(monday: date) -> MenuWeek | None:
    return db.session.scalar(select(MenuWeek).where(MenuWeek.monday == monday))


def published_week(monday: date) -> MenuWeek | None:
    """The week if employees may see it; an unpublished week does not exist for them."""
    week = week_of(monday)
    return week if week is not None and week.published else None


class DayMenu:
    """One day: its note/closed state and the dishes of each meal, in order.

    A day the canteen did not mark follows the company calendar: a public holiday, company
    day off or site closure is closed, with its name as the note.
    """

    def __init__(self, day: date, info: MenuDay | None, items: list[MenuItem],
                 calendar: DayInfo | None = None):
        self.day = day
        if info is None and calendar is not None and calendar.closed:
            self.closed, self.holiday, self.note = True, calendar.kind == HOLIDAY, calendar.name
        else:
            self.closed = bool(info and info.closed)
            self.holiday = bool(info and info.holiday)
            self.note = info.note if info else ""
        self.meals: dict[str, list[MenuItem]] = {meal: [] for meal in MEALS}
        for item in items:
            self.meals[item.meal].append(item)

    @property
    def empty(self) -> bool:
        return not any(self.meals.values())


def week_days(week: MenuWeek | None, monday: date) -> list[DayMenu]:
    """Seven DayMenus, Monday first (empty ones when there is no week)."""
    infos = {d.day: d for d in week.days} if week else {}
    by_day: dict[date, list[MenuItem]] = defaultdict(list)
    for item in week.items if week else []:
        by_day[item.day].append(item)
    calendar = {info.day: info for info in days_between(monday, monday + timedelta(days=6))}
    days = [monday + timedelta(days=n) for n in range(7)]
    return [DayMenu(day, infos.get(day), by_day[day], calendar[day]) for day in days]


def empty_open_days(week: MenuWeek) -> list[date]:
    """The week's days with no dish that are not marked closed (publishing warns of them)."""
    return [menu.day for menu in week_days(week, week.monday) if menu.empty and not menu.closed]


def meal_items(day: date, meal: str) -> list[MenuItem]:
    return list(db.session.scalars(
        select(MenuItem).where(MenuItem.day == day, MenuItem.meal == meal)
        .order_by(MenuItem.position, MenuItem.id)))


def published_day(day: date) -> DayMenu | None:
    """The day's menu when its week is published, else None."""
    week = published_week(monday_of(day))
    if week is None:
        return None
    return next(d for d in week_days(week, week.monday) if d.day == day)


def featured(now: datetime) -> tuple[date, list[str]]:
    """Which day and meal order to show first: the meal being served or next, by the clock.

    After the night meal (22:00) the next thing to eat is tomorrow's breakfast.
    """
    upcoming = upcoming_meals(now)
    if not upcoming:
        return now.date() + timedelta(days=1), list(MEALS)
    earlier = [meal for meal in MEALS if meal not in upcoming]
    return now.date(), upcoming + earlier


def upcoming_meals(now: datetime) -> list[str]:
    """Today's meals not over yet at `now` (local time)."""
    hhmm = now.strftime("%H:%M")
    return [meal for meal in MEALS if MEAL_ENDS[meal] > hhmm]


def allergens_of(user) -> set[str]:
    preference = db.session.get(DietPreference, user.id)
    return preference.allergens if preference else set()


def visible(items: list[MenuItem], tags: set[str], hidden_allergens: set[str]) -> list[MenuItem]:
    """Dishes having every chosen tag and none of the person's allergens."""
    wanted, hidden = set(tags), set(hidden_allergens)
    return [item for item in items
            if wanted <= set(item.dish.tags) and not item.dish.allergens & hidden]


def reservation_of(user, day: date) -> NightReservation | None:
    # The person is `user`, already loaded: not joined in again (nor their roles read again).
    return db.session.scalar(select(NightReservation).where(
        NightReservation.user_id == user.id, NightReservation.day == day)
        .options(lazyload(NightReservation.user)))


@cache
def _headcount_statement():
    """The dishes reserved on a day with their counts, in one statement (built once)."""
    counted = (select(NightReservation.dish_id, func.count().label("count"))
               .where(NightReservation.day == bindparam("day"))
               .group_by(NightReservation.dish_id).subquery())
    return select(Dish, counted.c.count).join(counted, counted.c.dish_id == Dish.id)


def headcount(day: date) -> list[tuple[Dish, int]]:
    """Night meals reserved for `day`, by dish, most first."""
    rows = db.session.execute(_headcount_statement(), {"day": day}).all()
    return sorted(((dish, count) for dish, count in rows),
                  key=lambda row: (-row[1], row[0].name_zh))


@cache
def _night_cutoff_statement():
    return select(CanteenSettings.night_cutoff).order_by(CanteenSettings.id).limit(1)


def night_cutoff() -> str:
    """When reservations close (local HH:MM): the one setting tonight's page shows."""
    saved = db.session.scalar(_night_cutoff_statement())
    return saved if saved is not None else CanteenSettings.__table__.c.night_cutoff.default.arg


# Guests the canteen also cooks for (a visit's meals): (template, rows(day)) pairs registered
# by the module that has them (visitors), so the canteen names no other module. The template
# shows its rows (by visit, never names) under tonight's headcount.
GUESTS: list = []


# What other modules offer beside tonight's night meal once it is cancelled (overtime: "not
# working late after all? cancel the overtime too"): (template, values(user, day) -> dict | None)
# pairs registered by the module that has it, as GUESTS are.
AFTER_NIGHT_CANCEL: list = []


def after_night_cancel(user, day: date) -> list[tuple[str, dict]]:
    """[(template, values)] of every offer that applies to `user` after cancelling tonight."""
    return [(template, values) for template, source in AFTER_NIGHT_CANCEL
            if (values := source(user, day))]


def guests(day: date) -> list[tuple[str, list]]:
    """[(template, rows)] of every registered guest source that has meals on `day`."""
    return [(template, rows) for template, source in GUESTS if (rows := source(day))]


def reservations(day: date) -> list[NightReservation]:
    """Everyone's night meal for `day` (the printable sheet lists names)."""
    return list(db.session.scalars(
        select(NightReservation).where(NightReservation.day == day)
        .order_by(NightReservation.dish_id, NightReservation.created_at)).unique())


def my_ratings(user, since: date) -> dict[tuple[int, date], int]:
    rows = db.session.execute(select(DishRating.dish_id, DishRating.served_on, DishRating.stars)
                              .where(DishRating.user_id == user.id,
                                     DishRating.served_on >= since)).all()
    return {(dish_id, served_on): stars for dish_id, served_on, stars in rows}


def last_months(today: date, months: int = 3) -> list[date]:
    """The first day of each of the last `months` months, oldest first, this month last."""
    firsts = [today.replace(day=1)]
    for _ in range(months - 1):
        firsts.insert(0, (firsts[0] - timedelta(days=1)).replace(day=1))
    return firsts


def rating_summary(today: date, months: int = 3) -> list[dict]:
    """Per dish: average and count overall and for each of `last_months`, best first.

    One query: the database sums and counts per (dish, month); the overall figures are the
    sum of a dish's months.
    """
    year = extract("year", DishRating.served_on)
    month = extract("month", DishRating.served_on)
    rows = db.session.execute(
        select(Dish, year, month, func.sum(DishRating.stars), func.count())
        .join(DishRating, DishRating.dish_id == Dish.id)
        .group_by(Dish.id, year, month))
    totals: dict[int, dict] = {}
    for dish, row_year, row_month, stars, count in rows:
        entry = totals.setdefault(dish.id, {"dish": dish, "stars": 0, "count": 0, "by_month": {}})
        entry["stars"] += stars
        entry["count"] += count
        entry["by_month"][(int(row_year), int(row_month))] = (stars / count, count)
    summary = []
    for entry in totals.values():
        summary.append({
            "dish": entry["dish"],
            "average": entry["stars"] / entry["count"],
            "count": entry["count"],
            "months": [(first, *entry["by_month"].get((first.year, first.month), (None, 0)))
                       for first in last_months(today, months)],
        })
    summary.sort(key=lambda row: (-row["average"], -row["count"]))
    return summary


def library(active_only: bool = True) -> list[Dish]:
    query = select(Dish).order_by(Dish.name_zh)
    if active_only:
        query = query.where(Dish.active.is_(True))
    return list(db.session.scalars(query))
