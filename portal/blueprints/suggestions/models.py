"""Suggestions 员工意见箱: the items, their supporters, answers and what the office did with them.

Anonymity lives here: an anonymous or paper item has no submitter_id, only the day it came in
(created_on, a date) and a random id, so neither its id nor a time of day can be matched
against any other record. See docs/suggestions.md for what is and is not stored.
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from portal.blueprints.accounts.models import Department, User
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

ONLINE, PAPER = "online", "paper"
OPEN, SOLVED, PLANNED, DECLINED, DONE, MERGED = (
    "open", "solved", "planned", "declined", "done", "merged")
STATUSES = {
    OPEN: _l("Waiting for an answer"),
    SOLVED: _l("Solved"),
    PLANNED: _l("Planned"),
    DECLINED: _l("Declined"),
    DONE: _l("Plan carried out"),
    MERGED: _l("Merged into another suggestion"),
}
OUTCOMES = (SOLVED, PLANNED, DECLINED)  # what an answer can say; DONE follows a planned task
ANSWERED = (SOLVED, PLANNED, DECLINED, DONE)
EVENTS = {
    "paper": _l("typed in from a paper slip"),
    "routed": _l("passed to a department"),
    "answerer": _l("asked to answer"),
    SOLVED: _l("answered: solved"),
    PLANNED: _l("answered: planned"),
    DECLINED: _l("answered: declined"),
    DONE: _l("the planned task was accepted"),
    "published": _l("published"),
    "merged": _l("merged into"),
    "merged_in": _l("took in the duplicate"),
}
RATINGS = {1: _l("1 very poor"), 2: _l("2 poor"), 3: _l("3 fair"), 4: _l("4 good"),
           5: _l("5 very good")}


def number_of(suggestion_id: int) -> str:
    """The number people quote: YJ- and the id in hex."""
    return f"YJ-{suggestion_id:X}"


class SuggestionCategory(db.Model):
    """The office's list of categories (canteen, shuttle, environment, facilities, IT, other)."""

    __tablename__ = "suggestion_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def name(self, locale: str) -> str:
        return self.name_en if str(locale).startswith("en") else self.name_zh


class Suggestion(db.Model):
    __tablename__ = "suggestions"
    __table_args__ = (
        Index("ix_suggestions_week", "created_on", "category_id"),
        Index("ix_suggestions_board", "published_at"),
        Index("ix_suggestions_board_category", "category_id", "published_at"),
        Index("ix_suggestions_status", "status", "created_on"),
    )

    # Random, not a sequence: a sequence would tell the order in which items came in.
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    category_id: Mapped[int] = mapped_column(ForeignKey("suggestion_categories.id"))
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(10), default=ONLINE)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Named online items only; never set for anonymous or paper ones.
    submitter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_on: Mapped[date] = mapped_column(Date)  # the local day, never the time
    # HMAC-SHA256 of the follow-up code (anonymous and paper items); the code itself is not kept.
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    code_hint: Mapped[str] = mapped_column(String(4), default="")  # paper slips: digest shows it
    # SHA-256 of the phone's outbox id: a replayed anonymous form is taken once, without the
    # outbox receipt (which names the user) outliving the request.
    intake_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str] = mapped_column(Text, default="")  # what was done / why not / reason
    answer_link: Mapped[str] = mapped_column(String(300), default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    plan_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    target_date: Mapped[date | None] = mapped_column(Date)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_version: Mapped[int] = mapped_column(default=0)  # +1 on every outcome change
    notified_version: Mapped[int] = mapped_column(default=0)  # the last one supporters heard
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    merged_into_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("suggestions.id"))
    plus_count: Mapped[int] = mapped_column(default=0)
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    rating_comment: Mapped[str] = mapped_column(Text, default="")
    reminded_holder_on: Mapped[date | None] = mapped_column(Date)
    reminded_office_on: Mapped[date | None] = mapped_column(Date)
    # Submitter replies up to this day have been told to those who answer (a day late, in a
    # batch: a notification's time must not tell when an anonymous reply was written).
    replies_told_on: Mapped[date | None] = mapped_column(Date)

    category: Mapped[SuggestionCategory] = relationship()
    department: Mapped[Department | None] = relationship()
    submitter: Mapped[User | None] = relationship(foreign_keys=[submitter_id])
    plan_owner: Mapped[User | None] = relationship(foreign_keys=[plan_owner_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    merged_into: Mapped["Suggestion | None"] = relationship(remote_side=[id])
    photo: Mapped["SuggestionPhoto | None"] = relationship(
        back_populates="suggestion", cascade="all, delete-orphan", uselist=False)
    messages: Mapped[list["SuggestionMessage"]] = relationship(
        back_populates="suggestion", cascade="all, delete-orphan",
        order_by="SuggestionMessage.id")

    @property
    def number(self) -> str:
        return number_of(self.id)

    @property
    def answered(self) -> bool:
        return self.status in ANSWERED


class SuggestionPhoto(db.Model):
    """The photo of an online item, or the scan of a paper slip: re-encoded, no metadata."""

    __tablename__ = "suggestion_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("suggestions.id", ondelete="CASCADE"), unique=True)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()

    suggestion: Mapped[Suggestion] = relationship(back_populates="photo")


class SuggestionMessage(db.Model):
    """A reply in the conversation under an item: from the submitter or from the staff.

    A submitter's reply carries no person and only the day; staff replies say who wrote them.
    """

    __tablename__ = "suggestion_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("suggestions.id", ondelete="CASCADE"), index=True)
    from_submitter: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # staff only
    body: Mapped[str] = mapped_column(Text)
    created_on: Mapped[date] = mapped_column(Date)

    suggestion: Mapped[Suggestion] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class SuggestionSupport(db.Model):
    """A +1 (once per person and item: the constraint, not the code, says so)."""

    __tablename__ = "suggestion_supports"
    __table_args__ = (UniqueConstraint("suggestion_id", "user_id", name="uq_suggestion_support"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("suggestions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class SuggestionFollow(db.Model):
    """Who hears about outcome changes: submitters (named), supporters, followers; can be off."""

    __tablename__ = "suggestion_follows"
    __table_args__ = (UniqueConstraint("suggestion_id", "user_id", name="uq_suggestion_follow"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("suggestions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class SuggestionAnswerer(db.Model):
    """Someone a department head named to answer an item routed to their department."""

    __tablename__ = "suggestion_answerers"
    __table_args__ = (UniqueConstraint("suggestion_id", "user_id", name="uq_suggestion_answerer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("suggestions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship()


class SuggestionEvent(db.Model):
    """The record of what the staff did (routed, answered, merged, published); never a submitter."""

    __tablename__ = "suggestion_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("suggestions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class AnswerTemplate(db.Model):
    """A ready answer for one outcome, which the answerer starts from and edits."""

    __tablename__ = "suggestion_answer_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
