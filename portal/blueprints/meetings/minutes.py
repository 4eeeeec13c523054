"""Minutes 纪要, their action items (each a task linked to the meeting) and the meeting's PDF."""

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from portal.blueprints.documents.services import progress_widget, start_document
from portal.blueprints.meetings import queries, services
from portal.blueprints.meetings.forms import ActionForm, MinutesForm
from portal.blueprints.meetings.pages import back, detail_page, refused
from portal.blueprints.meetings.routes import bp
from portal.blueprints.tasks.forms import aware
from portal.errors import Refused
from portal.extensions import db


def _writer(meeting_id: int):
    meeting = queries.get_meeting(meeting_id, current_user)
    if not services.can_write_minutes(meeting, current_user):
        abort(403)
    return meeting


@bp.post("/<int:meeting_id>/minutes")
def minutes(meeting_id: int):
    """The organiser or the minute-taker records the minutes; attendees get them."""
    meeting = _writer(meeting_id)
    form = MinutesForm()
    if not form.validate_on_submit():
        return detail_page(meeting, 422, minutes_form=form)
    try:
        services.record_minutes(meeting, current_user, form.minutes.data)
    except Refused as error:
        return refused(meeting, error)
    db.session.commit()
    return back(meeting, _("The minutes are saved and sent to the attendees."))


@bp.post("/<int:meeting_id>/actions")
def add_action(meeting_id: int):
    """An action item: a task with an owner, a due time and acceptance criteria."""
    meeting = _writer(meeting_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return detail_page(meeting, 422, action_form=form)
    try:
        task = services.add_action(meeting, current_user, form.title.data, form.owner,
                                   aware(form.due_at.data), form.acceptance.data)
    except Refused as error:
        return refused(meeting, error)
    db.session.commit()
    return back(meeting, _("Action item %(number)s given to %(name)s.", number=task.number,
                            name=task.owner.name))


@bp.post("/<int:meeting_id>/pdf")
def pdf(meeting_id: int):
    """The meeting on paper (agenda, attendees, minutes, action items), made in the background."""
    meeting = queries.get_meeting(meeting_id, current_user)
    return progress_widget(start_document("meeting_pdf", current_user, meeting_id=meeting.id))
