"""Reads of the visitor module: one visit for a person (404 otherwise), the front desk's two
days, the visitor log, the dining the canteen counts, a visit by its code."""

from datetime import date, datetime, time, timedelta
from functools import cache
from typing import NamedTuple

from flask import abort
from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import selectinload

from portal import sql
from portal.blueprints.accounts.models import User
from portal.blueprints.tasks.models import ACCEPTED, Task
from portal.blueprints.tasks.models import CANCELLED as TASK_CANCELLED
from portal.blueprints.visitors.models import (
    CANCELLED,
    MEALS,
    SOURCE,
    Visit,
    VisitMeal,
    VisitSettings,
    visit_number,
)
from portal.blueprints.visitors.services import can_see
from portal.extensions import db
from portal.modules import USER_ID
from portal.settings import read_settings
from portal.timeutil import portal_tz

LOG_PAGE = 50


def settings() -> VisitSettings:
    return read_settings(VisitSettings)


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=portal_tz())


def get_visit(visit_id: int, user: User) -> Visit:
    """The visit, for its host, reception and the office; anyone else gets 404 (not 403:
    that a visit exists is already something)."""
    visit = db.session.get(Visit, visit_id)
    if visit is None or not can_see(visit, user):
        abort(404)
    return visit


def by_code(code: str) -> Visit | None:
    return db.session.scalar(select(Visit).where(Visit.code == code.strip().upper()))


def _with_people(query):
    return query.options(selectinload(Visit.visitors), selectinload(Visit.host),
                         selectinload(Visit.reception))


def front_desk(today: date) -> list[Visit]:
    """Visits on site today or tomorrow (multi-day ones that started earlier too), by arrival."""
    start, end = day_start(today), day_start(today + timedelta(days=2))
    # A visit lasts at most 14 days: the arrival bound keeps this on the arrival index.
    query = select(Visit).where(Visit.arrives_at < end, Visit.departs_at >= start,
                                Visit.arrives_at >= start - timedelta(days=15),
                                Visit.status != CANCELLED).order_by(Visit.arrives_at)
    return list(db.session.scalars(_with_people(query)))


def progress(visits: list[Visit]) -> dict[int, tuple[int, int]]:
    """{visit id: (steps accepted, steps)} in one query."""
    if not visits:
        return {}
    rows = db.session.execute(
        select(Task.source_id, func.sum(case((Task.status == ACCEPTED, 1), else_=0)), func.count())
        .where(Task.source_kind == SOURCE, Task.source_id.in_([v.id for v in visits]),
               Task.status != TASK_CANCELLED)
        .group_by(Task.source_id)).all()
    return {visit_id: (int(done), total) for visit_id, done, total in rows}


class MyVisit(NamedTuple):
    """A visit in the host's list: what its line shows, as plain values (the key of the kept
    page)."""

    id: int
    purpose: str
    arrives_at: datetime
    visitor_count: int
    status: str

    number = Visit.number


@cache
def _my_visits_statement():
    """The host's visits from `since`: built once."""
    # A visit lasts at most 14 days: the arrival bound keeps this on the (host, arrival) index.
    return (select(*[getattr(Visit, name) for name in MyVisit._fields])
            .where(Visit.host_id == USER_ID, Visit.departs_at >= bindparam("since"),
                   Visit.arrives_at >= bindparam("arrived_from"))
            .order_by(Visit.arrives_at).limit(100))


def my_visits(user: User, since: datetime) -> list[MyVisit]:
    """The host's visits ending from `since` on: one statement of plain columns, without their
    visitors, host or reception."""
    return [MyVisit._make(row) for row in sql.rows(_my_visits_statement(), {
        USER_ID.key: user.id, "since": since, "arrived_from": since - timedelta(days=15)})]


def log(first: date, last: date, company: str = "", host: User | None = None,
        page: int = 1, limit: int | None = LOG_PAGE) -> tuple[list[Visit], int]:
    """The visitor log for reception and the office: visits arriving between two days."""
    query = select(Visit).where(Visit.arrives_at >= day_start(first),
                                Visit.arrives_at < day_start(last + timedelta(days=1)))
    if company.strip():
        query = query.where(Visit.company.contains(company.strip(), autoescape=True))
    if host is not None:
        query = query.where(Visit.host_id == host.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    query = _with_people(query.order_by(Visit.arrives_at.desc(), Visit.id.desc()))
    if limit is not None:
        query = query.limit(limit).offset((page - 1) * limit)
    return list(db.session.scalars(query)), total


@cache
def _guest_meals_statement():
    """Visits' meals on a day with their visit and host (the host's name in the same statement,
    not one more look-up per visit): plain columns, built once."""
    return (select(VisitMeal.meal, VisitMeal.headcount, VisitMeal.diet_notes, Visit.id,
                   User.name)
            .join(Visit, Visit.id == VisitMeal.visit_id).join(User, User.id == Visit.host_id)
            .where(VisitMeal.day == bindparam("meal_day"), VisitMeal.cancelled.is_(False))
            .order_by(VisitMeal.meal, Visit.arrives_at))


def guest_meals(day: date) -> list[dict]:
    """Visits' meals on `day`, for the canteen's headcount: by visit, never visitors' names."""
    return [{"meal": meal, "meal_label": MEALS[meal], "count": headcount,
             "visit": visit_number(visit_id), "host": host,
             "notes": notes}
            for meal, headcount, notes, visit_id, host
            in sql.rows(_guest_meals_statement(), {"meal_day": day})]
