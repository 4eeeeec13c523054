"""A real object for each path argument of the task pages, for the test suite's URL sweeps
(Module.url_arguments): a task given to someone, due in two days."""

from datetime import timedelta

from portal.blueprints.tasks import services
from portal.extensions import db
from portal.timeutil import utcnow


def url_arguments(make_user, make_department) -> dict:
    office = make_user("employee", "office")
    task = services.create_task(office, "整理会议纪要", "参会人确认无误",
                                utcnow() + timedelta(days=2), owner=make_user("employee"))
    db.session.commit()
    return {"task_id": task.id, "fmt": "csv"}
