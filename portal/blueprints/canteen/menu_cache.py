"""The published menu read and rendered once per change, then reused (issue 18).

What the menu shows everyone alike — a week's dishes, and its HTML for one language, one set
of filters and one set of hidden allergens — is kept in this process, keyed by the menu's
version: a number in the database that every flush touching dishes, weeks, days, menu items,
the company calendar or the canteen's settings increments in the same transaction as the
change. Reading it is one small query per page (together with the person's allergens and
tonight's reservation: `personal`), and a committed edit is a new version: a kept menu is never
stale. Nothing personal (a reservation, a name, a form's CSRF token) is ever in what is kept;
those are read and rendered for each request.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import chain

from flask import current_app
from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import sql
from portal.blueprints.calendar.models import CompanyDay
from portal.blueprints.canteen.models import (
    ALLERGENS,
    CanteenSettings,
    DietPreference,
    Dish,
    MenuDay,
    MenuItem,
    MenuWeek,
    NightReservation,
    allergens_in,
)
from portal.extensions import db
from portal.keys import Recent

KEPT = 512  # entries per process (weeks x languages x filter sets in use): 15 MB at most


class MenuVersion(db.Model):
    """One row: incremented by every change to what a published menu shows."""

    __tablename__ = "canteen_menu_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


# The canteen's settings too: the cut-off and meal hours are shown beside the menu.
WATCHED = (Dish, MenuWeek, MenuDay, MenuItem, CompanyDay, CanteenSettings)


@event.listens_for(Session, "before_flush")
def _count_menu_change(session, _flush_context, _instances) -> None:
    """A flush that adds, changes or deletes menu data moves the version on, in its transaction."""
    touched = any(isinstance(obj, WATCHED) for obj in chain(session.new, session.deleted)) or any(
        isinstance(obj, WATCHED) and session.is_modified(obj) for obj in session.dirty)
    if not touched:
        return
    moved = session.execute(update(MenuVersion).values(version=MenuVersion.version + 1))
    if moved.rowcount == 0:  # the row is inserted by the migration; a test may have emptied it
        session.add(MenuVersion(id=1, version=1))


def current_version() -> int | None:
    """The menu's version now; None (nothing is kept) while the row does not exist."""
    return db.session.scalar(select(MenuVersion.version).where(MenuVersion.id == 1))


@dataclass(frozen=True)
class Personal:
    """What the menu page reads for its person, with the menu's version, in one statement."""

    version: int | None
    allergens: set[str]
    reserved_dish_id: int | None  # tonight's night meal

    @property
    def allergens_key(self) -> frozenset[str]:
        return frozenset(self.allergens)


@cache
def _personal_statement():
    """The version, the person's allergens and tonight's reservation: built once."""
    person, day = bindparam("person"), bindparam("day")
    allergens = (select(DietPreference.allergens_text)
                 .where(DietPreference.user_id == person).scalar_subquery())
    reserved = (select(NightReservation.dish_id)
                .where(NightReservation.user_id == person, NightReservation.day == day)
                .scalar_subquery())
    version = select(MenuVersion.version).where(MenuVersion.id == 1).scalar_subquery()
    return select(version, allergens, reserved)


def personal(user, day: date, connection=None) -> Personal:
    """Plain columns: on `connection` (the GET page's plain_reads), or on the session's."""
    version, allergens, reserved = sql.one(_personal_statement(), {"person": user.id, "day": day},
                                           connection)
    return Personal(version, allergens_in(allergens), reserved)


def settings(version: int | None):
    """The canteen's settings at this version, detached (shared by the threads of a worker)."""
    from portal.blueprints.canteen import queries

    def read():
        row = queries.settings()
        return SettingsView(**{column.key: getattr(row, column.key)
                               for column in CanteenSettings.__table__.columns})

    return kept(version, ("settings",), read)


class SettingsView:
    """A read-only copy of CanteenSettings' columns."""

    def __init__(self, **values):
        self.__dict__.update(values)

    def __setattr__(self, name, value):
        raise AttributeError("settings kept for the menu are read-only")


def kept(version: int | None, key: tuple, build: Callable):
    """`build()`'s value for `key` at this menu version, built once and then reused."""
    if version is None:
        return build()
    store = current_app.extensions.setdefault("canteen_menu_kept", Recent(KEPT))
    value = store.get((version, *key))
    if value is None:
        value = build()
        store.put((version, *key), value)
    return value


@dataclass(frozen=True)
class DishView:
    """A dish as a menu shows it, detached from any database session (shared across requests)."""

    id: int
    name_zh: str
    name_en: str
    tags: tuple[str, ...]
    price: str

    @classmethod
    def of(cls, dish: Dish) -> "DishView":
        return cls(dish.id, dish.name_zh, dish.name_en, tuple(dish.tags), dish.price)

    @property
    def allergens(self) -> set[str]:
        return set(self.tags) & set(ALLERGENS)

    def label(self, lang: str = "zh_CN") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_zh

    def __str__(self) -> str:
        return self.name_zh


@dataclass(frozen=True)
class ItemView:
    """One dish of one meal on one day."""

    id: int
    day: date
    meal: str
    dish_id: int
    dish: DishView


def published_menu(version: int | None, monday: date) -> tuple[bool, list]:
    """(published?, seven DayMenus) of the week starting `monday`, as employees see it."""
    from portal.blueprints.canteen import queries

    def read() -> tuple[bool, list]:
        week = queries.published_week(monday)
        days = queries.week_days(week, monday) if week else []
        for menu in days:
            menu.meals = {meal: [ItemView(item.id, item.day, item.meal, item.dish_id,
                                          DishView.of(item.dish)) for item in items]
                          for meal, items in menu.meals.items()}
        return week is not None, days

    return kept(version, ("week", monday), read)
