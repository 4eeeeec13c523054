"""Reads for the task pages: one task for one person (or 404), the lists, the office's view."""

from datetime import datetime

from flask import abort
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.tasks.models import ACTIVE, SUBMITTED, Task
from portal.blueprints.tasks.services import can_see
from portal.extensions import db

LIST_LIMIT = 100


def get_task(task_id: int, user: User) -> Task:
    """The task if `user` may know of it; 404 otherwise (as if it did not exist)."""
    task = db.session.get(Task, task_id)
    if task is None or not can_see(task, user):
        abort(404)
    return task


def _listed(query, active_only: bool = True, limit: int = LIST_LIMIT) -> list[Task]:
    if active_only:
        query = query.where(Task.status.in_(ACTIVE))
    query = query.options(selectinload(Task.owner), selectinload(Task.assigner),
                          selectinload(Task.department))
    return list(db.session.scalars(query.order_by(Task.due_at, Task.id).limit(limit)))


def assigned_to(user: User, limit: int = LIST_LIMIT) -> list[Task]:
    return _listed(select(Task).where(Task.owner_id == user.id), limit=limit)


def assigned_by(user: User) -> list[Task]:
    return _listed(select(Task).where(Task.assigner_id == user.id))


def headed_departments(user: User) -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.head_id == user.id)))


def of_departments(departments: list[Department]) -> list[Task]:
    """Tasks given to these departments or to any of their people."""
    if not departments:
        return []
    ids = [d.id for d in departments]
    owner = aliased(User)
    return _listed(select(Task).outerjoin(owner, Task.owner_id == owner.id)
                   .where(or_(Task.department_id.in_(ids), owner.department_id.in_(ids))))


def _overdue(now: datetime):
    return (Task.status != SUBMITTED) & (Task.due_at <= now)


def my_counts(user: User, now: datetime) -> tuple[int, int]:
    """(open tasks assigned to me, of which overdue)."""
    row = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((_overdue(now), 1), else_=0)), 0))
        .where(Task.owner_id == user.id, Task.status.in_(ACTIVE))).one()
    return row[0], row[1]


def office_overview(now: datetime) -> list[tuple[str, int, int]]:
    """(department, open tasks, overdue) for every department with open tasks."""
    owner = aliased(User)
    department = func.coalesce(Task.department_id, owner.department_id)
    rows = db.session.execute(
        select(department, func.count(), func.sum(case((_overdue(now), 1), else_=0)))
        .select_from(Task).outerjoin(owner, Task.owner_id == owner.id)
        .where(Task.status.in_(ACTIVE)).group_by(department)).all()
    names = {d.id: d.name for d in db.session.scalars(select(Department))}
    return sorted(((names.get(dept_id, "—"), count, overdue or 0)
                   for dept_id, count, overdue in rows), key=lambda r: (-r[2], -r[1], r[0]))


def all_open() -> list[Task]:
    """Every task not yet accepted, for the office's export."""
    return _listed(select(Task), limit=None)
