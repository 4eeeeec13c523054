"""A real object for each path argument of the task pages, for the test suite's URL sweeps
(Module.url_arguments): a task given to someone, due in two days, submitted with a PDF."""

from datetime import timedelta

from portal.blueprints.tasks import services
from portal.extensions import db
from portal.timeutil import utcnow
from portal.uploads import Upload


def url_arguments(make_user, make_department) -> dict:
    office = make_user("employee", "office")
    task = services.create_task(office, "整理会议纪要", "参会人确认无误",
                                utcnow() + timedelta(days=2), owner=make_user("employee"))
    db.session.flush()
    pdf = Upload("file", "结果.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")
    services.submit(task, task.owner, "已整理", [pdf])
    db.session.commit()
    return {"task_id": task.id, "fmt": "csv",
            "attachment_id": task.events[-1].attachments[0].id}
