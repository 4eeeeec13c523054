"""Canteen menu: a dish library, weeks of days x meals, night-meal reservations, ratings.

The shape follows OpenMensa (day -> meal -> dishes, closed days) with the dish kept once in a
library so the canteen picks it instead of retyping it.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

# Meals in serving order, with the local time each one ends (what "today first" shows when).
MEALS = {
    "breakfast": _l("Breakfast"),
    "lunch": _l("Lunch"),
    "dinner": _l("Dinner"),
    "night": _l("Night meal"),
}
MEAL_ENDS = {"breakfast": "09:30", "lunch": "13:30", "dinner": "19:30", "night": "22:00"}
MEAL_HOURS = {"breakfast": "06:30–09:30", "lunch": "11:00–13:30", "dinner": "17:00–19:30",
              "night": "20:00–22:00"}

# Taste and diet tags people filter by; allergens are what a person can hide.
DIET_TAGS = {
    "spicy": _l("Spicy"),
    "light": _l("Light"),
    "vegetarian": _l("Vegetarian"),
    "halal": _l("Halal"),
}
ALLERGENS = {
    "nuts": _l("Contains nuts"),
    "seafood": _l("Contains seafood"),
    "gluten": _l("Contains gluten"),
    "dairy": _l("Contains dairy"),
    "egg": _l("Contains egg"),
}
TAGS = {**DIET_TAGS, **ALLERGENS}

DRAFT, PUBLISHED = "draft", "published"


class Dish(db.Model):
    """A dish in the library, picked into menus."""

    __tablename__ = "canteen_dishes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(60), unique=True)
    name_en: Mapped[str] = mapped_column(String(80), default="")
    tags_text: Mapped[str] = mapped_column(String(200), default="")  # "spicy halal nuts"
    price_cents: Mapped[int | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def tags(self) -> list[str]:
        return [tag for tag in self.tags_text.split() if tag in TAGS]

    @tags.setter
    def tags(self, values) -> None:
        self.tags_text = " ".join(tag for tag in TAGS if tag in set(values))

    @property
    def allergens(self) -> set[str]:
        return set(self.tags) & set(ALLERGENS)

    def label(self, lang: str = "zh_CN") -> str:
        """The name in the viewer's language (Chinese when there is no English name)."""
        return self.name_en if lang == "en" and self.name_en else self.name_zh

    @property
    def price(self) -> str:
        return "" if self.price_cents is None else f"¥{self.price_cents / 100:.2f}"

    def __str__(self) -> str:
        return self.name_zh


class MenuWeek(db.Model):
    """One week's menu (Monday to Sunday); employees see it only once published."""

    __tablename__ = "canteen_weeks"

    id: Mapped[int] = mapped_column(primary_key=True)
    monday: Mapped[date] = mapped_column(unique=True)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    # Bumped on every change: part of the wall PDF's cache key, so a changed menu makes a new one.
    revision: Mapped[int] = mapped_column(default=1)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The "not published by the deadline" reminder for this week was sent (sent once).
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    items: Mapped[list["MenuItem"]] = relationship(
        back_populates="week", cascade="all, delete-orphan",
        order_by="(MenuItem.day, MenuItem.position, MenuItem.id)",
    )
    days: Mapped[list["MenuDay"]] = relationship(
        cascade="all, delete-orphan", order_by="MenuDay.day"
    )

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED


class MenuDay(db.Model):
    """A day that differs from normal: closed, or a holiday, with a note shown to everyone."""

    __tablename__ = "canteen_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("canteen_weeks.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(unique=True)
    closed: Mapped[bool] = mapped_column(default=False)
    holiday: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(80), default="")


class MenuItem(db.Model):
    """A dish served at one meal of one day."""

    __tablename__ = "canteen_items"
    __table_args__ = (
        UniqueConstraint("day", "meal", "dish_id", name="uq_canteen_items_day_meal_dish"),
        Index("ix_canteen_items_day_meal", "day", "meal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("canteen_weeks.id", ondelete="CASCADE"),
                                         index=True)
    day: Mapped[date] = mapped_column()
    meal: Mapped[str] = mapped_column(String(10))
    dish_id: Mapped[int] = mapped_column(ForeignKey("canteen_dishes.id"))
    position: Mapped[int] = mapped_column(default=0)

    week: Mapped[MenuWeek] = relationship(back_populates="items")
    dish: Mapped[Dish] = relationship(lazy="joined")


class NightReservation(db.Model):
    """An employee's night meal for one evening: one per person per day (cancel deletes it)."""

    __tablename__ = "canteen_night_reservations"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_canteen_night_user_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(index=True)
    dish_id: Mapped[int] = mapped_column(ForeignKey("canteen_dishes.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", lazy="joined")
    dish: Mapped[Dish] = relationship(lazy="joined")


class DishRating(db.Model):
    """An employee's 1-5 for a dish as served on one day (rating again replaces it)."""

    __tablename__ = "canteen_ratings"
    __table_args__ = (
        UniqueConstraint("user_id", "dish_id", "served_on", name="uq_canteen_ratings_once"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    dish_id: Mapped[int] = mapped_column(ForeignKey("canteen_dishes.id"), index=True)
    served_on: Mapped[date] = mapped_column()
    stars: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DietPreference(db.Model):
    """What a person cannot eat: their allergens are hidden from their menu."""

    __tablename__ = "canteen_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    allergens_text: Mapped[str] = mapped_column(String(200), default="")

    @property
    def allergens(self) -> set[str]:
        return allergens_in(self.allergens_text)


def allergens_in(text: str | None) -> set[str]:
    """The known allergens of a saved preference ("nuts seafood")."""
    return {a for a in (text or "").split() if a in ALLERGENS}


class CanteenSettings(db.Model):
    """The canteen's own settings, one row, editable by the canteen team and the office."""

    __tablename__ = "canteen_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    night_cutoff: Mapped[str] = mapped_column(String(5), default="17:30")  # local HH:MM
    deadline_weekday: Mapped[int] = mapped_column(default=4)  # Monday 0 .. Sunday 6
    deadline_time: Mapped[str] = mapped_column(String(5), default="15:00")
