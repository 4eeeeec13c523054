"""Rooms: the day view (rooms × hours on a desktop, free slots on a phone), the office's room
list, approvals and settings, and facilities' list of equipment checks."""

from datetime import date, timedelta

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.models import Department
from portal.blueprints.audit.services import record
from portal.blueprints.meetings import checks, queries, services
from portal.blueprints.meetings.forms import FaultForm, RoomForm, SettingsForm
from portal.blueprints.meetings.models import Meeting, MeetingSettings, Room
from portal.blueprints.meetings.pages import department_choices
from portal.blueprints.meetings.routes import bp
from portal.blueprints.repairs.models import Location
from portal.converters import calendar_date, db_int
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import render, see_other
from portal.security import role_required
from portal.settings import read_settings, save_settings
from portal.timeutil import local_now, utcnow


def _day() -> date:
    return request.args.get("day", type=calendar_date) or local_now().date()


@bp.get("/rooms")
def day():
    """Which room is free when, on one day."""
    day = _day()
    return render("meetings/day.html", "grid", day=day, view=queries.day_view(day),
                  hours=range(queries.DAY_FROM, queries.DAY_TO), now=local_now(),
                  previous=day - timedelta(days=1), following=day + timedelta(days=1))


# The office: rooms, approvals, settings.

def _room_form(room: Room | None = None) -> RoomForm:
    form = RoomForm(obj=room) if room else RoomForm()
    taken = {r.location_id for r in queries.rooms(active_only=False)} - (
        {room.location_id} if room else set())
    places = db.session.scalars(select(Location).where(Location.active.is_(True))
                                .order_by(Location.building, Location.floor, Location.room))
    form.location_id.choices = [(p.id, str(p)) for p in places if p.id not in taken]
    form.department_ids.choices = department_choices()
    if room is not None and request.method == "GET":
        form.equipment.data = room.equipment_codes
        form.department_ids.data = [d.id for d in room.departments]
    return form


def _rooms_page(form: RoomForm, status: int = 200, room: Room | None = None):
    return render_template("meetings/rooms.html", rooms=queries.rooms(active_only=False),
                           form=form, room=room, pending=queries.pending_approvals(),
                           settings_form=SettingsForm(obj=read_settings(MeetingSettings))), status


def _save_room(form: RoomForm, room: Room) -> None:
    room.location_id = form.location_id.data
    room.capacity = form.capacity.data
    room.equipment = " ".join(form.equipment.data or [])
    room.needs_approval = form.needs_approval.data
    room.active = form.active.data
    room.departments = [d for d in (db.session.get(Department, i)
                                    for i in form.department_ids.data) if d is not None]


@bp.route("/manage", methods=["GET", "POST"])
@role_required("office")
def manage():
    """The office's rooms: add one (a place of the location list), approvals, the release time.

    With ?room=<id>, that room's form instead of the new room's (saved by edit_room).
    """
    room_id = request.args.get("room", type=db_int)
    if room_id and request.method == "GET":
        room = db.get_or_404(Room, room_id)
        return _rooms_page(_room_form(room), room=room)
    form = _room_form()
    if form.validate_on_submit():
        room = Room()
        _save_room(form, room)
        db.session.add(room)
        db.session.flush()
        record("meeting.room_add", str(room), room=room.id)
        db.session.commit()
        flash(_("Room %(room)s added.", room=room.name), "success")
        return see_other(url_for("meetings.manage"))
    return _rooms_page(form, 422 if form.errors else 200)


@bp.post("/manage/<int:room_id>")
@role_required("office")
def edit_room(room_id: int):
    """Change a room's seats, equipment, who books it, approval; or take it out of use."""
    room = db.get_or_404(Room, room_id)
    form = _room_form(room)
    if form.validate_on_submit():
        _save_room(form, room)
        record("meeting.room_edit", str(room), room=room.id)
        db.session.commit()
        flash(_("Saved."), "success")
        return see_other(url_for("meetings.manage"))
    return _rooms_page(form, 422 if form.errors else 200, room=room)


@bp.post("/manage/settings")
@role_required("office")
def settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        flash(_("Type a number of minutes from 5 to 120."), "error")
        return see_other(url_for("meetings.manage"))
    save_settings(MeetingSettings, "meetings.settings",
                  release_after_minutes=form.release_after_minutes.data)
    db.session.commit()
    flash(_("Saved."), "success")
    return see_other(url_for("meetings.manage"))


@bp.post("/<int:meeting_id>/approve")
@role_required("office")
def approve(meeting_id: int):
    """Let a booking of a room that needs approval go ahead, or refuse it."""
    meeting = db.get_or_404(Meeting, meeting_id)
    try:
        if request.form.get("answer") == "refuse":
            services.refuse(meeting, current_user)
        else:
            services.approve(meeting, current_user)
    except Refused as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return see_other(url_for("meetings.manage"))
    db.session.commit()
    flash(_("Done: %(number)s.", number=meeting.number), "success")
    return see_other(url_for("meetings.manage"))


# Facilities: equipment checks.

@bp.get("/checks")
@role_required("facilities", "office")
def checks_list():
    """Equipment checks of the coming meetings, soonest first, each with its fault form."""
    return render_template("meetings/checks.html", rows=queries.upcoming_checks(utcnow()),
                           form=FaultForm(formdata=None), failed=0)


@bp.post("/checks/<int:meeting_id>/fault")
@role_required("facilities")
def fault(meeting_id: int):
    """The check found a fault: it becomes a repair request, and the organiser is told."""
    meeting = db.get_or_404(Meeting, meeting_id)
    if checks.check_task(meeting) is None:
        abort(404)
    form = FaultForm()
    if not form.validate_on_submit():
        return render_template("meetings/checks.html", rows=queries.upcoming_checks(utcnow()),
                               form=form, failed=meeting.id), 422
    repair = checks.report_fault(meeting, current_user, form.description.data)
    db.session.commit()
    flash(_("Repair request %(number)s filed; the organiser has been told.",
            number=repair.number), "success")
    return see_other(url_for("meetings.checks_list"))
