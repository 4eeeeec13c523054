"""Rooms: the office adds them from the location list; the day view shows who holds what."""

from sqlalchemy import select

from portal.blueprints.meetings.models import Room
from portal.blueprints.repairs.models import Location
from portal.extensions import db
from tests.meetings.conftest import book


def test_the_office_makes_a_place_of_the_location_list_a_room(client, auth, cast,
                                                              make_department):
    place = Location(building="研发楼", floor="1层", room="视频会议室")
    db.session.add(place)
    db.session.commit()
    auth.login(cast.office)
    page = client.get("/meetings/manage").get_data(as_text=True)
    assert "研发楼 · 1层 · 视频会议室" in page
    assert "301会议室" not in page.split('id="room-form"')[1]  # already a room: not offered
    response = client.post("/meetings/manage", data={
        "location_id": place.id, "capacity": 12, "equipment": ["video", "screen"],
        "department_ids": [cast.department.id], "needs_approval": "y", "active": "y"})
    assert response.status_code == 303
    room = db.session.scalar(select(Room).where(Room.location_id == place.id))
    assert room.equipment_codes == ["video", "screen"] and room.needs_approval
    assert [d.name for d in room.departments] == ["研发部"]
    assert db.session.scalar(select(db.func.count()).select_from(Location)) == 3  # no new list
    bad = client.post("/meetings/manage", data={"location_id": 9999, "capacity": 0})
    assert bad.status_code == 422 and "data-error" in bad.get_data(as_text=True)


def test_the_day_view_shows_rooms_by_hours_and_free_slots_to_book(client, auth, cast):
    book(cast, title="保密会议", start="2026-12-08 10:00", end="2026-12-08 11:00")
    auth.login(cast.outsider)
    page = client.get("/meetings/rooms?day=2026-12-08").get_data(as_text=True)
    assert "301会议室" in page and "205小会议室" in page
    assert "保密会议" not in page  # a booked slot says booked, not what or whose
    assert 'class="taken"' in page
    # The phone's list: 301 is free until 10:00 and again from 11:00.
    assert "08:00–10:00" in page and "11:00–21:00" in page
    assert "/meetings/new?room=" in page
    fragment = client.get("/meetings/rooms?day=2026-12-09", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="room-day">')


def test_a_free_slot_fills_the_booking_form(client, auth, cast):
    auth.login(cast.organiser)
    page = client.get(f"/meetings/new?room={cast.room.id}&day=2026-12-08&start=14:30")
    html = page.get_data(as_text=True)
    assert 'value="2026-12-08"' in html and 'value="14:30"' in html and 'value="15:30"' in html


def test_the_module_gives_the_url_sweeps_real_objects(app, make_user, make_department):
    from portal.blueprints.meetings import MODULE

    arguments = MODULE.url_arguments(make_user, make_department)
    assert db.session.get(Room, arguments["room_id"]) is not None
