"""Reads for the task pages: one task for one person (or 404), the lists, the office's view."""

from datetime import datetime, timedelta
from functools import cache

from flask import abort
from sqlalchemy import bindparam, case, func, literal, select, union
from sqlalchemy.orm import aliased, joinedload, lazyload, load_only

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.tasks.models import ACCEPTED, ACTIVE, CANCELLED, SUBMITTED, Task
from portal.blueprints.tasks.services import can_see
from portal.extensions import db
from portal.modules import NOW, USER_ID

LIST_LIMIT = 100
CLOSED_LIMIT = 20
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


def _either(*conditions):
    """Tasks matching any of these condition groups, each read through its own index: a union
    of ids, where an OR lets SQLite fall back to reading every open (or closed) task."""
    ids = union(*(select(Task.id).where(*group) for group in conditions))
    return Task.id.in_(ids.scalar_subquery())


def _overdue(now):
    """Past its due time and not waiting for acceptance (of an open task)."""
    return (Task.status != SUBMITTED) & (Task.due_at <= now)


# What a card shows, as plain rows (no Task, person or department objects): the title, state,
# due time and whether it is past, and the owner's or department's name, joined into the list's
# own statement. Each list's statement is built once and names the person and the moment
# through bind parameters; the open states are one parameter each, not an expanding list
# (which SQLAlchemy would write into the SQL again at every execution).
_OWNER = aliased(User, name="task_owner")
_ACTIVE = Task.status.in_([literal(status) for status in ACTIVE])
_CARD = (select(Task.id, Task.title, Task.status, Task.due_at,
                (_ACTIVE & _overdue(NOW)).label("overdue"),
                _OWNER.name.label("owner_name"), Department.name.label("department_name"))
         .select_from(Task).outerjoin(_OWNER, Task.owner_id == _OWNER.id)
         .outerjoin(Department, Task.department_id == Department.id))
_SOONEST = (Task.due_at, Task.id)
SINCE = bindparam("since")  # now - RECENT


def _cards(statement, user: User, now: datetime) -> list:
    """The rows of one list; on the session's connection, since they are plain rows (the ORM's
    result handling would add a third to each statement's time)."""
    return db.session.connection().execute(statement, {USER_ID.key: user.id, NOW.key: now,
                                                       SINCE.key: now - RECENT}).all()


@cache
def _mine():
    return _CARD.where(Task.owner_id == USER_ID, _ACTIVE).order_by(*_SOONEST).limit(LIST_LIMIT)


@cache
def _given():
    return (_CARD.where(Task.assigner_id == USER_ID, _ACTIVE)
            .order_by(case((Task.status == SUBMITTED, 0), else_=1), *_SOONEST)
            .limit(LIST_LIMIT))


@cache
def _closed():
    closed = (Task.status.in_([literal(ACCEPTED), literal(CANCELLED)]), Task.closed_at >= SINCE)
    return (_CARD.where(_either((Task.owner_id == USER_ID, *closed),
                                (Task.assigner_id == USER_ID, *closed)))
            .order_by(Task.closed_at.desc(), Task.id.desc()).limit(CLOSED_LIMIT))


@cache
def _of_departments():
    ids = select(Department.id).where(Department.head_id == USER_ID).scalar_subquery()
    people = select(User.id).where(User.department_id.in_(ids))  # then each one's open tasks
    return (_CARD.where(_either((Task.department_id.in_(ids), _ACTIVE),
                                (Task.owner_id.in_(people), _ACTIVE)))
            .order_by(*_SOONEST).limit(LIST_LIMIT))


@cache
def _heads_any():
    return select(Department.id).where(Department.head_id == USER_ID).limit(1)


def assigned_to(user: User, now: datetime) -> list:
    """My open tasks, soonest due first."""
    return _cards(_mine(), user, now)


def assigned_by(user: User, now: datetime) -> list:
    """What I assigned, those waiting for my acceptance first."""
    return _cards(_given(), user, now)


def recently_closed(user: User, now: datetime) -> list:
    """Given to me or by me, accepted or cancelled in the last RECENT days, latest first."""
    return _cards(_closed(), user, now)


def heads_a_department(user: User) -> bool:
    return db.session.connection().execute(_heads_any(), {USER_ID.key: user.id}).first() is not None


def of_departments(user: User, now: datetime) -> list:
    """Open tasks given to the departments `user` heads or to any of their people."""
    return _cards(_of_departments(), user, now)


def waiting_for(user: User) -> int:
    """How many tasks I assigned wait for my acceptance."""
    return db.session.scalar(select(func.count()).select_from(Task).where(
        Task.assigner_id == user.id, Task.status == SUBMITTED))


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


def open_in_department(department_id: int | None, now: datetime,
                       limit: int = LIST_LIMIT) -> list:
    """The open tasks of one department (None: of owners without one), soonest due first."""
    department = _department_expr(_OWNER)
    where = department.is_(None) if department_id is None else department == department_id
    return db.session.execute(
        _CARD.where(where, Task.status.in_(ACTIVE)).order_by(*_SOONEST).limit(limit),
        {NOW.key: now}).all()


def all_open() -> list[Task]:
    """Every task not yet accepted or cancelled, for the office's export."""
    person = (User.name, User.employee_no)
    return list(db.session.scalars(
        select(Task).where(Task.status.in_(ACTIVE))
        .options(load_only(Task.title, Task.status, Task.due_at, Task.owner_id,
                           Task.assigner_id, Task.department_id),
                 joinedload(Task.owner).options(load_only(*person), lazyload(User.role_rows),
                                                joinedload(User.department)),
                 joinedload(Task.assigner).options(load_only(*person), lazyload(User.role_rows)),
                 joinedload(Task.department))
        .order_by(*_SOONEST)))
