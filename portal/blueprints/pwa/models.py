"""Outbox receipts: the first result of each client-generated submission id, kept for replays."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class OutboxReceipt(db.Model):
    __tablename__ = "outbox_receipts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the client's UUID
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    endpoint: Mapped[str] = mapped_column(String(80))
    status: Mapped[int] = mapped_column()
    location: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
