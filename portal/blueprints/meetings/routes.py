"""Meetings 会议: my meetings, booking one, its page with answers, check-in, moving, cancelling.

Other views of the module: minutes.py (minutes, action items, the PDF) and rooms.py (the day
view, rooms, approvals, settings, the equipment checks). They add to this blueprint.
"""

from datetime import datetime, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    get_template_attribute,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.models import Department
from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.meetings import ics, queries, services
from portal.blueprints.meetings.forms import MeetingForm, WhenForm
from portal.blueprints.meetings.models import (
    EQUIPMENT,
    RESPONSES,
    STATUSES,
    MeetingSettings,
    Room,
)
from portal.blueprints.meetings.pages import (
    back,
    department_choices,
    detail_page,
    refused,
    room_choices,
)
from portal.converters import calendar_date, db_int
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import see_other
from portal.i18n import Translated
from portal.keys import plain
from portal.settings import read_settings
from portal.templating import kept_page
from portal.timeutil import utcnow

bp = Blueprint("meetings", __name__, url_prefix="/meetings", template_folder="templates")


bp.add_app_template_global(Translated(STATUSES), "meeting_statuses")
bp.add_app_template_global(RESPONSES, "meeting_responses")
bp.add_app_template_global(EQUIPMENT, "meeting_equipment")


@bp.get("/")
@reads_who_only(apart=True)  # the person and the list on one connection, outside the ORM
def index():
    """My meetings from today on: organising, invited, taking the minutes.

    The page's content is kept per the language, my roles' links and the list's rows."""
    me = current_user._get_current_object()
    meetings = queries.my_meetings(me, utcnow() - timedelta(hours=12))
    office, checks = me.has_role("office"), me.has_role("facilities", "office")
    key = ("meetings", office, checks, plain(meetings))
    return kept_page("meetings/index.html", key, lambda: dict(
        meetings=meetings, office=office, checks=checks,
        # The macro as loaded once: a {% from %} in the page would build its file again at
        # every request (the page has globals it has not).
        meeting_cards=get_template_attribute("meetings/_macros.html", "meeting_cards")))


def _new_form() -> MeetingForm:
    form = MeetingForm()
    form.room_id.choices = room_choices(current_user)
    form.department_ids.choices = department_choices()
    if request.method == "GET":  # a tap on a free slot of the day view fills room and time
        form.room_id.data = request.args.get("room", type=db_int)
        form.day.data = request.args.get("day", type=calendar_date)
        start = request.args.get("start", "")
        if len(start) == 5 and start[2] == ":" and start.replace(":", "").isdigit():
            form.start.data = datetime.strptime(start, "%H:%M").time()
            form.end.data = (datetime.strptime(start, "%H:%M") + timedelta(hours=1)).time()
    return form


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Book a room for a meeting: when, where, who; once or weekly."""
    form = _new_form()
    if form.validate_on_submit():
        starts_at, ends_at = form.times()
        plan = services.Plan(
            room=db.session.get(Room, form.room_id.data), title=form.title.data,
            starts_at=starts_at, ends_at=ends_at, agenda=form.agenda.data or "",
            people=form.people_found, minute_taker=form.minute_taker_user,
            departments=list(db.session.scalars(select(Department).where(
                Department.id.in_(form.department_ids.data)))), weeks=form.weeks.data)
        try:
            booked = services.book(current_user, plan)
        except Refused as error:
            db.session.rollback()
            form.room_id.errors = [*form.room_id.errors, str(error.message)]
            return render_template("meetings/new.html", form=form), 409
        db.session.commit()
        first = booked.meetings[0]
        flash(_("Booked: %(room)s, %(count)d meeting(s).", room=first.room.name,
                count=len(booked.meetings)), "success")
        for day, why in booked.skipped:
            flash(_("Not booked on %(day)s: %(why)s.", day=day.isoformat(), why=why), "info")
        return see_other(url_for("meetings.detail", meeting_id=first.id))
    return render_template("meetings/new.html", form=form), 422 if form.errors else 200


@bp.get("/<int:meeting_id>")
def detail(meeting_id: int):
    """One meeting: when, where, who comes, the minutes and action items."""
    return detail_page(queries.get_meeting(meeting_id, current_user))


@bp.post("/<int:meeting_id>/respond")
def respond(meeting_id: int):
    """An attendee accepts or declines."""
    meeting = queries.get_meeting(meeting_id, current_user)
    if meeting.attendee(current_user) is None:
        abort(403)
    try:
        services.respond(meeting, current_user, request.form.get("answer", ""))
    except Refused as error:
        return refused(meeting, error)
    db.session.commit()
    return back(meeting, _("Your answer is saved."))


@bp.post("/<int:meeting_id>/check-in")
def check_in(meeting_id: int):
    """Someone of the meeting says it takes place, so the room is kept."""
    meeting = queries.get_meeting(meeting_id, current_user)
    try:
        services.check_in(meeting, current_user, utcnow(),
                          read_settings(MeetingSettings).release_after_minutes)
    except Refused as error:
        return refused(meeting, error)
    db.session.commit()
    return back(meeting, _("Checked in: the room is kept for the meeting."))


def _changer(meeting_id: int):
    meeting = queries.get_meeting(meeting_id, current_user)
    if not services.can_change(meeting, current_user):
        abort(403)
    return meeting


@bp.post("/<int:meeting_id>/reschedule")
def reschedule(meeting_id: int):
    """Move the meeting; attendees, the calendar entry and the equipment check follow."""
    meeting = _changer(meeting_id)
    form = WhenForm()
    form.room_id.choices = room_choices(meeting.organiser)
    if not form.validate_on_submit():
        return detail_page(meeting, 422, when_form=form)
    try:
        services.reschedule(meeting, current_user, db.session.get(Room, form.room_id.data),
                            *form.times())
    except Refused as error:
        db.session.rollback()
        form.room_id.errors = [str(error.message)]
        return detail_page(queries.get_meeting(meeting_id, current_user), 409, when_form=form)
    db.session.commit()
    return back(meeting, _("The meeting has moved; everyone has been told."))


@bp.post("/<int:meeting_id>/cancel")
def cancel(meeting_id: int):
    """Cancel the meeting: the room is free again and everyone is told."""
    meeting = _changer(meeting_id)
    try:
        services.cancel(meeting, current_user,
                        with_following=request.form.get("following") == "1")
    except Refused as error:
        return refused(meeting, error)
    db.session.commit()
    return back(meeting, _("The meeting is cancelled; everyone has been told."))


@bp.get("/<int:meeting_id>/invite.ics")
def invitation(meeting_id: int):
    """The meeting for a calendar app; a changed or cancelled meeting updates the same entry."""
    meeting = queries.get_meeting(meeting_id, current_user)
    return Response(ics.invitation(meeting), mimetype="text/calendar",
                    headers={"Content-Disposition":
                             f'attachment; filename="{ics.filename(meeting)}"'})
