"""The meetings' two kinds of task source (tasks.sources): a meeting's action items
("meeting") and its equipment check ("meeting_check"). The task page links back to the meeting
for those who may know of it (need to know); facilities, who check rooms without taking part,
are linked to their list of checks instead.
"""

from flask_babel import lazy_gettext as _l

from portal.blueprints.accounts.models import User
from portal.blueprints.meetings.models import ACTION_SOURCE, CHECK_SOURCE, Meeting
from portal.blueprints.meetings.services import can_see
from portal.blueprints.tasks.sources import SourceLink, TaskSource, register_source
from portal.extensions import db
from portal.urls import path_for


def _meeting_link(meeting: Meeting) -> SourceLink:
    return SourceLink(_l("Meeting"), f"{meeting.number} {meeting.title}",
                      path_for("meetings.detail", meeting_id=meeting.id))


def action_link(source_id: int, user: User) -> SourceLink | None:
    """An action item links to the meeting whose minutes gave it, for those who may see it."""
    meeting = db.session.get(Meeting, source_id)
    if meeting is None or not can_see(meeting, user):
        return None
    return _meeting_link(meeting)


def check_link(source_id: int, user: User) -> SourceLink | None:
    """An equipment check links to the meeting for those who may see it, and to the list of
    checks for facilities (who need the room and the time, not the meeting)."""
    meeting = db.session.get(Meeting, source_id)
    if meeting is None:
        return None
    if can_see(meeting, user):
        return _meeting_link(meeting)
    if user.has_role("facilities"):
        return SourceLink(_l("Equipment checks"), str(meeting.room), "/meetings/checks")
    return None


register_source(TaskSource(ACTION_SOURCE, action_link))
register_source(TaskSource(CHECK_SOURCE, check_link))
