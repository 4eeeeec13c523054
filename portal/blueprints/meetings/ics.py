"""The meeting as an iCalendar file (RFC 5545) that calendar apps accept and keep up to date.

One UID per meeting for its whole life; SEQUENCE grows with every change, so an update moves
the entry instead of adding a second one; a cancelled meeting is METHOD:CANCEL. Times carry
TZID=Asia/Shanghai (the portal's zone) with its VTIMEZONE in the file.
"""

from icalendar import Calendar, Event, vCalAddress, vText

from portal.blueprints.meetings.models import Meeting
from portal.timeutil import to_local, utcnow


def uid(meeting: Meeting) -> str:
    """Stable whatever address the portal was reached by (a new UID would duplicate the entry)."""
    return f"meeting-{meeting.id}@zhongshu.portal"


def _address(person) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}" if person.email
                          else f"urn:zhongshu:{person.employee_no}")
    address.params["CN"] = vText(person.name)
    return address


def invitation(meeting: Meeting) -> bytes:
    """REQUEST (new or changed) or CANCEL, as bytes for a download or an e-mail."""
    calendar = Calendar()
    calendar.add("prodid", "-//Zhongshu//Meetings//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if meeting.cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", to_local(meeting.starts_at))
    event.add("dtend", to_local(meeting.ends_at))
    event.add("summary", meeting.title)
    event.add("location", str(meeting.room))
    if meeting.agenda:
        event.add("description", meeting.agenda)
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("organizer", _address(meeting.organiser))
    for attendee in meeting.attendees:
        event.add("attendee", _address(attendee.user))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def filename(meeting: Meeting) -> str:
    return f"{meeting.number}.ics"
