"""Reminders before a task is due and escalations after, run every few minutes by jobs.py.

A TaskAlert row per (task, kind, due time) is written with the notification, in one
transaction, so each is sent once however often (or however concurrently) the job runs; a moved
due time is a new due time and may be announced again.
"""

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlalchemy.exc import IntegrityError

from portal.blueprints.notifications.services import notify
from portal.blueprints.tasks.models import OWNER_WORKING, Task, TaskAlert, TaskEvent
from portal.blueprints.tasks.services import department_of, detail_path
from portal.extensions import db
from portal.i18n import N_

REMIND_BEFORE = timedelta(hours=24)


def _not_sent(kind: str):
    return ~exists().where(and_(TaskAlert.task_id == Task.id, TaskAlert.kind == kind,
                                TaskAlert.due_at == Task.due_at))


def _claim(task: Task, kind: str, now: datetime) -> bool:
    """Record the alert; False if another run recorded it first."""
    try:
        with db.session.begin_nested():
            db.session.add(TaskAlert(task_id=task.id, kind=kind, due_at=task.due_at, sent_at=now))
        return True
    except IntegrityError:
        return False


def _tell(user, title: str, task: Task) -> None:
    notify(user, title, link=detail_path(task.id), number=task.number, subject=task.title)


def send_task_alerts(now: datetime) -> tuple[int, int]:
    """Remind owners a day ahead (the head, while no one is named); once it is late, tell the
    owner, the assigner and the department's head, each person once. (reminded, escalated)"""
    due_soon = db.session.scalars(select(Task).where(
        Task.status.in_(OWNER_WORKING), Task.due_at > now, Task.due_at <= now + REMIND_BEFORE,
        _not_sent("remind")).order_by(Task.due_at)).all()
    reminded = 0
    for task in due_soon:
        if _claim(task, "remind", now):
            department = department_of(task)
            if task.owner is not None:
                _tell(task.owner, N_("Task %(number)s is due soon: %(subject)s"), task)
            elif department is not None and department.head is not None:
                _tell(department.head, N_("Task %(number)s is due soon and no one in your "
                                          "department is named to do it"), task)
            db.session.add(TaskEvent(task_id=task.id, action="reminded", created_at=now))
            reminded += 1
    late = db.session.scalars(select(Task).where(
        Task.status.in_(OWNER_WORKING), Task.due_at <= now,
        _not_sent("escalate")).order_by(Task.due_at)).all()
    escalated = 0
    for task in late:
        if not _claim(task, "escalate", now):
            continue
        department = department_of(task)
        told = set()
        if task.owner is not None:
            _tell(task.owner, N_("Task %(number)s is overdue: %(subject)s"), task)
            told.add(task.owner_id)
        for person in (task.assigner, department.head if department else None):
            if person is not None and person.id not in told:
                _tell(person, N_("Overdue: task %(number)s, %(subject)s"), task)
                told.add(person.id)
        db.session.add(TaskEvent(task_id=task.id, action="escalated", created_at=now))
        escalated += 1
    return reminded, escalated
