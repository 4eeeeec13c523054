"""Reads for the task pages: one task for one person (or 404), the lists, the office's view."""

from datetime import datetime, timedelta
from functools import cache

from flask import abort
from sqlalchemy import bindparam, case, cast, func, literal, null, select, union, union_all
from sqlalchemy.orm import aliased, joinedload, lazyload, load_only

from portal import sql
from portal.blueprints.accounts.models import Department, User
from portal.blueprints.tasks.models import ACCEPTED, ACTIVE, CANCELLED, SUBMITTED, Task
from portal.blueprints.tasks.services import can_see
from portal.extensions import db
from portal.modules import NOW, USER_ID
from portal.sql import one_of

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
# own statement. Statements are built once and name the person and the moment through bind
# parameters; the open states are one parameter each, not an expanding list (which SQLAlchemy
# would write into the SQL again at every execution).
_OWNER = aliased(User, name="task_owner")
_ACTIVE = one_of(Task.status, ACTIVE)
_CARD_COLUMNS = (Task.id, Task.title, Task.status, Task.due_at,
                 (_ACTIVE & _overdue(NOW)).label("overdue"),
                 _OWNER.name.label("owner_name"), Department.name.label("department_name"))
_SOONEST = (Task.due_at, Task.id)
SINCE = bindparam("since")  # now - RECENT


def _card_select(*leading):
    return (select(*leading, *_CARD_COLUMNS).select_from(Task)
            .outerjoin(_OWNER, Task.owner_id == _OWNER.id)
            .outerjoin(Department, Task.department_id == Department.id))


_CARD = _card_select()

# "My tasks" shows these lists, read in one statement: each list is a branch of a UNION ALL
# (its own order and limit), sorted again here since a union promises no order. HEADS is one
# row when the person heads a department (whose list is then shown, even empty).
MINE, GIVEN, DEPARTMENT, CLOSED, HEADS = range(5)


def _branch(number: int, order: tuple, limit: int, *where):
    return (_card_select(literal(number).label("list"), Task.closed_at)
            .where(*where).order_by(*order).limit(limit).subquery())


def _given_order(status):
    return case((status == SUBMITTED, 0), else_=1)  # waiting for my acceptance first


@cache
def _my_lists():
    closed = (one_of(Task.status, (ACCEPTED, CANCELLED)), Task.closed_at >= SINCE)
    headed = select(Department.id).where(Department.head_id == USER_ID).scalar_subquery()
    people = select(User.id).where(User.department_id.in_(headed))  # then their open tasks
    branches = [
        _branch(MINE, _SOONEST, LIST_LIMIT, Task.owner_id == USER_ID, _ACTIVE),
        _branch(GIVEN, (_given_order(Task.status), *_SOONEST), LIST_LIMIT,
                Task.assigner_id == USER_ID, _ACTIVE),
        _branch(DEPARTMENT, _SOONEST, LIST_LIMIT,
                _either((Task.department_id.in_(headed), _ACTIVE),
                        (Task.owner_id.in_(people), _ACTIVE))),
        _branch(CLOSED, _LATEST_CLOSED, CLOSED_LIMIT,
                _either((Task.owner_id == USER_ID, *closed),
                        (Task.assigner_id == USER_ID, *closed))),
        select(literal(HEADS).label("list"),
               *(cast(null(), column.type).label(column.key) for column in _branch_columns()))
        .where(Department.head_id == USER_ID).limit(1).subquery(),
    ]
    return union_all(*(select(branch) for branch in branches))


_LATEST_CLOSED = (Task.closed_at.desc(), Task.id.desc())
_ORDERS = {MINE: (lambda row: (row.due_at, row.id), False),
           GIVEN: (lambda row: (row.status != SUBMITTED, row.due_at, row.id), False),
           DEPARTMENT: (lambda row: (row.due_at, row.id), False),
           CLOSED: (lambda row: (row.closed_at, row.id), True)}


def _branch_columns():
    return _card_select(Task.closed_at).selected_columns


def my_lists(user: User, now: datetime) -> dict[int, list]:
    """{MINE: my open tasks, soonest due first; GIVEN: those I assigned, those waiting for my
    acceptance first; DEPARTMENT: the open tasks of the departments I head and of their people;
    CLOSED: given to me or by me, accepted or cancelled in the last RECENT days, latest first;
    HEADS: one row if I head a department} — each row a card's columns (_CARD_COLUMNS).

    Plain rows (the key of the page's kept content), on the request's read connection when the
    view has one: the ORM's result handling would add about a third to the statement's time."""
    rows: dict[int, list] = {MINE: [], GIVEN: [], DEPARTMENT: [], CLOSED: [], HEADS: []}
    for row in sql.rows(_my_lists(), {USER_ID.key: user.id, NOW.key: now, SINCE.key: now - RECENT}):
        rows[row[0]].append(row)
    lists = {HEADS: rows[HEADS]}
    for number, (key, latest_first) in _ORDERS.items():
        lists[number] = [row[2:] for row in sorted(rows[number], key=key, reverse=latest_first)]
    return lists


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
