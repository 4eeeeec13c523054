"""A task, its timeline, and the reminders already sent about it."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from portal.blueprints.accounts.models import Department, User
from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

OPEN, IN_PROGRESS, SUBMITTED = "open", "in_progress", "submitted"
ACCEPTED, RETURNED, CANCELLED = "accepted", "returned", "cancelled"
STATUSES = {
    OPEN: _l("Not started"),
    IN_PROGRESS: _l("Being worked on"),
    SUBMITTED: _l("Waiting for acceptance"),
    RETURNED: _l("Returned"),
    ACCEPTED: _l("Accepted as done"),
    CANCELLED: _l("Cancelled"),
}
ACTIVE = (OPEN, IN_PROGRESS, SUBMITTED, RETURNED)  # everything not yet accepted or cancelled
OWNER_WORKING = (OPEN, IN_PROGRESS, RETURNED)  # the owner may report and submit

NUMBER = "DB-%05d"  # a task's number, as people quote it: its id, padded

ACTIONS = {
    "created": _l("assigned"),
    "assigned": _l("assigned to a person"),
    "started": _l("started"),
    "progress": _l("reported progress"),
    "update_requested": _l("asked for an update"),
    "submitted": _l("submitted for acceptance"),
    "accepted": _l("accepted"),
    "returned": _l("returned"),
    "due_moved": _l("moved the due time"),
    "cancelled": _l("cancelled the task"),
    "reminded": _l("reminder sent"),
    "escalated": _l("overdue: escalated"),
}


class Task(db.Model):
    __tablename__ = "tasks"
    # "My tasks" read one person's (or department's) open tasks soonest first: each list has
    # its own index, so it stays as fast with 100,000 tasks as with 1,000 (bench/tasks_lists.py).
    __table_args__ = (Index("ix_tasks_status_due", "status", "due_at"),
                      Index("ix_tasks_owner_status", "owner_id", "status", "due_at"),
                      Index("ix_tasks_assigner_status", "assigner_id", "status", "due_at"),
                      Index("ix_tasks_department_status", "department_id", "status", "due_at"),
                      Index("ix_tasks_source", "source_kind", "source_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(Text, default="")
    acceptance: Mapped[str] = mapped_column(Text)  # 验收标准: what "done" means, required
    assigner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # A person, or a department whose head then names the person (owner_id stays empty till then).
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    result: Mapped[str] = mapped_column(Text, default="")  # what the owner says was done
    # Where the task came from (a meeting, a visit step, a suggestion): kind + id, optional;
    # the kinds are declared by the modules that create them (sources.py).
    source_kind: Mapped[str] = mapped_column(String(20), default="")
    source_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assigner: Mapped[User] = relationship(foreign_keys=[assigner_id])
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    department: Mapped[Department | None] = relationship()
    events: Mapped[list["TaskEvent"]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskEvent.id")

    @property
    def number(self) -> str:
        return NUMBER % self.id

    def is_overdue(self, now: datetime) -> bool:
        return self.status in ACTIVE and self.status != SUBMITTED and self.due_at <= now


class TaskEvent(db.Model):
    """One line of a task's timeline: who did what, with what they wrote."""

    __tablename__ = "task_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    due_from: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a moved due time: from,
    due_to: Mapped[datetime | None] = mapped_column(UTCDateTime)  # and to
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    task: Mapped[Task] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    attachments: Mapped[list["TaskAttachment"]] = relationship(
        back_populates="event", order_by="TaskAttachment.id")


class TaskAttachment(db.Model):
    """A photo (re-encoded, no metadata) or a document sent with a submitted result; kept in the
    database so every app server can serve it, and served only to those who see the task."""

    __tablename__ = "task_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("task_events.id", ondelete="CASCADE"),
                                          index=True)
    kind: Mapped[str] = mapped_column(String(10))  # photo | file
    filename: Mapped[str] = mapped_column(String(100))
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(default=0)
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    task: Mapped[Task] = relationship()
    event: Mapped[TaskEvent] = relationship(back_populates="attachments")

    @property
    def size_label(self) -> str:
        return (f"{self.size / 1048576:.1f} MB" if self.size >= 1048576
                else f"{max(1, round(self.size / 1024))} KB")


class TaskAlert(db.Model):
    """A reminder or escalation already sent for one due time: never the same one twice."""

    __tablename__ = "task_alerts"
    __table_args__ = (UniqueConstraint("task_id", "kind", "due_at", name="uq_task_alert"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
