"""The reception standard as tasks: arrival → meeting room → materials → dining.

Each active step of the office's standard becomes a task (tasks.services.create_task) for the
visit's reception owner or host, due `lead_minutes` before the arrival; the host assigns it and
accepts it. Moving the arrival moves every open step's due time through tasks' move_due (each
step has its own lead time, so tasks' move_due_for_source, one due time for all, does not fit);
calling the visit off cancels the steps not yet done through tasks' cancel_for_source, with the
reason on each step's timeline, whoever had them told by tasks. The task page links back to the
visit for those who may see it (`source_link`, registered in the package __init__).
"""

from datetime import timedelta

from flask import url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.blueprints.accounts.models import User
from portal.blueprints.audit.services import record
from portal.blueprints.tasks import services as tasks
from portal.blueprints.tasks.models import ACCEPTED, CANCELLED, Task
from portal.blueprints.tasks.sources import SourceLink
from portal.blueprints.visitors.models import NO_SHOW, SOURCE, ChecklistStep, Visit
from portal.extensions import db
from portal.timeutil import to_local, utcnow

# The standard until the office edits it: (zh, en, acceptance in zh, minutes before, owner).
DEFAULT_STEPS = (
    ("迎接客户到访", "Welcome the visitors on arrival", "客户已到前台并由接待人员引导", 15,
     "reception"),
    ("会议室安排", "Meeting room ready", "会议室已预订、设备试用正常、座位与茶水备好", 120,
     "reception"),
    ("产品介绍资料准备", "Materials prepared", "资料按清单数量备齐并放到会议室", 24 * 60, "host"),
    ("餐饮预订", "Dining booked", "用餐人数与忌口已告知食堂", 24 * 60, "reception"),
)


def standard_steps() -> list[ChecklistStep]:
    """The office's steps, in order; the default standard (unsaved) until it saves its own."""
    saved = list(db.session.scalars(select(ChecklistStep).order_by(ChecklistStep.position,
                                                                   ChecklistStep.id)))
    if saved:
        return [step for step in saved if step.active]
    return [ChecklistStep(position=i, title_zh=zh, title_en=en, acceptance=acceptance,
                          lead_minutes=lead, owner=owner, active=True)
            for i, (zh, en, acceptance, lead, owner) in enumerate(DEFAULT_STEPS)]


def save_standard(rows: list[dict], user: User) -> None:
    """The office replaces the standard: [{title_zh, title_en, acceptance, lead_minutes, owner}]."""
    for old in db.session.scalars(select(ChecklistStep)):
        db.session.delete(old)
    for position, row in enumerate(rows):
        db.session.add(ChecklistStep(position=position, active=True, **row))
    record("visitors.standard", "visit_checklist_steps", actor=user, steps=len(rows))
    db.session.flush()


def visit_tasks(visit: Visit) -> list[Task]:
    return list(db.session.scalars(select(Task).where(
        Task.source_kind == SOURCE, Task.source_id == visit.id).order_by(Task.due_at, Task.id)))


def _owner(visit: Visit, step: ChecklistStep) -> User:
    if step.owner == "host" or visit.reception is None:
        return visit.host
    return visit.reception


def create_steps(visit: Visit) -> list[Task]:
    """One task per standard step, due its lead time before the arrival."""
    made = []
    for step in standard_steps():
        owner = _owner(visit, step)
        with force_locale(owner.language or "zh_CN"):
            title = f"{step.label(owner.language or 'zh_CN')}: {visit.number}"
            details = gettext("Visit %(number)s, %(purpose)s, arriving %(when)s",
                              number=visit.number, purpose=visit.purpose,
                              when=f"{to_local(visit.arrives_at):%m-%d %H:%M}")
        made.append(tasks.create_task(
            visit.host, title[:120], step.acceptance,
            # A visit registered at short notice: due now, not overdue from the start.
            max(visit.arrives_at - timedelta(minutes=step.lead_minutes), utcnow()), owner=owner,
            details=details, source_kind=SOURCE, source_id=visit.id))
    return made


def move_steps(visit: Visit, user: User, shift: timedelta) -> None:
    """The arrival moved by `shift`: every open step moves with it, each by its own lead time."""
    with force_locale(user.language or "zh_CN"):
        reason = gettext("Visit %(number)s moved", number=visit.number)
    for task in tasks.open_for_source(SOURCE, visit.id):
        mover = user if "move_due" in tasks.next_steps(task, user) else task.assigner
        tasks.move_due(task, mover, task.due_at + shift, reason)


def call_off_steps(visit: Visit, user: User) -> int:
    """No visit, no steps: the open ones are cancelled (by tasks, which tells whoever had them),
    with why on each step's timeline; done ones stay. Returns how many were cancelled."""
    with force_locale(user.language or "zh_CN"):
        reason = (gettext("Visit %(number)s: nobody came (no-show)", number=visit.number)
                  if visit.status == NO_SHOW
                  else gettext("Visit %(number)s is cancelled", number=visit.number))
    return len(tasks.cancel_for_source(SOURCE, visit.id, reason))


def progress(visit: Visit) -> tuple[int, int]:
    """(steps accepted, steps in all, not counting cancelled ones) for the front desk."""
    rows = [t for t in visit_tasks(visit) if t.status != CANCELLED]
    return sum(1 for t in rows if t.status == ACCEPTED), len(rows)


def source_link(visit_id: int, user: User) -> SourceLink | None:
    """The task page's link back to the visit: only for those who may see the visit."""
    from portal.blueprints.visitors.services import can_see  # services imports this module

    visit = db.session.get(Visit, visit_id)
    if visit is None or not can_see(visit, user):
        return None
    return SourceLink(_l("Visit"), f"{visit.number} {visit.purpose}",
                      url_for("visitors.detail", visit_id=visit.id))
