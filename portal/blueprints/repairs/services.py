"""Writes with several steps: filing a request and moving it through its workflow.

Each function checks the state it expects, records a timeline event, notifies the people
concerned and flushes; the route or job commits. Who may call what is decided by the route
(role_required, get_request) and, for person-bound steps, by can_work_on here; which steps
the pages offer whom is next_steps()'s one answer.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.blueprints.accounts.models import User
from portal.blueprints.audit.services import record
from portal.blueprints.notifications.services import notify
from portal.blueprints.repairs import calendars, importer
from portal.blueprints.repairs.models import (
    ACCEPTED,
    CONFIRMED,
    IN_PROGRESS,
    LABELS,
    REOPENED,
    RESOLVED,
    SUBMITTED,
    WAITING_FIX,
    Asset,
    Location,
    OnCallShift,
    RepairCounter,
    RepairEvent,
    RepairPhoto,
    RepairRequest,
    RepairSettings,
)
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.settings import read_settings
from portal.timeutil import to_local, utcnow
from portal.urls import path_for


def refusal(request: RepairRequest) -> Refused:
    """The request's state does not allow the step (a double tap, a stale page): say so."""
    return Refused(_("This step is not possible now: the request is “%(status)s”.",
                     status=LABELS.statuses[request.status]))


# The states each person-bound step starts from. Routes ask before reading a form (so a stale
# page gets "not possible now", not a form error it cannot see); the steps check again.
STEP_FROM = {
    "start": (ACCEPTED, REOPENED),
    "resolve": (IN_PROGRESS,),
    "confirm": (RESOLVED,),
    "reopen": (RESOLVED,),
    "rate": (CONFIRMED,),
}


def step_possible(request: RepairRequest, step: str) -> bool:
    """Whether `step` may be taken on the request in its present state."""
    if step == "rate" and request.rating is not None:
        return False  # once
    return request.status in STEP_FROM[step]


def detail_path(request_id: int) -> str:
    """The request's page as a path; built without a web request, so jobs can link to it."""
    return path_for("repairs.detail", request_id=request_id)


def _link(request: RepairRequest) -> str:
    return detail_path(request.id)


def _event(request: RepairRequest, actor: User | None, action: str, note: str = "",
           at: datetime | None = None) -> RepairEvent:
    event = RepairEvent(request=request, actor=actor, action=action, note=note,
                        created_at=at or utcnow())
    db.session.add(event)
    return event


def _tell_requester(request: RepairRequest, title: str, **params) -> None:
    notify(request.requester, title, link=_link(request), number=request.number, **params)


def next_number(year: int) -> str:
    """The next readable number of `year`, e.g. BX-2026-000123 (safe across app servers)."""
    bump = (update(RepairCounter).where(RepairCounter.year == year)
            .values(last=RepairCounter.last + 1).execution_options(synchronize_session=False))
    if db.session.execute(bump).rowcount == 0:
        try:
            with db.session.begin_nested():  # the first request of a year creates the row
                db.session.add(RepairCounter(year=year, last=1))
        except IntegrityError:  # another server created it first: count on from theirs
            db.session.execute(bump)
    last = db.session.scalar(select(RepairCounter.last).where(RepairCounter.year == year))
    return f"BX-{year}-{last:06d}"


def submit_request(requester: User, data: dict, photos: list[tuple[bytes, int, int]],
                   now: datetime | None = None) -> RepairRequest:
    """File a request: number, targets, photos, timeline; a lab request goes to the on-duty tech."""
    now = now or utcnow()
    response_due, resolution_due = calendars.targets_for(data["category"], data["urgency"], now)
    request = RepairRequest(
        number=next_number(to_local(now).year), requester=requester,
        department_id=requester.department_id, category=data["category"],
        urgency=data["urgency"], location_id=data["location_id"],
        asset_id=data.get("asset_id") or None, description=data["description"].strip(),
        status=SUBMITTED, created_at=now, response_due=response_due,
        resolution_due=resolution_due, due_at=response_due,
    )
    db.session.add(request)
    for content, width, height in photos:
        request.photos.append(RepairPhoto(kind="report", content=content, width=width,
                                          height=height, created_at=now))
    _event(request, requester, "submitted", at=now)
    db.session.flush()
    if request.is_lab:
        _send_to_on_call(request, now)
    return request


def lead_recipients(settings: RepairSettings) -> list[User]:
    """The facilities lead; if none is set, every facilities member (nobody is forgotten)."""
    if settings.lead is not None and settings.lead.active:
        return [settings.lead]
    return User.with_role("facilities")


def _send_to_on_call(request: RepairRequest, now: datetime) -> None:
    """The 24-hour channel: the rota's technician gets the request as assignee at once.

    It stays "submitted": the technician still answers within the response target, so the
    reminder and the escalation keep watching a night that nobody answers. With nobody on the
    rota, the lead (or, without a lead, all of facilities) is told instead.
    """
    technician = calendars.on_duty_technician(now)
    if technician is not None:
        request.assignee = technician
        _event(request, None, "rota_assigned", note=technician.name, at=now)
        recipients = [technician]
    else:
        recipients = lead_recipients(read_settings(RepairSettings))
        _event(request, None, "no_one_on_duty", note=", ".join(u.name for u in recipients),
               at=now)
    for person in recipients:
        notify(person, N_("Lab equipment request %(number)s: %(place)s"),
               N_("Filed on the 24-hour channel. Please respond within the target."),
               link=_link(request), number=request.number, place=str(request.location))


def can_work_on(request: RepairRequest, user: User,
                settings: RepairSettings | None = None) -> bool:
    """Start and resolve: the assigned technician, or the facilities lead standing in."""
    lead_id = (settings or read_settings(RepairSettings)).lead_id
    return user.id == request.assignee_id or user.id == lead_id


def next_steps(request: RepairRequest, user: User,
               settings: RepairSettings | None = None) -> list[str]:
    """What `user` may do with `request` now, in the order the pages offer them.

    The request's page and the queue's cards show these and nothing else. Each step checks its
    state again when taken, so a stale page gets "not possible now" instead of a wrong write.
    `settings`: read once by a caller asking for many requests (the queue).
    """
    steps = []
    if user.has_role("facilities"):
        if request.status == SUBMITTED:
            steps.append("accept")
        elif request.status in WAITING_FIX:
            steps.append("reassign")
        if can_work_on(request, user, settings):
            steps += [step for step in ("start", "resolve") if step_possible(request, step)]
    if request.requester_id == user.id:
        steps += [step for step in ("confirm", "reopen", "rate") if step_possible(request, step)]
    return steps


def accept(request: RepairRequest, actor: User, assignee: User) -> None:
    """Facilities take the request on and name who fixes it (the response)."""
    if request.status != SUBMITTED:
        raise refusal(request)
    request.status, request.assignee, request.accepted_at = ACCEPTED, assignee, utcnow()
    request.due_at = request.resolution_due
    _event(request, actor, "accepted", note="" if assignee.id == actor.id else assignee.name)
    _tell_requester(request, N_("Your repair request %(number)s was accepted by %(name)s"),
                    name=assignee.name)
    if assignee.id != actor.id:
        notify(assignee, N_("Repair request %(number)s was assigned to you"), link=_link(request),
               number=request.number)


def assign(request: RepairRequest, actor: User, assignee: User) -> None:
    """Give an open request to a (different) technician; a submitted one is accepted too."""
    if request.status == SUBMITTED:
        accept(request, actor, assignee)
        return
    if request.status not in WAITING_FIX:
        raise refusal(request)
    if request.assignee_id == assignee.id:
        return
    request.assignee = assignee
    _event(request, actor, "assigned", note=assignee.name)
    notify(assignee, N_("Repair request %(number)s was assigned to you"), link=_link(request),
           number=request.number)
    _tell_requester(request, N_("Your repair request %(number)s is now with %(name)s"),
                    name=assignee.name)


def start(request: RepairRequest, actor: User) -> None:
    """The technician is on it."""
    if not step_possible(request, "start"):
        raise refusal(request)
    request.status, request.started_at = IN_PROGRESS, request.started_at or utcnow()
    _event(request, actor, "started")
    _tell_requester(request, N_("Work on your repair request %(number)s has started"))


def resolve(request: RepairRequest, actor: User, resolution: str,
            photo: tuple[bytes, int, int] | None = None) -> None:
    """Fixed: what was done, optionally a photo of the fix; the requester is asked to confirm."""
    if not step_possible(request, "resolve"):
        raise refusal(request)
    request.status, request.resolved_at, request.due_at = RESOLVED, utcnow(), None
    request.resolution = resolution.strip()
    if photo is not None:
        content, width, height = photo
        request.photos.append(RepairPhoto(kind="fix", content=content, width=width, height=height))
    _event(request, actor, "resolved", note=request.resolution)
    _tell_requester(request, N_("Your repair request %(number)s is fixed: please confirm"))


def confirm(request: RepairRequest, actor: User) -> None:
    """The requester agrees it is fixed: the request is closed."""
    if not step_possible(request, "confirm"):
        raise refusal(request)
    request.status, request.closed_at = CONFIRMED, utcnow()
    _event(request, actor, "confirmed")
    if request.assignee is not None:
        notify(request.assignee, N_("Repair request %(number)s was confirmed as fixed"),
               link=_link(request), number=request.number)


def reopen(request: RepairRequest, actor: User, reason: str) -> None:
    """Not fixed after all: back to the technician, with a new resolution target."""
    if not step_possible(request, "reopen"):
        raise refusal(request)
    now = utcnow()
    request.status, request.resolved_at = REOPENED, None
    request.resolution_due = calendars.resolution_due_from(request.category, request.urgency, now)
    request.due_at = request.resolution_due
    _event(request, actor, "reopened", note=reason.strip(), at=now)
    if request.assignee is not None:
        notify(request.assignee, N_("Repair request %(number)s was reopened: %(reason)s"),
               link=_link(request), number=request.number, reason=reason.strip()[:100])


def auto_confirm(request: RepairRequest, now: datetime) -> None:
    """Nobody answered within the set days: closed as confirmed by the system."""
    if request.status != RESOLVED:
        raise refusal(request)
    request.status, request.closed_at = CONFIRMED, now
    _event(request, None, "auto_confirmed", at=now)
    _tell_requester(request, N_("Your repair request %(number)s was closed automatically"))


def rate(request: RepairRequest, actor: User, rating: int, comment: str) -> None:
    """The requester's 1–5 and comment, once, after closing."""
    if not step_possible(request, "rate"):
        raise refusal(request)
    request.rating, request.rating_comment = rating, (comment or "").strip()
    _event(request, actor, "rated", note=f"{rating}/5 {request.rating_comment}".strip())


def check_asset_location(data: dict) -> bool:
    """The chosen asset (if any) stands in the chosen room."""
    asset_id = data.get("asset_id")
    if not asset_id:
        return True
    asset = db.session.get(Asset, asset_id)
    return asset is not None and asset.location_id == data["location_id"]


def bulk_assign(actor: User, ids: list[int], technician: User) -> int:
    """Give the requests `ids` to one technician; those closed meanwhile are left. Returns how
    many were given."""
    done = 0
    for request in db.session.scalars(select(RepairRequest).where(RepairRequest.id.in_(ids))):
        try:
            assign(request, actor, technician)
            done += 1
        except Refused:
            continue
    record("repairs.bulk_assign", f"user:{technician.id}", ids=ids, assigned=done)
    return done


# Set-up by facilities: rooms, devices, the rota. Each write records itself in the audit log.

def save_location(place: Location | None, building: str, floor: str, room: str) -> Location:
    """Add a room, or rename one (its QR labels keep working: they carry the id, not the name)."""
    key = (building.strip(), floor.strip(), room.strip())
    clash = db.session.scalar(select(Location).where(
        Location.building == key[0], Location.floor == key[1], Location.room == key[2]))
    if clash is not None and clash is not place:
        raise Refused(_("This room exists already."))
    if place is None:
        place = Location(building=key[0], floor=key[1], room=key[2])
        db.session.add(place)
        db.session.flush()
        record("repairs.location_add", f"location:{place.id}", name=str(place))
        return place
    before = str(place)
    place.building, place.floor, place.room = key
    record("repairs.location_edit", f"location:{place.id}", before=before, after=str(place))
    return place


def save_asset(asset: Asset | None, code: str, name: str, category: str,
               location_id: int) -> Asset:
    """Add a device to a room, or rename, recategorise or move one."""
    clash = db.session.scalar(select(Asset).where(Asset.code == code.strip()))
    if clash is not None and clash is not asset:
        raise Refused(_("This asset tag exists already."))
    adding = asset is None
    if adding:
        asset = Asset()
        db.session.add(asset)
    asset.code, asset.name = code.strip(), name.strip()
    asset.category, asset.location_id = category, location_id
    db.session.flush()
    if adding:
        record("repairs.asset_add", f"asset:{asset.id}", code=asset.code)
    else:
        record("repairs.asset_edit", f"asset:{asset.id}", code=asset.code,
               location_id=asset.location_id)
    return asset


def toggle_location(place: Location) -> None:
    """Take a room out of use (no new requests, no labels), or back into use."""
    place.active = not place.active
    record("repairs.location_active", f"location:{place.id}", active=place.active)


def toggle_asset(asset: Asset) -> None:
    """Take a device out of use, or back into use."""
    asset.active = not asset.active
    record("repairs.asset_active", f"asset:{asset.id}", active=asset.active)


def import_places(report: importer.ImportReport) -> None:
    """Write the checked rows of a CSV import (only when none was refused)."""
    importer.apply_rows(report)
    record("repairs.import", "locations", rooms=report.rooms_created,
           assets=report.assets_saved)


def add_shift(user_id: int, starts_at: datetime, ends_at: datetime) -> OnCallShift:
    """Put a technician on the rota from `starts_at` to `ends_at`."""
    shift = OnCallShift(user_id=user_id, starts_at=starts_at, ends_at=ends_at)
    db.session.add(shift)
    db.session.flush()
    record("repairs.rota_add", f"shift:{shift.id}", user_id=shift.user_id)
    return shift


def delete_shift(shift: OnCallShift) -> None:
    """Take a shift off the rota."""
    record("repairs.rota_delete", f"shift:{shift.id}", user_id=shift.user_id)
    db.session.delete(shift)
