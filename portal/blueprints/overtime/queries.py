"""Reads: records and claims for the one who may see them (404 otherwise), approval queues,
the office's list and the month's figures."""

from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from flask import abort
from sqlalchemy import Date, bindparam, func, or_, select
from sqlalchemy.orm import lazyload

from portal import sql
from portal.blueprints.accounts.models import Department, User
from portal.blueprints.overtime.models import (
    APPROVED,
    WAITING_HEAD,
    WAITING_OFFICE,
    Claim,
    MonthClose,
    OvertimeRecord,
    StandIn,
)
from portal.extensions import db
from portal.modules import USER_ID

PER_PAGE = 50


# A person's own records and claims: the person is `user`, already loaded (a joined load of
# them again would read their roles once more with each list).
_NOT_THE_PERSON = (lazyload(OvertimeRecord.user),)


def record_of(user, day: date) -> OvertimeRecord | None:
    return db.session.scalar(select(OvertimeRecord).where(OvertimeRecord.user_id == user.id,
                                                          OvertimeRecord.day == day)
                             .options(*_NOT_THE_PERSON))


def tonight_offer(user, day: date) -> dict | None:
    """The canteen's offer after a cancelled night meal: this evening's record, if any."""
    record = record_of(user, day)
    return {"record": record} if record else None


def claim_of(user, day: date) -> Claim | None:
    return db.session.scalar(select(Claim).where(Claim.user_id == user.id, Claim.day == day))


CLAIMS_SHOWN = 40


class MyRecord(NamedTuple):
    """One of my records as my overtime page shows it: plain values (the key of its kept
    content), with the record's own rules."""

    id: int
    day: date
    start_time: str
    end_time: str | None
    expected_end: str | None
    reason: str
    confirmed_at: datetime | None

    eligible = OvertimeRecord.eligible
    confirmed = OvertimeRecord.confirmed


class MyClaim(NamedTuple):
    """One of my claims as my overtime page shows it: plain values, with the claim's labels."""

    id: int
    day: date
    status: str
    from_district: str
    to_district: str
    amount_cents: int

    status_label = Claim.status_label
    amount = Claim.amount


@cache
def _my_records_statement():
    """My records since a day, latest first: built once."""
    return (select(*[getattr(OvertimeRecord, name) for name in MyRecord._fields])
            .where(OvertimeRecord.user_id == USER_ID,
                   OvertimeRecord.day >= bindparam("since", type_=Date))
            .order_by(OvertimeRecord.day.desc()))


@cache
def _my_claims_statement():
    """My latest claims: built once."""
    return (select(*[getattr(Claim, name) for name in MyClaim._fields])
            .where(Claim.user_id == USER_ID).order_by(Claim.day.desc()).limit(CLAIMS_SHOWN))


def my_records(user, since: date) -> list[MyRecord]:
    return [MyRecord._make(row) for row in sql.rows(_my_records_statement(),
                                                    {USER_ID.key: user.id, "since": since})]


def my_claims(user) -> list[MyClaim]:
    return [MyClaim._make(row) for row in sql.rows(_my_claims_statement(),
                                                   {USER_ID.key: user.id})]


def get_record(record_id: int, for_user) -> OvertimeRecord:
    """The employee's own record; anyone else's is 404."""
    record = db.session.get(OvertimeRecord, record_id)
    if record is None or record.user_id != for_user.id:
        abort(404)
    return record


def heads_for(user, today: date) -> list[int]:
    """The approvers (heads) `user` acts for today: themself and those they stand in for."""
    ids = [user.id]
    ids += db.session.scalars(select(StandIn.approver_id).where(
        StandIn.stand_in_id == user.id, StandIn.first_day <= today, StandIn.last_day >= today))
    return ids


def departments_headed(user, today: date) -> list[int]:
    return list(db.session.scalars(select(Department.id).where(
        Department.head_id.in_(heads_for(user, today)))))


def team_records(user, monday: date, today: date) -> list[OvertimeRecord]:
    """The week's records of the people in the departments this person heads (or stands in
    for today)."""
    departments = departments_headed(user, today)
    if not departments:
        return []
    return list(db.session.scalars(
        select(OvertimeRecord).join(User, OvertimeRecord.user_id == User.id)
        .where(User.department_id.in_(departments), OvertimeRecord.user_id != user.id,
               OvertimeRecord.day >= monday, OvertimeRecord.day < monday + timedelta(days=7))
        .order_by(OvertimeRecord.day, User.employee_no)))


def waiting_for(user, today: date) -> list[Claim]:
    """Claims waiting for this person: at the head stage of a department they head (or stand
    in for), and at the office stage for the office; never their own."""
    conditions = []
    departments = departments_headed(user, today)
    if departments:
        conditions.append((Claim.status == WAITING_HEAD) & Claim.department_id.in_(departments))
    if user.has_role("office"):
        conditions.append(Claim.status == WAITING_OFFICE)
    if not conditions:
        return []
    return list(db.session.scalars(select(Claim).where(or_(*conditions), Claim.user_id != user.id)
                                   .order_by(Claim.waiting_since).limit(200)))


def get_claim(claim_id: int, for_user, today: date) -> Claim:
    """A claim for its employee, the office, and the head (or stand-in) of its department."""
    claim = db.session.get(Claim, claim_id)
    if claim is None:
        abort(404)
    if claim.user_id == for_user.id or for_user.has_role("office"):
        return claim
    if claim.department_id in departments_headed(for_user, today):
        return claim
    abort(404)


def office_list(month: str, status: str, page: int) -> tuple[list[Claim], int]:
    """One page of the month's claims for the office's review, and the total count."""
    query = select(Claim).where(Claim.month == month)
    if status:
        query = query.where(Claim.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Claim.status, Claim.waiting_since, Claim.id)
                              .offset((page - 1) * PER_PAGE).limit(PER_PAGE))
    return list(rows), total


def month_counts(month: str) -> dict[str, int]:
    rows = db.session.execute(select(Claim.status, func.count()).where(Claim.month == month)
                              .group_by(Claim.status))
    return dict(rows.all())


def department_totals(month: str) -> list[tuple[str, int, int]]:
    """(department, approved claims, approved cents) for the month, largest spend first."""
    rows = db.session.execute(
        select(func.coalesce(Department.name, ""), func.count(Claim.id),
               func.sum(Claim.amount_cents))
        .select_from(Claim).outerjoin(Department, Claim.department_id == Department.id)
        .where(Claim.month == month, Claim.status == APPROVED)
        .group_by(Department.name).order_by(func.sum(Claim.amount_cents).desc()))
    return [(name, count, cents) for name, count, cents in rows]


def employee_totals(month: str) -> list[tuple[str, str, str, int, int]]:
    """(employee no., name, department, approved claims, approved cents) for the month."""
    rows = db.session.execute(
        select(User.employee_no, User.name, func.coalesce(Department.name, ""),
               func.count(Claim.id), func.sum(Claim.amount_cents))
        .select_from(Claim).join(User, Claim.user_id == User.id)
        .outerjoin(Department, Claim.department_id == Department.id)
        .where(Claim.month == month, Claim.status == APPROVED)
        .group_by(User.employee_no, User.name, Department.name)
        .order_by(Department.name, User.employee_no))
    return [tuple(row) for row in rows]


def month_state(month: str) -> MonthClose | None:
    return db.session.get(MonthClose, month)


def my_stand_ins(user) -> list[StandIn]:
    return list(db.session.scalars(select(StandIn).where(StandIn.approver_id == user.id)
                                   .order_by(StandIn.first_day.desc())))
