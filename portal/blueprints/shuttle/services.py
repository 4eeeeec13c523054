"""Writes: drafts and publishing, following, home district, late-run seats.

Services flush; the route commits. A refusal a person must read is a `Refused`.
"""

from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from portal.blueprints.accounts.models import User
from portal.blueprints.audit.services import record
from portal.blueprints.notifications.services import notify
from portal.blueprints.overtime import shuttle as overtime
from portal.blueprints.shuttle import queries
from portal.blueprints.shuttle.diff import Diff, change_at_stop, diff
from portal.blueprints.shuttle.models import (
    DRAFT,
    IS_PUBLISHED,
    LATE,
    PUBLISHED,
    SERVICE_CHANGE,
    Follow,
    Home,
    LateBooking,
    Route,
    RouteException,
    Stop,
    StopTime,
    Version,
)
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.timeutil import local_at, utcnow
from portal.urls import path_for

DRAFT_FIELDS = ("weekdays", "plate", "seats", "driver_name", "driver_phone")


def open_draft(route: Route) -> Version:
    """The route's draft, started from its latest published version when there is none."""
    draft = queries.draft_of(route)
    if draft is not None:
        return draft
    latest = db.session.scalar(select(Version).where(
        Version.route_id == route.id, IS_PUBLISHED)
        .order_by(Version.number.desc()).limit(1))
    draft = Version(route=route, status=DRAFT)
    if latest is not None:
        for name in DRAFT_FIELDS:
            setattr(draft, name, getattr(latest, name))
        draft.times = [StopTime(stop_id=t.stop_id, position=t.position, time=t.time)
                       for t in latest.times]
    db.session.add(draft)
    db.session.flush()
    return draft


def save_draft(draft: Version, times: list[tuple[Stop, str]], **fields) -> None:
    """Replace the draft's vehicle, driver, weekdays and its ordered stops with times."""
    if draft.published:
        raise Refused(_("A published version is never changed; edit the draft."))
    for name in DRAFT_FIELDS:
        if name in fields:
            setattr(draft, name, fields[name])
    draft.times.clear()
    db.session.flush()  # the old rows go before the new ones take their positions
    draft.times.extend(StopTime(stop_id=stop.id, position=n, time=hhmm)
                       for n, (stop, hhmm) in enumerate(times))
    db.session.flush()
    record("shuttle.draft", f"shuttle_route:{draft.route_id}", stops=len(times))


def discard_draft(route: Route) -> None:
    """Delete the route's draft, if any (published versions are never touched)."""
    draft = queries.draft_of(route)
    if draft is not None:
        db.session.delete(draft)
        record("shuttle.discard_draft", f"shuttle_route:{route.id}")
        db.session.flush()


def notice_needed(kind: str, effective_from: date, today: date) -> bool:
    """A service change inside the notice period needs a reason (a correction never does)."""
    return kind == SERVICE_CHANGE and (effective_from - today).days < queries.settings().notice_days


def short_notice_message() -> str:
    return _("This service change takes effect in less than %(days)s days: say why it is "
             "published so late (the reason is shown in the notice).",
             days=queries.settings().notice_days)


def publish(draft: Version, by, kind: str, effective_from: date, reason: str,
            today: date) -> Version:
    """Publish the draft as the route's next version; followers hear what changed for them."""
    reason = reason.strip()
    if len(draft.times) < 2:
        raise Refused(_("A route needs at least two stops."))
    if effective_from < today:
        raise Refused(_("The effective date cannot be in the past."))
    if notice_needed(kind, effective_from, today) and not reason:
        raise Refused(short_notice_message())
    previous = db.session.scalar(select(Version).where(
        Version.route_id == draft.route_id, IS_PUBLISHED)
        .order_by(Version.number.desc()).limit(1))
    number = (previous.number if previous else 0) + 1
    # The draft turns published once: a second click (or a second editor) finds no draft.
    done = db.session.execute(
        update(Version).where(Version.id == draft.id, Version.status == DRAFT).values(
            status=PUBLISHED, number=number, kind=kind, effective_from=effective_from,
            reason=reason, published_at=utcnow(), published_by_id=by.id)).rowcount
    if done != 1:
        raise Refused(_("This draft was already published."))
    db.session.refresh(draft)
    record("shuttle.publish", f"shuttle_route:{draft.route_id}", number=number, kind=kind,
           effective_from=effective_from.isoformat(), reason=reason)
    notify_followers(draft, diff(previous, draft))
    return draft


TITLE = N_("Shuttle %(route)s: new timetable from %(date)s")
BODY = N_("%(change)s")
BODY_WITH_REASON = N_("%(change)s Published at short notice because: %(reason)s")


def notify_followers(version: Version, changes: Diff) -> int:
    """One notification per follower, saying what the new version changes at their stop."""
    followers = db.session.execute(
        select(User, Home).join(Follow, Follow.user_id == User.id)
        .outerjoin(Home, Home.user_id == User.id)
        .where(Follow.route_id == version.route_id, User.active)).all()
    route = version.route
    for user, home in followers:
        with force_locale(user.language or "zh_CN"):
            if home is not None and home.stop is not None:
                change = change_at_stop(changes, home.stop, version)
            else:
                change = _("See the route's page for what changed.")
        notify(user, TITLE, BODY_WITH_REASON if version.reason else BODY,
               link=path_for("shuttle.route", route_id=route.id), route=route.name,
               date=version.effective_from.isoformat(), change=change, reason=version.reason)
    return len(followers)


def follow(user, route: Route) -> None:
    if db.session.get(Follow, (user.id, route.id)) is None:
        db.session.add(Follow(user_id=user.id, route_id=route.id))
        db.session.flush()


def unfollow(user, route: Route) -> None:
    db.session.execute(delete(Follow).where(Follow.user_id == user.id,
                                            Follow.route_id == route.id))


def set_home(user, district_id: int, stop: Stop | None, today: date) -> Home:
    """Record the home district and preferred stop; changes are limited per month."""
    month = today.strftime("%Y-%m")
    home = queries.home_of(user)
    if home is None:
        home = Home(user_id=user.id, district_id=district_id, stop_id=stop.id if stop else None,
                    month=month, changes=0)
        db.session.add(home)
        db.session.flush()
        return home
    if (home.district_id, home.stop_id) == (district_id, stop.id if stop else None):
        return home
    used = home.changes if home.month == month else 0
    limit = queries.settings().home_changes_per_month
    if used >= limit:
        raise Refused(_("You have changed your home district or stop %(count)s times this "
                        "month, the most allowed; try again next month.", count=limit))
    home.district_id, home.stop_id = district_id, stop.id if stop else None
    home.month, home.changes = month, used + 1
    db.session.flush()
    return home


def add_exception(route: Route, day: date, runs: bool, note: str) -> RouteException:
    """A day this route runs or not, whatever the weekdays and the calendar say."""
    exception = db.session.scalar(select(RouteException).where(
        RouteException.route_id == route.id, RouteException.day == day))
    if exception is None:
        exception = RouteException(route_id=route.id, day=day)
        db.session.add(exception)
    exception.runs, exception.note = runs, note.strip()
    db.session.flush()
    record("shuttle.exception", f"shuttle_route:{route.id}", day=day.isoformat(), runs=runs)
    return exception


def cutoff_of(day: date, tz) -> datetime:
    return local_at(day, queries.settings().late_cutoff, tz)


def book_late(user, route: Route, stop_id: int, now: datetime) -> LateBooking:
    """A seat on tonight's late run, before the cut-off, never beyond the vehicle's seats.

    The run's row is locked (PostgreSQL) so bookings of one run queue up; the seat number's
    unique constraint is the last word if anything slips past.
    """
    today = now.date()
    if route.direction != LATE:
        raise Refused(_("Only a late run can be booked."))
    if now >= cutoff_of(today, now.tzinfo):
        raise Refused(_("Booking for tonight's late run closed at %(time)s.",
                        time=queries.settings().late_cutoff))
    db.session.scalar(select(Route.id).where(Route.id == route.id).with_for_update())
    version = queries.version_on(route, today)
    service = queries.service_days(route, today, today)[0] if version else None
    if version is None or not service.runs:
        raise Refused(_("This late run does not run tonight."))
    if version.time_at(stop_id) is None:
        raise Refused(_("Choose a stop of this run."))
    if queries.booking_of(user, today) is not None:
        raise Refused(_("You already have a seat tonight."))
    if not overtime.has_record_on(user, today):
        raise Refused(_("The late run is for people working late: record tonight's overtime "
                        "first, then book."))
    taken = set(db.session.scalars(select(LateBooking.seat).where(
        LateBooking.route_id == route.id, LateBooking.day == today)))
    free = [seat for seat in range(1, version.seats + 1) if seat not in taken]
    if not free:
        raise Refused(_("Tonight's late run is full."))
    booking = LateBooking(route_id=route.id, day=today, seat=free[0], user_id=user.id,
                          stop_id=stop_id)
    try:
        with db.session.begin_nested():
            db.session.add(booking)
    except IntegrityError:
        raise Refused(_("That seat was just taken; try again.")) from None
    return booking


def cancel_late(user, today: date) -> None:
    """Give tonight's seat back: someone else can book it."""
    booking = queries.booking_of(user, today)
    if booking is None:
        raise Refused(_("You have no seat tonight."))
    db.session.delete(booking)
    db.session.flush()


def seats_left(route: Route, version: Version | None, day: date) -> int:
    if version is None:
        return 0
    taken = db.session.scalar(select(func.count()).select_from(LateBooking).where(
        LateBooking.route_id == route.id, LateBooking.day == day))
    return max(version.seats - taken, 0)
