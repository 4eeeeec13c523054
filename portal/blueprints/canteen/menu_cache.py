"""The published menu read and rendered once per change, then reused (issue 18).

What the menu shows everyone alike — a week's dishes, and its HTML for one language, one set
of filters and one set of hidden allergens — is kept in this process, keyed by the menu's
version: a number in the database that every flush touching dishes, weeks, days, menu items or
the company calendar increments in the same transaction as the change. Reading it is one small
query per page, and a committed edit is a new version: a kept menu is never stale. Nothing
personal (a reservation, a name, a form's CSRF token) is ever in what is kept; those are read
and rendered for each request.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from itertools import chain

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.blueprints.calendar.models import CompanyDay
from portal.blueprints.canteen.models import ALLERGENS, Dish, MenuDay, MenuItem, MenuWeek
from portal.extensions import db

KEPT = 512  # entries per process (weeks x languages x filter sets in use): 15 MB at most


class MenuVersion(db.Model):
    """One row: incremented by every change to what a published menu shows."""

    __tablename__ = "canteen_menu_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


WATCHED = (Dish, MenuWeek, MenuDay, MenuItem, CompanyDay)


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


class _Kept:
    """A bounded least-recently-used map shared by the threads of one worker."""

    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, build: Callable):
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        value = build()
        with self.lock:
            self.entries[key] = value
            while len(self.entries) > KEPT:
                self.entries.popitem(last=False)
        return value


def kept(version: int | None, key: tuple, build: Callable):
    """`build()`'s value for `key` at this menu version, built once and then reused."""
    if version is None:
        return build()
    store = current_app.extensions.setdefault("canteen_menu_kept", _Kept())
    return store.get((version, *key), build)


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
