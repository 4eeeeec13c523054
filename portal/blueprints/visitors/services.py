"""Writes of the visitor module: register, move, cancel, no-show, check-in/out, walk-in.

Plain functions named by verb; they flush, the route or job commits. The room is booked through
meetings' own booking service, so a visit's room is refused by the same no-double-booking rules
as any meeting; the checklist lives in checklist.py.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from portal.blueprints.accounts.models import User
from portal.blueprints.audit.services import record
from portal.blueprints.meetings import services as meetings
from portal.blueprints.meetings.models import MeetingSettings, Room
from portal.blueprints.notifications.services import notify
from portal.blueprints.visitors import checklist
from portal.blueprints.visitors.models import (
    CANCELLED,
    DONE,
    EXPECTED,
    MEALS,
    NO_SHOW,
    ON_SITE,
    Visit,
    VisitMaterial,
    VisitMeal,
    Visitor,
)
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.settings import read_settings
from portal.timeutil import to_local, utcnow
from portal.urls import path_for

LONGEST_VISIT = timedelta(days=14)
WALK_IN_HOURS = 2


def detail_path(visit: Visit) -> str:
    return path_for("visitors.detail", visit_id=visit.id)


def desk(user: User) -> bool:
    """Reception and the office see every visit (the front desk, the log)."""
    return user.has_role("reception", "office")


def can_see(visit: Visit, user: User) -> bool:
    return visit.host_id == user.id or desk(user)


def can_change(visit: Visit, user: User) -> bool:
    return visit.is_open and (visit.host_id == user.id or desk(user))


def sees_phones(visit: Visit, user: User) -> bool:
    """Only the host and reception need to call a visitor; everyone else sees 138****5678."""
    return visit.host_id == user.id or user.has_role("reception")


def mask(mobile: str) -> str:
    """138****5678: enough to tell two numbers apart, not enough to call."""
    if len(mobile) < 8:
        return "****" if mobile else ""
    return f"{mobile[:3]}****{mobile[-4:]}"


@dataclass
class Guest:
    name: str
    company: str = ""
    mobile: str = ""
    email: str = ""
    id_type: str = ""


@dataclass
class Meal:
    day: date
    meal: str
    headcount: int
    diet_notes: str = ""


@dataclass
class Plan:
    """What the pre-registration form asks for."""

    purpose: str
    arrives_at: datetime
    departs_at: datetime
    guests: list[Guest]
    reception: User | None = None
    room: Room | None = None
    room_until: datetime | None = None
    materials: list[tuple[str, int]] = field(default_factory=list)
    meals: list[Meal] = field(default_factory=list)
    notes: str = ""


def _check(plan: Plan) -> None:
    if not plan.guests:
        raise Refused(_l("Name at least one visitor."))
    if plan.departs_at <= plan.arrives_at:
        raise Refused(_l("The expected departure must be after the arrival."))
    if plan.departs_at - plan.arrives_at > LONGEST_VISIT:
        raise Refused(_l("A visit lasts at most %(days)d days.", days=LONGEST_VISIT.days))
    first, last = to_local(plan.arrives_at).date(), to_local(plan.departs_at).date()
    for meal in plan.meals:
        if meal.meal not in MEALS or not first <= meal.day <= last:
            raise Refused(_l("Meals are booked on the days of the visit."))
        if not 1 <= meal.headcount <= 200:
            raise Refused(_l("A meal is for 1 to 200 guests."))


def _book_room(visit: Visit, plan: Plan) -> None:
    if plan.room is None:
        return
    booked = meetings.book(visit.host, meetings.Plan(
        room=plan.room, title=str(_l("Visit: %(purpose)s", purpose=plan.purpose))[:120],
        starts_at=plan.arrives_at, ends_at=plan.room_until or plan.arrives_at + timedelta(hours=2),
        people=[visit.reception] if visit.reception and visit.reception != visit.host else []))
    visit.meeting = booked.meetings[0]


def register(host: User, plan: Plan) -> Visit:
    """A host pre-registers a visit: visitors, room (booked), materials, meals, the checklist."""
    _check(plan)
    visit = Visit(purpose=plan.purpose.strip(), arrives_at=plan.arrives_at,
                  departs_at=plan.departs_at, host_id=host.id, host=host,
                  reception=plan.reception, company=plan.guests[0].company.strip(),
                  visitor_count=len(plan.guests), notes=plan.notes.strip(), status=EXPECTED)
    visit.visitors = [Visitor(name=g.name.strip(), company=g.company.strip(),
                              mobile=g.mobile.strip(), email=g.email.strip(), id_type=g.id_type)
                      for g in plan.guests]
    visit.materials = [VisitMaterial(item=item.strip(), quantity=qty)
                       for item, qty in plan.materials]
    visit.meals = [VisitMeal(day=m.day, meal=m.meal, headcount=m.headcount,
                             diet_notes=m.diet_notes.strip()) for m in plan.meals]
    _book_room(visit, plan)  # Refused here: nothing is written (the view rolls back)
    db.session.add(visit)
    db.session.flush()
    checklist.create_steps(visit)
    record("visitors.register", visit.number, actor=host, visitors=len(plan.guests))
    if visit.reception is not None and visit.reception_id != host.id:
        _tell(visit.reception, N_("New visit %(number)s to receive: %(when)s"), visit)
    return visit


def _tell(user: User | None, title: str, visit: Visit, body: str = "", **params) -> None:
    if user is not None and user.active:
        notify(user, title, body, link=detail_path(visit), number=visit.number,
               when=f"{to_local(visit.arrives_at):%Y-%m-%d %H:%M}", **params)


def move(visit: Visit, user: User, arrives_at: datetime, departs_at: datetime) -> None:
    """A new arrival (and departure): the room, every step's due time and the meals move too."""
    if not can_change(visit, user) or visit.status != EXPECTED:
        raise Refused(_l("This visit cannot be changed now."))
    if departs_at <= arrives_at or departs_at - arrives_at > LONGEST_VISIT:
        raise Refused(_l("The expected departure must be after the arrival."))
    shift = arrives_at - visit.arrives_at
    if visit.meeting is not None and visit.meeting.room_held:
        meeting = visit.meeting
        meetings.reschedule(meeting, visit.host, meeting.room, meeting.starts_at + shift,
                            meeting.ends_at + shift)
    days = (to_local(arrives_at).date() - to_local(visit.arrives_at).date())
    for meal in visit.meals:
        meal.day = meal.day + days
    visit.arrives_at, visit.departs_at = arrives_at, departs_at
    checklist.move_steps(visit, user, shift)
    record("visitors.move", visit.number, actor=user, arrives_at=arrives_at.isoformat())
    for person in {visit.host, visit.reception} - {user, None}:
        _tell(person, N_("Visit %(number)s moved: now %(when)s"), visit)


def _call_off(visit: Visit, user: User, status: str) -> None:
    """Cancelled or a no-show: steps, room and meals go with it."""
    if not visit.is_open or visit.status == ON_SITE:
        raise Refused(_l("This visit cannot be changed now."))
    visit.status = status
    checklist.call_off_steps(visit, user)
    if visit.meeting is not None and not visit.meeting.cancelled:
        meetings.cancel(visit.meeting, visit.host)
    for meal in visit.meals:
        meal.cancelled = True
    record(f"visitors.{status}", visit.number, actor=user)


def cancel(visit: Visit, user: User) -> None:
    if not can_change(visit, user):
        raise Refused(_l("This visit cannot be changed now."))
    _call_off(visit, user, CANCELLED)
    for person in {visit.host, visit.reception} - {user, None}:
        _tell(person, N_("Visit %(number)s is cancelled"), visit)


def mark_no_show(visit: Visit, user: User) -> None:
    """Nobody came: reception says so (or the morning job, once the departure has passed)."""
    _call_off(visit, user, NO_SHOW)


def check_in(visit: Visit, visitors: list[Visitor], user: User) -> int:
    """Reception checks in one visitor or the whole group; the host hears of the first arrival."""
    if visit.status not in (EXPECTED, ON_SITE):
        raise Refused(_l("This visit is not expected now."))
    now, first = utcnow(), visit.status == EXPECTED
    arrived = [v for v in visitors if v.visit_id == visit.id and v.checked_in_at is None]
    if not arrived:
        raise Refused(_l("Everyone chosen is already checked in."))
    for visitor in arrived:
        visitor.checked_in_at = now
    visit.status = ON_SITE
    _hold_room(visit, user, now)
    record("visitors.check_in", visit.number, actor=user, count=len(arrived))
    if first:
        _tell(visit.host, N_("Your visitors for %(number)s have arrived at reception"), visit,
              N_("%(count)d checked in."), count=len(arrived))
    return len(arrived)


def _hold_room(visit: Visit, user: User, now: datetime) -> None:
    """Visitors at the desk mean the meeting takes place: check in its room booking, so meetings'
    release of unused rooms does not give it away (outside the booking's check-in window this
    does nothing; the reception owner checks in on the meeting's page then)."""
    meeting = visit.meeting
    if meeting is None or not meeting.room_held or meeting.checked_in_at is not None:
        return
    release_after = read_settings(MeetingSettings).release_after_minutes
    try:
        with db.session.begin_nested():
            meetings.check_in(meeting, user, now, release_after)
    except Refused:
        pass


def check_out(visit: Visit, visitors: list[Visitor], user: User) -> int:
    """Out at the desk; the visit is over once nobody checked in is still inside."""
    now = utcnow()
    leaving = [v for v in visitors if v.visit_id == visit.id and v.on_site]
    if not leaving:
        raise Refused(_l("Nobody chosen is checked in."))
    for visitor in leaving:
        visitor.checked_out_at = now
    if not any(v.on_site for v in visit.visitors):
        visit.status = DONE
    record("visitors.check_out", visit.number, actor=user, count=len(leaving))
    return len(leaving)


def walk_in(user: User, host: User, guest: Guest, purpose: str) -> Visit:
    """Someone came unannounced: a visit created and checked in in one step (no checklist)."""
    if not guest.name.strip():
        raise Refused(_l("Name at least one visitor."))
    now = utcnow()
    visit = Visit(purpose=purpose.strip(), arrives_at=now,
                  departs_at=now + timedelta(hours=WALK_IN_HOURS), host_id=host.id, host=host,
                  reception_id=user.id, company=guest.company.strip(), visitor_count=1,
                  walk_in=True, status=EXPECTED,
                  visitors=[Visitor(name=guest.name.strip(), company=guest.company.strip(),
                                    mobile=guest.mobile.strip(), id_type=guest.id_type)])
    db.session.add(visit)
    db.session.flush()
    record("visitors.walk_in", visit.number, actor=user)
    check_in(visit, visit.visitors, user)
    return visit


def badges_to_print(visit: Visit, user: User, visitor_id: int | None, reprint: bool) -> dict:
    """Which badges to make (one visitor, or the group's sheet). A badge printed before is a
    reprint: refused until confirmed, then counted and recorded (a lost badge may be misused)."""
    chosen = [v for v in visit.visitors if visitor_id is None or v.id == visitor_id]
    if not chosen or visit.purged_at is not None:
        raise Refused(_l("There is no badge to print."))
    again = [v for v in chosen if v.badge_prints]
    if again and not reprint:
        raise Refused(_l("%(count)d of these badges were printed before. Confirm the reprint.",
                         count=len(again)))
    for visitor in chosen:
        visitor.badge_prints += 1
    if again:
        record("visitors.badge_reprint", visit.number, actor=user, count=len(again))
    params = {"visit_id": visit.id}
    if visitor_id is not None:
        params["visitor_id"] = visitor_id
    return params
