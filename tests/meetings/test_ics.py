"""The .ics download: one UID for the meeting's life, SEQUENCE up on each change, CANCEL."""

from datetime import datetime

from icalendar import Calendar

from portal.blueprints.meetings.models import Meeting
from portal.extensions import db
from tests.meetings.conftest import SHANGHAI, book, local, switch


def _event(client, meeting_id: int):
    response = client.get(f"/meetings/{meeting_id}/invite.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return calendar, events[0]


def test_the_calendar_file_moves_the_same_entry_then_cancels_it(client, auth, cast):
    meeting = book(cast, title="项目周例会")
    auth.login(cast.attendee)
    calendar, event = _event(client, meeting.id)
    uid = str(event["UID"])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert int(event["SEQUENCE"]) == 0
    assert str(event["SUMMARY"]) == "项目周例会"
    start = event.decoded("DTSTART")
    assert start == local("2026-12-08 10:00")
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert "301会议室" in str(event["LOCATION"])

    switch(auth, cast.organiser)
    response = client.post(f"/meetings/{meeting.id}/reschedule", data={
        "room_id": cast.room.id, "day": "2026-12-09", "start": "14:00", "end": "15:00"})
    assert response.status_code == 303
    calendar, event = _event(client, meeting.id)
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == datetime(2026, 12, 9, 14, 0, tzinfo=SHANGHAI)

    assert client.post(f"/meetings/{meeting.id}/cancel").status_code == 303
    calendar, event = _event(client, meeting.id)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2


def test_each_meeting_of_a_series_has_its_own_uid(client, auth, cast):
    book(cast, weeks=3)
    auth.login(cast.organiser)
    uids = {str(_event(client, m.id)[1]["UID"]) for m in db.session.scalars(db.select(Meeting))}
    assert len(uids) == 3
