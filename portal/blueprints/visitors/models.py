"""Visits 客户接待: one visit (purpose, arrival, departure, host, reception owner, its room
booking), its visitors, what to prepare, its meals, and the office's reception standard.

A visit's checklist steps are tasks (portal/blueprints/tasks) whose source is the visit:
source_kind "visit", source_id the visit's id. Personal data (names, phones, ID fields, e-mail)
lives on Visitor rows only, so the retention purge blanks those and keeps the counts.
"""

import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.blueprints.accounts.models import User
from portal.blueprints.meetings.models import Meeting
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

SOURCE = "visit"  # Task.source_kind of a checklist step

EXPECTED, ON_SITE, DONE = "expected", "on_site", "done"
NOT_CHECKED_OUT, NO_SHOW, CANCELLED = "not_checked_out", "no_show", "cancelled"
STATUSES = {
    EXPECTED: _l("Expected"),
    ON_SITE: _l("Visitors on site"),
    DONE: _l("Visit over"),
    NOT_CHECKED_OUT: _l("Closed: not checked out"),
    NO_SHOW: _l("No-show"),
    CANCELLED: _l("Visit cancelled"),
}
OPEN_STATUSES = (EXPECTED, ON_SITE)

ID_TYPES = {"resident": _l("Resident ID card"), "passport": _l("Passport"),
            "hk_macau": _l("Mainland travel permit (HK/Macau)"), "other": _l("Other ID")}

MEALS = {"breakfast": _l("Breakfast"), "lunch": _l("Lunch"), "dinner": _l("Dinner"),
         "night": _l("Night meal")}

# Who a standard step goes to: the visit's reception owner, or its host.
OWNERS = {"reception": _l("Reception owner"), "host": _l("Visit host")}

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the desk


def new_code() -> str:
    """Opaque: random, says nothing about the visit or the visitor."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def visit_number(visit_id: int) -> str:
    """A visit's number as people quote it (on the pass, the desk, the canteen's list)."""
    return f"FK-{visit_id:05d}"


class Visit(db.Model):
    __tablename__ = "visits"
    __table_args__ = (
        Index("ix_visits_arrives", "arrives_at"),
        Index("ix_visits_host_arrives", "host_id", "arrives_at"),
        Index("ix_visits_status_departs", "status", "departs_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True, default=new_code)
    purpose: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(120), default="", index=True)
    arrives_at: Mapped[datetime] = mapped_column(UTCDateTime)
    departs_at: Mapped[datetime] = mapped_column(UTCDateTime)
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reception_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    status: Mapped[str] = mapped_column(String(20), default=EXPECTED)
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    visitor_count: Mapped[int] = mapped_column(default=0)  # kept after the purge
    notes: Mapped[str] = mapped_column(Text, default="")  # what visitors should bring, etc.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the day-before reminder
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    host: Mapped[User] = relationship(foreign_keys=[host_id])
    reception: Mapped[User | None] = relationship(foreign_keys=[reception_id])
    meeting: Mapped[Meeting | None] = relationship()
    visitors: Mapped[list["Visitor"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="Visitor.id")
    materials: Mapped[list["VisitMaterial"]] = relationship(
        cascade="all, delete-orphan", order_by="VisitMaterial.id")
    meals: Mapped[list["VisitMeal"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitMeal.day")

    @property
    def number(self) -> str:
        return visit_number(self.id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Visitor(db.Model):
    """One person of a visit. Name, mobile, ID and e-mail are blanked by the retention purge."""

    __tablename__ = "visit_visitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    company: Mapped[str] = mapped_column(String(120), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    id_type: Mapped[str] = mapped_column(String(20), default="")  # only when the office asks
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    not_checked_out: Mapped[bool] = mapped_column(Boolean, default=False)
    badge_prints: Mapped[int] = mapped_column(default=0)

    visit: Mapped[Visit] = relationship(back_populates="visitors")

    @property
    def on_site(self) -> bool:
        return self.checked_in_at is not None and self.checked_out_at is None


class VisitMaterial(db.Model):
    __tablename__ = "visit_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(120))
    quantity: Mapped[int] = mapped_column(default=1)


class VisitMeal(db.Model):
    """Guests at one meal of one day: the canteen counts them in that day's headcount."""

    __tablename__ = "visit_meals"
    __table_args__ = (Index("ix_visit_meals_day", "day", "cancelled"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    meal: Mapped[str] = mapped_column(String(12))
    headcount: Mapped[int] = mapped_column(default=1)
    diet_notes: Mapped[str] = mapped_column(String(200), default="")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    visit: Mapped[Visit] = relationship(back_populates="meals")


class ChecklistStep(db.Model):
    """One step of the reception standard, edited by the office; each visit gets it as a task."""

    __tablename__ = "visit_checklist_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(default=0)
    title_zh: Mapped[str] = mapped_column(String(80))
    title_en: Mapped[str] = mapped_column(String(80))
    acceptance: Mapped[str] = mapped_column(String(200))
    lead_minutes: Mapped[int] = mapped_column(default=60)  # due this long before the arrival
    owner: Mapped[str] = mapped_column(String(12), default="reception")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def label(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh


class VisitSettings(db.Model):
    """The module's settings, one row (portal/settings.py), edited by the office."""

    __tablename__ = "visit_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    ask_id_type: Mapped[bool] = mapped_column(Boolean, default=False)
    retention_days: Mapped[int] = mapped_column(default=30)  # after departure
    evening_hour: Mapped[int] = mapped_column(default=19)  # list who is still checked in
    address: Mapped[str] = mapped_column(String(200), default="")
