"""Documents made in jobs: kind -> renderer(document) -> (filename, mimetype, bytes)."""

from portal.blueprints.meetings import queries
from portal.blueprints.meetings.models import Meeting
from portal.extensions import db
from portal.pdf import render_pdf


def meeting_pdf(document) -> tuple[str, str, bytes]:
    """The meeting on A4: agenda, attendees and their answers, minutes, action items."""
    meeting = db.session.get(Meeting, document.params["meeting_id"])
    pdf = render_pdf("meetings/pdf/meeting.html", meeting=meeting,
                     actions=queries.actions_of(meeting))
    return f"{meeting.number}.pdf", "application/pdf", pdf


RENDERERS = {"meeting_pdf": meeting_pdf}
