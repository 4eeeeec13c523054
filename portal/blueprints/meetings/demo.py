"""Demo rooms and this week's meetings, among them the weekly liaison meeting 部门联络员会议.

Called after the repair module's demo (its places exist); idempotent: nothing if rooms exist.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.meetings import services
from portal.blueprints.meetings.models import Room
from portal.blueprints.repairs.models import Location
from portal.extensions import db
from portal.timeutil import local_today, monday_of, portal_tz

ROOMS = [  # (building, floor, room, seats, equipment, needs approval)
    ("办公楼A栋", "3层", "301会议室", 20, "projector screen microphones", False),
    ("办公楼A栋", "2层", "205小会议室", 8, "screen whiteboard", False),
    ("研发楼", "1层", "视频会议室", 12, "video screen microphones", False),
    ("办公楼A栋", "5层", "第一会议室", 60, "projector screen microphones video", True),
]


def _place(building: str, floor: str, name: str) -> Location:
    place = db.session.scalar(select(Location).where(
        Location.building == building, Location.floor == floor, Location.room == name))
    if place is None:
        place = Location(building=building, floor=floor, room=name)
        db.session.add(place)
        db.session.flush()
    return place


def load_demo() -> None:
    if db.session.scalar(select(Room.id).limit(1)) is not None:
        return
    rooms = {}
    for building, floor, name, seats, equipment, approval in ROOMS:
        room = Room(location=_place(building, floor, name), capacity=seats, equipment=equipment,
                    needs_approval=approval)
        db.session.add(room)
        rooms[name] = room
    db.session.flush()
    office = User.by_employee_no("A0001")
    head = User.by_employee_no("H1001")
    worker = User.by_employee_no("E1001")
    if None in (office, head, worker):
        db.session.commit()
        return
    departments = list(db.session.scalars(select(Department).order_by(Department.id).limit(3)))
    monday = monday_of(local_today())

    def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(monday + timedelta(days=day_offset), time(hour, minute),
                                tzinfo=portal_tz())

    services.book(office, services.Plan(
        room=rooms["301会议室"], title="部门联络员会议", starts_at=at(0, 9), ends_at=at(0, 10),
        agenda="1. 上周督办事项进展\n2. 本周重点工作\n3. 其他事项",
        people=[head, worker], minute_taker=worker, weeks=8))
    services.book(head, services.Plan(
        room=rooms["视频会议室"], title="研发项目周例会（视频）", starts_at=at(2, 14),
        ends_at=at(2, 15, 30), agenda="各项目进度汇报", departments=departments[:1],
        people=[worker]))
    services.book(worker, services.Plan(
        room=rooms["205小会议室"], title="新员工入职培训安排", starts_at=at(3, 10),
        ends_at=at(3, 11), people=[head]))
    services.book(office, services.Plan(
        room=rooms["第一会议室"], title="年度安全生产工作会", starts_at=at(4, 15),
        ends_at=at(4, 17), agenda="年度总结与明年计划", people=[head, worker]))
    db.session.commit()


def url_arguments(make_user, make_department) -> dict:
    """A real meeting (and room) for the URL sweeps of the test suite."""
    place = Location(building="测试楼", floor="1层", room=f"会议室{make_department().id}")
    room = Room(location=place, capacity=6, equipment="projector")
    db.session.add(room)
    db.session.flush()
    organiser = make_user()
    start = datetime.combine(local_today() + timedelta(days=7), time(10), tzinfo=portal_tz())
    booked = services.book(organiser, services.Plan(room=room, title="检查用会议",
                                                    starts_at=start,
                                                    ends_at=start + timedelta(hours=1)))
    db.session.commit()
    return {"meeting_id": booked.meetings[0].id, "room_id": room.id}
