"""Page pieces the meetings module's view files share (routes.py, minutes.py, rooms.py): the
meeting page with its forms, the choices of rooms and departments, the answer after an action."""

from flask import flash, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.models import Department
from portal.blueprints.meetings import queries, services
from portal.blueprints.meetings.forms import ActionForm, MinutesForm, WhenForm
from portal.blueprints.meetings.models import MeetingSettings
from portal.errors import Refused
from portal.extensions import db
from portal.htmx import see_other
from portal.settings import read_settings
from portal.timeutil import to_local, utcnow


def room_choices(user) -> list[tuple[int, str]]:
    return [(r.id, f"{r.name} · {r.capacity}") for r in queries.rooms() if r.bookable_by(user)]


def department_choices() -> list[tuple[int, str]]:
    departments = db.session.scalars(select(Department).order_by(Department.name))
    return [(d.id, d.name) for d in departments]


def detail_page(meeting, status: int = 200, **forms):
    """The meeting's page, with a failed form (and its errors) when one is given."""
    when = forms.get("when_form") or WhenForm(formdata=None, room_id=meeting.room_id,
                                              day=to_local(meeting.starts_at).date(),
                                              start=to_local(meeting.starts_at).time(),
                                              end=to_local(meeting.ends_at).time())
    when.room_id.choices = room_choices(meeting.organiser)
    page = render_template(
        "meetings/detail.html", meeting=meeting, now=utcnow(),
        # Kept offline for those taking part; the office's look at others' meetings is not.
        offline=services.takes_part(meeting, current_user),
        following=len(services.following(meeting)),
        can_change=services.can_change(meeting, current_user),
        can_write=services.can_write_minutes(meeting, current_user),
        mine=meeting.attendee(current_user), actions=queries.actions_of(meeting),
        release_after=read_settings(MeetingSettings).release_after_minutes,
        when_form=when, minutes_form=forms.get("minutes_form") or MinutesForm(
            formdata=None, minutes=meeting.minutes),
        action_form=forms.get("action_form") or ActionForm(formdata=None))
    return page, status


def back(meeting, message: str, category: str = "success"):
    flash(message, category)
    return see_other(url_for("meetings.detail", meeting_id=meeting.id))


def refused(meeting, error: Refused):
    db.session.rollback()
    return back(meeting, str(error.message), "error")
