"""People for the task tests: an assigner, an owner in a department with a head, outsiders."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from portal.blueprints.tasks import services
from portal.extensions import db
from portal.timeutil import to_local, utcnow


@dataclass
class Cast:
    assigner: object
    owner: object
    head: object
    colleague: object  # the owner's department, not its head: need-to-know says 404
    office: object
    department: object


@pytest.fixture
def cast(app, make_user, make_department):
    department = make_department("研发部")
    head = make_user("employee", "dept_head", name="李建华", department=department)
    department.head = head
    owner = make_user("employee", name="王小明", department=department)
    colleague = make_user("employee", name="张三", department=department)
    assigner = make_user("employee", name="陈主任")
    office = make_user("employee", "office", name="办公室小刘")
    db.session.commit()
    return Cast(assigner, owner, head, colleague, office, department)


def local_input(moment) -> str:
    """A time as a datetime-local field carries it (the portal's zone)."""
    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


def make_task(cast, *, hours: float = 48, owner=None, department=None, title="整理会议纪要"):
    task = services.create_task(cast.assigner, title, "纪要发到部门群，参会人确认无误",
                                utcnow() + timedelta(hours=hours),
                                owner=owner or (None if department else cast.owner),
                                department=department)
    db.session.commit()
    return task
