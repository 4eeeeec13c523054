"""Reads for pages: who may see a request, the queue with its filters, counts, choices."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import NamedTuple

from flask import abort, g
from sqlalchemy import Integer, bindparam, case, func, select
from sqlalchemy.orm import aliased, selectinload

from portal import sql
from portal.blueprints.accounts.models import Department, User, UserRole
from portal.blueprints.repairs.models import (
    CATEGORIES,
    LAB,
    OPEN_STATUSES,
    STATUSES,
    Asset,
    Location,
    RepairEvent,
    RepairRequest,
    RepairSettings,
)
from portal.converters import db_int, page_number
from portal.extensions import db
from portal.sql import one_of

PAGE_SIZE = 30


def can_see(request: RepairRequest, user: User) -> bool:
    """The requester, the head of their department, facilities and the office."""
    if user.has_role("facilities", "office") or request.requester_id == user.id:
        return True
    if request.department_id is None:
        return False
    head_id = db.session.scalar(select(Department.head_id)
                                .where(Department.id == request.department_id))
    return head_id == user.id


def get_request(request_id: int, for_user: User) -> RepairRequest:
    """The request with its timeline, or 404 for anyone who may not see it."""
    request = db.session.scalar(
        select(RepairRequest).where(RepairRequest.id == request_id).options(
            selectinload(RepairRequest.events).joinedload(RepairEvent.actor),
            selectinload(RepairRequest.photos),
        )
    )
    if request is None or not can_see(request, for_user):
        abort(404)
    return request


def _rows(statement, values: dict | None = None) -> list:
    """The rows of a statement of plain columns, built once (`portal.sql.rows`): the ORM's
    statement and result handling would add about a third to its time, for rows the ORM has
    nothing to do with (no objects; nor is anything pending to flush when a page reads)."""
    return sql.rows(statement, values or {})


def overdue_clause(now: datetime):
    return RepairRequest.due_at < now  # due_at is empty once resolved


class Listed(NamedTuple):
    """A request in the lists of my page: what its line shows, read as columns (plain values: the
    key of the kept page)."""

    id: int
    number: str
    status: str
    category: str
    due_at: datetime | None
    created_at: datetime
    location: str
    requester_name: str

    @property
    def is_lab(self) -> bool:
        return self.category == LAB

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.due_at < now


_LISTED = (RepairRequest.id, RepairRequest.number, RepairRequest.status, RepairRequest.category,
           RepairRequest.due_at, RepairRequest.created_at,
           Location.building, Location.floor, Location.room, User.name)


def _listed(statement, user: User) -> list[Listed]:
    return [Listed(*row[:6], Location.label(*row[6:9]), row[9])
            for row in sql.rows(statement, {"user_id": user.id})]


@cache
def _mine_statement():
    return (select(*_LISTED).join(Location, Location.id == RepairRequest.location_id)
            .join(User, User.id == RepairRequest.requester_id)
            .where(RepairRequest.requester_id == bindparam("user_id"))
            .order_by(RepairRequest.id.desc()).limit(50))


def my_requests(user: User) -> list[Listed]:
    """My latest 50 requests."""
    return _listed(_mine_statement(), user)


@cache
def _department_statement():
    return (select(*_LISTED).join(Location, Location.id == RepairRequest.location_id)
            .join(User, User.id == RepairRequest.requester_id)
            .join(Department, Department.id == RepairRequest.department_id)
            .where(Department.head_id == bindparam("user_id"),
                   RepairRequest.requester_id != bindparam("user_id"))
            .order_by(RepairRequest.id.desc()).limit(50))


def department_requests(user: User) -> list[Listed]:
    """The latest 50 requests of the departments this person heads (not their own)."""
    return _listed(_department_statement(), user)


def _assignee_arg(value: str) -> str:
    """"me", "none", a user id the database can hold, or "" (everyone)."""
    if value in ("me", "none"):
        return value
    try:
        return str(db_int(value)) if value.isdigit() else ""
    except ValueError:
        return ""


@dataclass
class QueueFilters:
    status: str = "open"  # open | all | one status
    category: str = ""
    building: str = ""
    location_id: int = 0
    assignee: str = ""  # "" all | "me" | "none" | user id
    overdue: bool = False
    sort: str = "due"  # due | newest | oldest | urgency
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        status = args.get("status", "open")
        sort = args.get("sort", "due")
        return cls(
            status=status if status in STATUSES or status in ("open", "all") else "open",
            category=args.get("category", "") if args.get("category") in CATEGORIES else "",
            building=args.get("building", "")[:60],
            location_id=args.get("location_id", 0, type=db_int),
            assignee=_assignee_arg(args.get("assignee", "")),
            overdue=args.get("overdue") == "1",
            sort=sort if sort in ("due", "newest", "oldest", "urgency") else "due",
            page=args.get("page", 1, type=page_number),
        )

    def args(self, **changes) -> dict:
        values = {**self.__dict__, **changes}
        values["overdue"] = "1" if values["overdue"] else ""
        return {k: v for k, v in values.items() if v not in ("", 0, None)}


def drop_room_outside_building(filters: QueueFilters) -> None:
    """A room of another building, left chosen when the building changed, is forgotten: the
    building chosen last wins (the redrawn room filter then shows no room chosen)."""
    if filters.location_id and filters.building:
        building = db.session.scalar(select(Location.building)
                                     .where(Location.id == filters.location_id))
        if building != filters.building:
            filters.location_id = 0


@dataclass(frozen=True, slots=True)
class Card:
    """What a queue card shows of a request: read as columns, not as the request with its
    people and room (a card needs their names, not the objects)."""

    id: int
    number: str
    status: str
    category: str
    urgency: str
    location: str
    requester_id: int
    requester_name: str
    assignee_id: int | None
    assignee_name: str | None
    due_at: datetime | None
    response_due: datetime
    resolution_due: datetime
    rating: int | None

    @property
    def is_lab(self) -> bool:
        return self.category == LAB

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.due_at < now

    def shown(self) -> tuple:
        """What the card shows of the request, as plain values (the key of its kept render)."""
        return (self.id, self.number, self.status, self.category, self.urgency, self.location,
                self.requester_name, self.assignee_name, self.response_due, self.resolution_due)

    @classmethod
    def of(cls, request: RepairRequest) -> "Card":
        """The card of a loaded request (a quick button's answer swaps one card)."""
        assignee = request.assignee
        return cls(request.id, request.number, request.status, request.category,
                   request.urgency, str(request.location), request.requester_id,
                   request.requester.name, request.assignee_id,
                   assignee.name if assignee else None, request.due_at, request.response_due,
                   request.resolution_due, request.rating)


def _where(status: str, category: bool, place: str, assignee: str, overdue: bool) -> list:
    """The queue's filters as conditions on bind parameters (see queue() for the values)."""
    conditions = []
    if status == "open":  # as literals: an IN of a list would be expanded at every execution
        conditions.append(one_of(RepairRequest.status, OPEN_STATUSES))
    elif status == "one":
        conditions.append(RepairRequest.status == bindparam("status"))
    if category:
        conditions.append(RepairRequest.category == bindparam("category"))
    if place == "room":
        conditions.append(RepairRequest.location_id == bindparam("location_id"))
    elif place == "building":
        conditions.append(RepairRequest.location_id.in_(
            select(Location.id).where(Location.building == bindparam("building"))))
    if assignee == "none":
        conditions.append(RepairRequest.assignee_id.is_(None))
    elif assignee == "person":
        conditions.append(RepairRequest.assignee_id == bindparam("assignee_id"))
    if overdue:
        conditions.append(overdue_clause(bindparam("now")))
    return conditions


@cache
def _queue_statement(shape: tuple, sort: str):
    """One page of cards, the number of matching requests (a window count) and the facilities
    lead (who may work on any request): one statement, built once per shape of the filters."""
    requester, assignee = aliased(User), aliased(User)
    lead = select(RepairSettings.lead_id).order_by(RepairSettings.id).limit(1).scalar_subquery()
    order = {
        "due": [RepairRequest.due_at.asc().nulls_last()],
        "newest": [RepairRequest.id.desc()],
        "oldest": [RepairRequest.id.asc()],
        "urgency": [case((RepairRequest.urgency == "urgent", 0),
                         (RepairRequest.urgency == "normal", 1), else_=2),
                    RepairRequest.due_at.asc().nulls_last()],
    }[sort]
    return (
        select(RepairRequest.id, RepairRequest.number, RepairRequest.status,
               RepairRequest.category, RepairRequest.urgency,
               Location.building, Location.floor, Location.room,
               RepairRequest.requester_id, requester.name, RepairRequest.assignee_id,
               assignee.name, RepairRequest.due_at, RepairRequest.response_due,
               RepairRequest.resolution_due, RepairRequest.rating,
               func.count().over(), lead)
        .join(Location, Location.id == RepairRequest.location_id)
        .join(requester, requester.id == RepairRequest.requester_id)
        .outerjoin(assignee, assignee.id == RepairRequest.assignee_id)
        .where(*_where(*shape))
        .order_by(*order, RepairRequest.id.desc())
        .limit(PAGE_SIZE).offset(bindparam("offset", type_=Integer))
    )


@cache
def _count_statement(shape: tuple):
    return select(func.count()).select_from(RepairRequest).where(*_where(*shape))


def queue(filters: QueueFilters, user: User, now: datetime) -> tuple[list[Card], int, int | None]:
    """One page of the facilities queue, the number of matching requests, and the facilities
    lead's id (next_steps needs it)."""
    status = filters.status if filters.status in ("open", "all") else "one"
    place = "room" if filters.location_id else "building" if filters.building else ""
    assignee_id = (user.id if filters.assignee == "me"
                   else int(filters.assignee) if filters.assignee.isdigit() else None)
    assignee = "person" if assignee_id is not None else filters.assignee  # "none" or ""
    shape = (status, bool(filters.category), place, assignee, filters.overdue)
    values = {"status": filters.status, "category": filters.category,
              "location_id": filters.location_id, "building": filters.building,
              "assignee_id": assignee_id, "now": now}
    found = _rows(_queue_statement(shape, filters.sort),
                  {**values, "offset": (filters.page - 1) * PAGE_SIZE})
    if found:
        cards = [Card(row[0], row[1], row[2], row[3], row[4],
                      Location.label(row[5], row[6], row[7]), *row[8:16]) for row in found]
        return cards, found[0][16], found[0][17]
    if filters.page == 1:
        return [], 0, None
    # A page past the end: say how many there are, so the pager can lead back.
    return [], db.session.scalar(_count_statement(shape), values) or 0, None


def open_and_overdue_counts(now: datetime) -> tuple[int, int]:
    row = db.session.execute(
        select(func.count(),
               func.coalesce(func.sum(case((overdue_clause(now), 1), else_=0)), 0))
        .where(RepairRequest.status.in_(OPEN_STATUSES))
    ).one()
    return int(row[0]), int(row[1])


def location_choices(active_only: bool = True) -> dict[str, list[tuple[int, str]]]:
    """Rooms grouped by building, for a select with optgroups.

    Each option names its building too: a closed select shows the option, not its group, and
    several buildings have a 1层 · 大堂.
    """
    groups: dict[str, list[tuple[int, str]]] = {}
    for id_, building, floor, room in _rows(_locations_statement(active_only)):
        groups.setdefault(building, []).append((id_, Location.label(building, floor, room)))
    return groups


@cache
def _locations_statement(active_only: bool):
    query = (select(Location.id, Location.building, Location.floor, Location.room)
             .order_by(Location.building, Location.floor, Location.room))
    if active_only:
        query = query.where(Location.active.is_(True))
    return query


def asset_choices(location_id: int | None) -> list[tuple[int, str]]:
    if not location_id:
        return []
    assets = db.session.scalars(
        select(Asset).where(Asset.location_id == location_id, Asset.active.is_(True))
        .order_by(Asset.name))
    return [(a.id, str(a)) for a in assets]


def room_choices(building: str) -> dict[str, list[tuple[int, str]]]:
    """Rooms for the queue's room filter: the chosen building's, else all (taken out of use too,
    since old requests still name them)."""
    groups = _every_location()
    return {building: groups.get(building, [])} if building else groups


def buildings() -> list[str]:
    """Every building, in order (the queue's building filter)."""
    return list(_every_location())


def _every_location() -> dict[str, list[tuple[int, str]]]:
    """All rooms by building, read once per request for the queue's two filters."""
    if "repairs_every_location" not in g:
        g.repairs_every_location = location_choices(active_only=False)
    return g.repairs_every_location


def technicians() -> list:
    """The active facilities people as (id, name) rows, by employee number: the choices of the
    queue's filters and of assigning (one statement, no person objects with their roles)."""
    return _rows(_technicians_statement())


@cache
def _technicians_statement():
    return (select(User.id, User.name).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == "facilities", User.active.is_(True))
            .order_by(User.employee_no))
