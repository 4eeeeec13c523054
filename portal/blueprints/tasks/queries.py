"""Reads for the task pages: one task for one person (or 404), the lists, the office's view."""

from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import case, func, select, union
from sqlalchemy.orm import aliased, joinedload, load_only

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.tasks.models import ACCEPTED, ACTIVE, CANCELLED, SUBMITTED, Task
from portal.blueprints.tasks.services import can_see
from portal.extensions import db

LIST_LIMIT = 100
RECENT = timedelta(days=30)  # how long an accepted or cancelled task stays in "my tasks"


def get_task(task_id: int, user: User, lock: bool = False) -> Task:
    """The task if `user` may know of it; 404 otherwise (as if it did not exist).

    `lock` (for a step) holds the row until the commit: two people accepting at the same moment
    take turns, and the second finds it already accepted instead of accepting it again."""
    task = (db.session.get(Task, task_id, with_for_update=True, populate_existing=True) if lock
            else db.session.get(Task, task_id))
    if task is None or not can_see(task, user):
        abort(404)
    return task


# What a card shows: the people and department joined into the list's own query (one statement
# per list, not three more), and of each only the columns shown (not a task's texts, nor a
# person's roles or password hash).
_PERSON = (User.name, User.employee_no)
_SHOWN = (load_only(Task.title, Task.status, Task.due_at, Task.owner_id, Task.assigner_id,
                    Task.department_id, Task.closed_at),
          joinedload(Task.owner).load_only(*_PERSON).lazyload(User.role_rows),
          joinedload(Task.assigner).load_only(*_PERSON).lazyload(User.role_rows),
          joinedload(Task.department).load_only(Department.name))


def _listed(query, active_only: bool = True, limit: int | None = LIST_LIMIT,
            first=None) -> list[Task]:
    """Open tasks (by default) soonest due first, with the people and departments shown."""
    if active_only:
        query = query.where(Task.status.in_(ACTIVE))
    query = query.options(*_SHOWN)
    order = ([first] if first is not None else []) + [Task.due_at, Task.id]
    return list(db.session.scalars(query.order_by(*order).limit(limit)))


def assigned_to(user: User, limit: int = LIST_LIMIT) -> list[Task]:
    return _listed(select(Task).where(Task.owner_id == user.id), limit=limit)


def assigned_by(user: User) -> list[Task]:
    """What I assigned, those waiting for my acceptance first."""
    return _listed(select(Task).where(Task.assigner_id == user.id),
                   first=case((Task.status == SUBMITTED, 0), else_=1))


def waiting_for(user: User) -> int:
    """How many tasks I assigned wait for my acceptance."""
    return db.session.scalar(select(func.count()).select_from(Task).where(
        Task.assigner_id == user.id, Task.status == SUBMITTED))


def recently_closed(user: User, now: datetime, limit: int = 20) -> list[Task]:
    """Given to me or by me, accepted or cancelled in the last RECENT days, latest first."""
    closed = (Task.status.in_((ACCEPTED, CANCELLED)), Task.closed_at >= now - RECENT)
    return list(db.session.scalars(
        select(Task).where(_either((Task.owner_id == user.id, *closed),
                                   (Task.assigner_id == user.id, *closed)))
        .options(*_SHOWN)
        .order_by(Task.closed_at.desc(), Task.id.desc()).limit(limit)))


def _either(*conditions):
    """Tasks matching any of these condition groups, each read through its own index: a union
    of ids, where an OR lets SQLite fall back to reading every open (or closed) task."""
    ids = union(*(select(Task.id).where(*group) for group in conditions))
    return Task.id.in_(ids.scalar_subquery())


def headed_departments(user: User) -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.head_id == user.id)))


def of_departments(departments: list[Department]) -> list[Task]:
    """Tasks given to these departments or to any of their people."""
    if not departments:
        return []
    ids = [d.id for d in departments]
    active = Task.status.in_(ACTIVE)
    people = select(User.id).where(User.department_id.in_(ids))  # then each one's open tasks
    return _listed(select(Task).where(_either((Task.department_id.in_(ids), active),
                                              (Task.owner_id.in_(people), active))))


def _overdue(now: datetime):
    return (Task.status != SUBMITTED) & (Task.due_at <= now)


def my_counts(user: User, now: datetime) -> tuple[int, int]:
    """(open tasks assigned to me, of which overdue)."""
    row = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((_overdue(now), 1), else_=0)), 0))
        .where(Task.owner_id == user.id, Task.status.in_(ACTIVE))).one()
    return row[0], row[1]


def _department_expr(owner):
    return func.coalesce(Task.department_id, owner.department_id)


def office_overview(now: datetime) -> list[tuple[int | None, str, int, int]]:
    """(department id, name, open tasks, overdue) for every department with open tasks, the
    most overdue first; id None gathers tasks whose owner has no department."""
    owner = aliased(User)
    department = _department_expr(owner)
    rows = db.session.execute(
        select(department, func.count(), func.sum(case((_overdue(now), 1), else_=0)))
        .select_from(Task).outerjoin(owner, Task.owner_id == owner.id)
        .where(Task.status.in_(ACTIVE)).group_by(department)).all()
    names = {d.id: d.name for d in db.session.scalars(select(Department))}
    return sorted(((dept_id, names.get(dept_id, "—"), count, overdue or 0)
                   for dept_id, count, overdue in rows), key=lambda r: (-r[3], -r[2], r[1]))


def open_in_department(department_id: int | None, limit: int = LIST_LIMIT) -> list[Task]:
    """The open tasks of one department (None: of owners without one), soonest due first."""
    owner = aliased(User)
    department = _department_expr(owner)
    where = department.is_(None) if department_id is None else department == department_id
    return _listed(select(Task).outerjoin(owner, Task.owner_id == owner.id).where(where),
                   limit=limit)


def all_open() -> list[Task]:
    """Every task not yet accepted or cancelled, for the office's export."""
    return _listed(select(Task).options(joinedload(Task.owner).joinedload(User.department)),
                   limit=None)
