"""Writes of the task module: plain functions named by verb. They flush; the caller commits.

Who may do what is decided once, in next_steps(); every write checks it, so a stale page or a
hand-made POST cannot do what the page would not have offered.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.audit.services import record
from portal.blueprints.notifications.services import notify
from portal.blueprints.tasks import sources
from portal.blueprints.tasks.models import (
    ACCEPTED,
    ACTIVE,
    CANCELLED,
    IN_PROGRESS,
    OPEN,
    OWNER_WORKING,
    RETURNED,
    SUBMITTED,
    Task,
    TaskAttachment,
    TaskEvent,
)
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.timeutil import to_local, utcnow
from portal.uploads import Upload
from portal.urls import path_for

ASK_AGAIN_AFTER = timedelta(hours=24)  # an unanswered "how is it going?" is not repeated sooner


def detail_path(task_id: int) -> str:
    return path_for("tasks.detail", task_id=task_id)


def department_of(task: Task) -> Department | None:
    """The department a task belongs to: the one it was given to, or its owner's."""
    return task.department or (task.owner.department if task.owner else None)


def heads_department(task: Task, user: User) -> bool:
    department = department_of(task)
    return department is not None and department.head_id == user.id


def can_see(task: Task, user: User) -> bool:
    """Need to know: assigner, owner, the owner's department head, the office."""
    return (user.id in (task.assigner_id, task.owner_id) or user.has_role("office")
            or heads_department(task, user))


def next_steps(task: Task, user: User) -> list[str]:
    """What `user` may do with `task` now, in the order the page offers them."""
    steps = []
    owner = task.owner_id == user.id
    judge = task.assigner_id == user.id or user.has_role("office")
    if task.status in OWNER_WORKING and task.department_id and (
            heads_department(task, user) or user.has_role("office")):
        steps.append("assign")
    if owner and task.status in (OPEN, RETURNED):
        steps.append("start")
    if owner and task.status in OWNER_WORKING:
        steps += ["progress", "submit"]
    if judge and task.status == SUBMITTED:
        steps += ["accept", "return"]
    if (judge or heads_department(task, user)) and task.owner_id and not owner and (
            task.status in OWNER_WORKING):
        steps.append("request_update")
    if judge and task.status in ACTIVE:
        steps += ["move_due", "cancel"]
    return steps


def _allowed(task: Task, user: User, step: str) -> None:
    if step not in next_steps(task, user):
        raise Refused(_l("This step is not open to you now; the page has been brought up to date."))


def _event(task: Task, actor: User | None, action: str, note: str = "") -> None:
    task.events.append(TaskEvent(actor_id=actor.id if actor else None, action=action, note=note,
                                 created_at=utcnow()))


def _tell(user: User | None, title: str, task: Task, **params) -> None:
    if user is not None:
        notify(user, title, link=detail_path(task.id), number=task.number, subject=task.title,
               **params)


def create_task(assigner: User, title: str, acceptance: str, due_at: datetime, *,
                owner: User | None = None, department: Department | None = None,
                details: str = "", source_kind: str = "", source_id: int | None = None) -> Task:
    """Assign work to a person, or to a department whose head names the person."""
    if (owner is None) == (department is None):
        raise Refused(_l("Choose a person or a department."))
    if not acceptance.strip():
        raise Refused(_l("Say how the result will be accepted."))
    task = Task(title=title.strip(), details=details.strip(), acceptance=acceptance.strip(),
                assigner_id=assigner.id, owner_id=owner.id if owner else None,
                department_id=department.id if department else None, due_at=due_at,
                source_kind=source_kind, source_id=source_id, status=OPEN)
    db.session.add(task)
    _event(task, assigner, "created", owner.name if owner else department.name)
    db.session.flush()
    if owner is not None:
        _tell(owner, N_("New task %(number)s for you: %(subject)s"), task)
    elif department.head is not None:
        _tell(department.head, N_("Task %(number)s for your department: name who does it"), task)
    record("task.create", task.number, actor=assigner)
    return task


def assign(task: Task, user: User, person: User) -> None:
    """The department head (or the office) names the person who does a department's task."""
    _allowed(task, user, "assign")
    if task.department_id and person.department_id != task.department_id:
        raise Refused(_l("Choose someone from %(department)s.", department=task.department.name))
    previous = task.owner
    task.owner_id = person.id
    task.owner = person
    _event(task, user, "assigned", person.name)
    _tell(person, N_("New task %(number)s for you: %(subject)s"), task)
    if previous is not None and previous.id != person.id:  # no longer theirs: no link to it
        notify(previous, N_("Task %(number)s is now with %(name)s: %(subject)s"),
               number=task.number, subject=task.title, name=person.name)


def start(task: Task, user: User) -> None:
    _allowed(task, user, "start")
    task.status = IN_PROGRESS
    _event(task, user, "started")


def report_progress(task: Task, user: User, note: str) -> None:
    """The owner says how far the work is; the assigner is told."""
    _allowed(task, user, "progress")
    if task.status in (OPEN, RETURNED):
        task.status = IN_PROGRESS
    _event(task, user, "progress", note.strip())
    _tell(task.assigner, N_("Progress on task %(number)s: %(subject)s"), task)


def request_update(task: Task, user: User) -> None:
    """The assigner, the office or the department's head asks the owner how it is going; once
    a day at most while the owner has not answered (a report answers)."""
    _allowed(task, user, "request_update")
    last = next((e for e in reversed(task.events)
                 if e.action in ("update_requested", "progress", "submitted")), None)
    if (last is not None and last.action == "update_requested"
            and utcnow() - last.created_at < ASK_AGAIN_AFTER):
        raise Refused(_l("An update was asked for on %(time)s and the owner has not answered "
                         "yet; you can ask again a day later.",
                         time=to_local(last.created_at).strftime("%m-%d %H:%M")))
    _event(task, user, "update_requested")
    _tell(task.owner, N_("%(name)s asks how task %(number)s is going"), task, name=user.name)


def submit(task: Task, user: User, result: str, uploads: Sequence[Upload] = ()) -> None:
    """The owner says what was done, with photos or files if any, and asks for acceptance."""
    _allowed(task, user, "submit")
    task.status = SUBMITTED
    task.result = result.strip()
    _event(task, user, "submitted", task.result)
    for upload in uploads:
        task.events[-1].attachments.append(TaskAttachment(
            task=task, kind=upload.kind, filename=upload.filename, mimetype=upload.mimetype,
            size=len(upload.content), width=upload.width, height=upload.height,
            content=upload.content))
    _tell(task.assigner, N_("Task %(number)s is waiting for your acceptance: %(subject)s"), task)


def accept(task: Task, user: User) -> None:
    _allowed(task, user, "accept")
    task.status = ACCEPTED
    task.closed_at = utcnow()
    _event(task, user, "accepted")
    _tell(task.owner, N_("Task %(number)s was accepted"), task)
    record("task.accept", task.number, actor=user)
    sources.closed(task, ACCEPTED)


def return_task(task: Task, user: User, reason: str) -> None:
    """Not accepted: back to the owner, with what is missing."""
    _allowed(task, user, "return")
    task.status = RETURNED
    _event(task, user, "returned", reason.strip())
    _tell(task.owner, N_("Task %(number)s was returned to you: %(subject)s"), task)


def move_due(task: Task, user: User, due_at: datetime, reason: str) -> None:
    """A due time moves only with a reason, kept on the timeline with the old time."""
    _allowed(task, user, "move_due")
    _move_due(task, user, due_at, reason)


def _move_due(task: Task, user: User | None, due_at: datetime, reason: str) -> None:
    if not reason.strip():
        raise Refused(_l("Say why the due time moves."))
    old = task.due_at
    task.due_at = due_at
    _event(task, user, "due_moved", reason.strip())
    task.events[-1].due_from, task.events[-1].due_to = old, due_at
    record("task.move_due", task.number, actor=user, old=old.isoformat(), new=due_at.isoformat())
    _tell(task.owner, N_("Task %(number)s has a new due time"), task)


def cancel(task: Task, user: User, reason: str) -> None:
    """The assigner (or the office) withdraws a task that is no longer needed, saying why."""
    _allowed(task, user, "cancel")
    _cancel(task, user, reason)


def _cancel(task: Task, user: User | None, reason: str) -> None:
    if not reason.strip():
        raise Refused(_l("Say why the task is cancelled."))
    task.status = CANCELLED
    task.closed_at = utcnow()
    _event(task, user, "cancelled", reason.strip())
    record("task.cancel", task.number, actor=user, reason=reason.strip())
    _tell(task.owner or (task.department.head if task.department else None),
          N_("Task %(number)s was cancelled: %(subject)s"), task)
    sources.closed(task, CANCELLED)


def open_for_source(kind: str, source_id: int) -> list[Task]:
    """The tasks of one source not yet accepted or cancelled, oldest first."""
    return list(db.session.scalars(
        select(Task).where(Task.source_kind == kind, Task.source_id == source_id,
                           Task.status.in_(ACTIVE)).order_by(Task.id)))


def move_due_for_source(kind: str, source_id: int, due_at: datetime, reason: str) -> list[Task]:
    """What a task came from has moved (a meeting rescheduled): its open tasks move with it, by
    the system, with `reason` on each timeline. Returns the tasks moved."""
    tasks = [t for t in open_for_source(kind, source_id) if t.due_at != due_at]
    for task in tasks:
        _move_due(task, None, due_at, reason)
    return tasks


def cancel_for_source(kind: str, source_id: int, reason: str) -> list[Task]:
    """What a task came from is gone (a meeting cancelled): its open tasks are cancelled by the
    system, with `reason` on each timeline. Returns the tasks cancelled."""
    tasks = open_for_source(kind, source_id)
    for task in tasks:
        _cancel(task, None, reason)
    return tasks
