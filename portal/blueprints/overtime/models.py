"""Overtime records 加班登记, the ride-subsidy policy and taxi claims 加班打车补贴.

One evening's record drives both the night meal (canteen) and the claim. The database keeps
the two rules that must never be broken twice: one claim per person per evening, and one
claim per invoice number whoever files it.
"""

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, parse_hhmm, utcnow

# Where a claim is in its approval: waiting for the head, waiting for the office, returned
# to the employee to fix, approved.
WAITING_HEAD, WAITING_OFFICE, RETURNED, APPROVED = "head", "office", "returned", "approved"
STATUSES = {
    WAITING_HEAD: _l("Waiting for the department head"),
    WAITING_OFFICE: _l("Waiting for the office"),
    RETURNED: _l("Returned to fix"),
    APPROVED: _l("Approved"),
}
OPEN_STATUSES = (WAITING_HEAD, WAITING_OFFICE, RETURNED)
# The steps the history keeps, every round of them.
ACTIONS = {
    "submitted": _l("Submitted"),
    "approved": _l("Approved"),
    "returned": _l("Returned"),
}


class OvertimeRecord(db.Model):
    """An evening's overtime of one employee: one per person per day."""

    __tablename__ = "overtime_records"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_overtime_records_user_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[str] = mapped_column(String(5))  # local HH:MM
    end_time: Mapped[str | None] = mapped_column(String(5))  # None: not over yet
    expected_end: Mapped[str | None] = mapped_column(String(5))
    reason: Mapped[str] = mapped_column(String(200), default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])

    @property
    def eligible(self) -> bool:
        """Only a record with its real end time counts for a claim."""
        return bool(self.end_time)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def end_on(self) -> datetime | None:
        """The naive local moment the overtime ended; past midnight is the next day."""
        if not self.end_time:
            return None
        start, end = parse_hhmm(self.start_time), parse_hhmm(self.end_time)
        day = self.day + timedelta(days=1) if end <= start else self.day
        return datetime.combine(day, end)


class Policy(db.Model):
    """One version of the ride-subsidy policy, in force from `effective_from` until the next."""

    __tablename__ = "overtime_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(unique=True)
    earliest_end: Mapped[str] = mapped_column(String(5), default="21:00")
    ride_window_minutes: Mapped[int] = mapped_column(default=120)
    max_per_ride_cents: Mapped[int] = mapped_column(default=10000)
    monthly_cap_cents: Mapped[int] = mapped_column(default=80000)
    receipt_above_cents: Mapped[int] = mapped_column(default=0)
    rest_days_allowed: Mapped[bool] = mapped_column(default=True)
    holidays_allowed: Mapped[bool] = mapped_column(default=True)
    rest_day_earliest_end: Mapped[str] = mapped_column(String(5), default="18:00")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Claim(db.Model):
    """A taxi ride home after an evening's overtime."""

    __tablename__ = "overtime_claims"
    __table_args__ = (
        UniqueConstraint("user_id", "day", name="uq_overtime_claims_user_day"),
        UniqueConstraint("invoice_no", name="uq_overtime_claims_invoice_no"),
        # The office's review list: a month (and a status) in its order, read off the index.
        Index("ix_overtime_claims_review", "month", "status", "waiting_since", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("overtime_records.id",
                                                             ondelete="SET NULL"))
    day: Mapped[date] = mapped_column()  # the overtime evening
    month: Mapped[str] = mapped_column(String(7))  # "2026-12", of the evening: what closes
    from_district: Mapped[str] = mapped_column(String(20))
    to_district: Mapped[str] = mapped_column(String(20))
    ride_at: Mapped[datetime] = mapped_column(UTCDateTime)
    amount_cents: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(200), default="")
    invoice_no: Mapped[str | None] = mapped_column(String(30))
    invoice_date: Mapped[date | None] = mapped_column()
    invoice_amount_cents: Mapped[int | None] = mapped_column()
    # Receipt: a re-encoded photo or the e-invoice PDF; removed after the retention period.
    receipt: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    receipt_mime: Mapped[str] = mapped_column(String(40), default="")
    receipt_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warnings: Mapped[str] = mapped_column(String(500), default="")  # invoice mismatches
    status: Mapped[str] = mapped_column(String(10), default=WAITING_HEAD, index=True)
    round: Mapped[int] = mapped_column(default=1)
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # for this wait only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    record: Mapped[OvertimeRecord | None] = relationship()
    steps: Mapped[list["ClaimStep"]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="ClaimStep.id")

    @property
    def amount(self) -> str:
        return f"¥{self.amount_cents / 100:.2f}"

    @property
    def has_receipt(self) -> bool:
        return bool(self.receipt_mime) and self.receipt_removed_at is None

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])


class ClaimStep(db.Model):
    """One step of a claim's history: submitted, approved or returned, in its round."""

    __tablename__ = "overtime_claim_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("overtime_claims.id", ondelete="CASCADE"),
                                          index=True)
    round: Mapped[int] = mapped_column()
    stage: Mapped[str] = mapped_column(String(10))  # head / office / employee
    action: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="steps")
    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")
    on_behalf_of = relationship("User", foreign_keys=[on_behalf_of_id])

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


class StandIn(db.Model):
    """Someone who approves in an approver's place from `first_day` to `last_day`."""

    __tablename__ = "overtime_stand_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                             index=True)
    stand_in_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                             index=True)
    first_day: Mapped[date] = mapped_column()
    last_day: Mapped[date] = mapped_column()

    approver = relationship("User", foreign_keys=[approver_id])
    stand_in = relationship("User", foreign_keys=[stand_in_id], lazy="joined")


class MonthClose(db.Model):
    """A closed month: its claims no longer change; then exported to finance, then paid."""

    __tablename__ = "overtime_month_closes"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OvertimeSettings(db.Model):
    """The module's settings, one row (see portal/settings.py)."""

    __tablename__ = "overtime_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_hours: Mapped[int] = mapped_column(default=24)
    receipt_retention_days: Mapped[int] = mapped_column(default=730)
