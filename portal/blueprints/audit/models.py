"""The audit log: who changed what and when, for every administrative action."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (
        # The log's filter: actions starting with what the office typed, newest first.
        Index("ix_audit_entries_action_id", "action", "id",
              postgresql_ops={"action": "text_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60), index=True)  # e.g. "user.create"
    target: Mapped[str] = mapped_column(String(120), default="")  # e.g. "user:42"
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User")
