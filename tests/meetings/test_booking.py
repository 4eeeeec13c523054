"""Booking a room: through the form, never twice for one time, weekly across a holiday."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.blueprints.calendar.models import CompanyDay
from portal.blueprints.meetings import booking, services
from portal.blueprints.meetings.models import PENDING, Meeting
from portal.blueprints.notifications.models import Notification
from portal.errors import Refused
from portal.extensions import db
from tests.meetings.conftest import book, form, plan


def _notes(user) -> list[str]:
    return list(db.session.scalars(select(Notification.title).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def test_booking_through_the_form_invites_the_attendees(client, auth, cast):
    auth.login(cast.organiser)
    response = client.post("/meetings/new", data=form(cast, department_ids=[cast.department.id]))
    assert response.status_code == 303
    meeting = db.session.scalar(select(Meeting))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}")
    assert {a.user.name for a in meeting.attendees} == {"王小明", "张三"}
    assert any("项目周例会" in title for title in _notes(cast.attendee))
    assert any("项目周例会" in title for title in _notes(cast.member))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "301会议室" in page and "王小明" in page


def test_a_taken_slot_is_refused_beside_the_room_and_the_form_keeps_what_was_typed(
        client, auth, cast):
    book(cast, start="2026-12-08 10:00", end="2026-12-08 11:00")
    auth.login(cast.attendee)
    response = client.post("/meetings/new", data=form(
        cast, title="临时碰头会", start="10:30", end="11:30", agenda="我的议程"))
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "已被预订" in page or "already booked" in page
    assert "临时碰头会" in page and "我的议程" in page
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1


def test_back_to_back_meetings_are_fine_and_another_room_is_free(app, cast):
    book(cast, start="2026-12-08 10:00", end="2026-12-08 11:00")
    book(cast, start="2026-12-08 11:00", end="2026-12-08 12:00")
    book(cast, start="2026-12-08 10:00", end="2026-12-08 11:00", room=cast.plain_room)
    with pytest.raises(Refused):
        book(cast, start="2026-12-08 09:30", end="2026-12-08 10:01")


def test_a_cancelled_meeting_frees_its_room(app, cast):
    meeting = book(cast)
    services.cancel(meeting, cast.organiser)
    db.session.commit()
    assert book(cast).id != meeting.id


def test_bad_times_are_said_beside_the_fields(client, auth, cast):
    auth.login(cast.organiser)
    response = client.post("/meetings/new", data=form(cast, start="11:00", end="10:00",
                                                      title=""))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "data-error" in page
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 0


def test_a_room_of_other_departments_cannot_be_booked(client, auth, cast):
    cast.room.departments = [cast.department]
    db.session.commit()
    with pytest.raises(Refused):
        services.book(cast.organiser, plan(cast))
    db.session.rollback()
    assert services.book(cast.member, plan(cast)).meetings


def test_a_room_needing_approval_waits_for_the_office(client, auth, cast):
    cast.room.needs_approval = True
    db.session.commit()
    meeting = book(cast)
    assert meeting.status == PENDING and _notes(cast.office)
    assert not _notes(cast.attendee)  # invitations go out once approved
    auth.login(cast.office)
    assert client.post(f"/meetings/{meeting.id}/approve",
                       data={"answer": "approve"}).status_code == 303
    db.session.refresh(meeting)
    assert meeting.status == "confirmed" and _notes(cast.attendee)


def test_a_weekly_meeting_skips_a_public_holiday_and_says_so(client, auth, cast):
    db.session.add(CompanyDay(day=date(2027, 1, 1), kind="holiday", name="元旦"))
    db.session.commit()
    auth.login(cast.organiser)
    response = client.post("/meetings/new", follow_redirects=True, data=form(
        cast, title="部门联络员会议", day="2026-12-18", start="09:00", end="10:00", weeks=4))
    page = response.get_data(as_text=True)
    days = [m.starts_at.date() for m in db.session.scalars(
        select(Meeting).order_by(Meeting.starts_at))]
    assert days == [date(2026, 12, 18), date(2026, 12, 25), date(2027, 1, 8)]
    assert "2027-01-01" in page and "元旦" in page  # said on the page ...
    assert any("部门联络员会议" in t for t in _notes(cast.organiser))  # ... and in the portal
    series = {m.series_id for m in db.session.scalars(select(Meeting))}
    assert len(series) == 1 and None not in series


def test_two_app_servers_booking_the_same_slot_at_once_get_one_booking(app, cast):
    """Two threads, each its own app context and connection, released by a barrier."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises the whole database)")
    room_id, organiser_id, attendee_id = cast.room.id, cast.organiser.id, cast.attendee.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(title: str) -> None:
        from portal.blueprints.accounts.models import User
        from portal.blueprints.meetings.models import Room

        with app.app_context():
            try:
                room = db.session.get(Room, room_id)
                organiser = db.session.get(User, organiser_id)
                attendee = db.session.get(User, attendee_id)
                barrier.wait(timeout=10)
                services.book(organiser, plan(cast, room=room, title=title, people=[attendee]))
                db.session.commit()
                outcomes.append("booked")
            except Refused as error:
                db.session.rollback()
                outcomes.append(str(error.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(t,)) for t in ("甲会议", "乙会议")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["booked", str(booking.TAKEN)]), outcomes
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1


def test_the_database_itself_refuses_an_overlap_on_postgresql(app, cast):
    """Even a writer that skips the service's check cannot store a second booking."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    from sqlalchemy.exc import IntegrityError

    first = book(cast)
    db.session.add(Meeting(organiser_id=cast.organiser.id, title="插队", room_id=cast.room.id,
                           starts_at=first.starts_at, ends_at=first.ends_at, room_held=True))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_an_english_speaker_is_invited_in_english(client, auth, cast, make_user):
    emma = make_user("employee", name="Emma Lin", language="en")
    book(cast, people=[emma])
    assert _notes(emma) == ["Meeting invitation: 项目周例会, 2026-12-08 10:00, 301会议室"]
    auth.login(emma)
    page = client.get("/meetings/").get_data(as_text=True)
    assert "My meetings" in page and "项目周例会" in page


def test_the_office_refuses_a_booking_and_the_slot_is_free_again(client, auth, cast):
    cast.room.needs_approval = True
    db.session.commit()
    meeting = book(cast)
    auth.login(cast.office)
    page = client.get("/meetings/manage").get_data(as_text=True)
    assert "项目周例会" in page
    client.post(f"/meetings/{meeting.id}/approve", data={"answer": "refuse"})
    db.session.refresh(meeting)
    assert meeting.cancelled and not meeting.room_held
    assert any("未获批准" in t for t in _notes(cast.organiser))
    assert book(cast, organiser=cast.office).status == "confirmed"  # the office needs no approval


def test_the_office_edits_a_room(client, auth, cast):
    auth.login(cast.office)
    page = client.get(f"/meetings/manage?room={cast.room.id}").get_data(as_text=True)
    assert 'value="projector" checked' in page or "checked" in page
    response = client.post(f"/meetings/manage/{cast.room.id}", data={
        "location_id": cast.room.location_id, "capacity": 30, "equipment": ["video"],
        "active": "y"})
    assert response.status_code == 303
    db.session.refresh(cast.room)
    assert cast.room.capacity == 30 and cast.room.equipment_codes == ["video"]
    assert client.get("/meetings/manage?room=99999").status_code == 404
