"""The demo: rooms with equipment, this week's meetings with a weekly one, loaded once."""

from sqlalchemy import func, select

from portal import demo
from portal.blueprints.meetings.demo import load_demo
from portal.blueprints.meetings.models import CHECK_SOURCE, Meeting, Room
from portal.blueprints.tasks.models import Task
from portal.extensions import db


def test_demo_rooms_and_this_weeks_meetings_load_once(app, client, auth):
    demo.load()  # people, the calendar, then every module's demo (this one last)
    load_demo()  # a second call adds nothing
    assert db.session.scalar(select(func.count()).select_from(Room)) == 4
    assert all(room.equipment_codes for room in db.session.scalars(select(Room)))
    weekly = db.session.scalars(select(Meeting).where(Meeting.title == "部门联络员会议")).all()
    assert len(weekly) >= 6 and len({m.series_id for m in weekly}) == 1
    assert db.session.scalar(select(func.count()).select_from(Task).where(
        Task.source_kind == CHECK_SOURCE)) >= 6
    worker = db.session.scalar(select(demo.User).where(demo.User.employee_no == "E1001"))
    auth.login(worker, password=demo.DEMO_PASSWORD)
    assert "部门联络员会议" in client.get("/meetings/").get_data(as_text=True)
