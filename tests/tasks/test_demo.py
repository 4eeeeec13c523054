"""The demo company's tasks: every state a task can be in, and some overdue."""

from sqlalchemy import select

from portal.blueprints.tasks.models import STATUSES, Task
from portal.extensions import db
from portal.timeutil import utcnow


def test_demo_tasks_are_in_every_state_and_some_are_overdue(app):
    from portal import demo

    demo.load()
    tasks = list(db.session.scalars(select(Task)))
    assert {task.status for task in tasks} == set(STATUSES)
    assert any(task.is_overdue(utcnow()) for task in tasks)
