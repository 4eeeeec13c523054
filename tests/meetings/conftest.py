"""People, rooms and a clock for the meeting tests."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from portal.blueprints.meetings import services
from portal.blueprints.meetings.models import Room
from portal.blueprints.repairs.models import Location, RepairSettings
from portal.extensions import db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = "2026-12-07 08:00"  # a Monday


def local(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=SHANGHAI)


@pytest.fixture
def at(time_machine):
    """Stop the portal's clock at a Shanghai time: at("2026-12-08 09:50")."""

    def set_clock(value: str) -> datetime:
        moment = local(value)
        time_machine.move_to(moment, tick=False)
        return moment

    set_clock(NOW)
    return set_clock


@dataclass
class Cast:
    organiser: object
    attendee: object
    member: object  # of the invited department
    outsider: object
    office: object
    technician: object  # the facilities lead
    department: object
    room: object  # with a projector and microphones
    plain_room: object  # no equipment


def make_room(name: str, equipment: str = "", **fields) -> Room:
    room = Room(location=Location(building="办公楼A栋", floor="3层", room=name),
                equipment=equipment, capacity=fields.pop("capacity", 12), **fields)
    db.session.add(room)
    db.session.commit()
    return room


@pytest.fixture
def cast(app, make_user, make_department, at):
    department = make_department("研发部")
    organiser = make_user("employee", name="陈主任")
    attendee = make_user("employee", name="王小明", email="wang@example.com")
    member = make_user("employee", name="张三", department=department)
    outsider = make_user("employee", name="路人甲")
    office = make_user("employee", "office", name="办公室小刘")
    facilities = make_department("后勤部")
    technician = make_user("employee", "facilities", name="李师傅", department=facilities)
    db.session.add(RepairSettings(id=1, lead_id=technician.id))
    db.session.commit()
    return Cast(organiser, attendee, member, outsider, office, technician, department,
                make_room("301会议室", "projector microphones"), make_room("205小会议室"))


def plan(cast, start="2026-12-08 10:00", end="2026-12-08 11:00", room=None, **fields):
    return services.Plan(room=room or cast.room, title=fields.pop("title", "项目周例会"),
                         starts_at=local(start), ends_at=local(end),
                         people=fields.pop("people", [cast.attendee]), **fields)


def book(cast, organiser=None, **fields):
    booked = services.book(organiser or cast.organiser, plan(cast, **fields))
    db.session.commit()
    return booked.meetings[0]


def form(cast, room=None, **fields) -> dict:
    """What the booking form sends."""
    data = {"title": "项目周例会", "room_id": (room or cast.room).id, "day": "2026-12-08",
            "start": "10:00", "end": "11:00", "weeks": 1, "agenda": "进度",
            "people": cast.attendee.employee_no, "minute_taker": ""}
    data.update(fields)
    return data


def switch(auth, user) -> None:
    """Sign out whoever is signed in, and sign `user` in."""
    auth.logout()
    auth.login(user)
