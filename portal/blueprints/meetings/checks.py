"""The equipment check: booking a room with equipment asks facilities, as a task due one hour
before the start, to check it; a fault found becomes a repair request in one step.

The check is a task (tasks.services.create_task) whose source is the meeting (CHECK_SOURCE);
it is given to the facilities lead of the repair settings, or else to the facilities department.
A moved meeting moves it and a cancelled one cancels it, through the tasks module's source
hook (the reason on the task's timeline; tasks tells whoever had it).
"""

from datetime import timedelta

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.blueprints.accounts.models import Department, User, UserRole
from portal.blueprints.audit.services import record
from portal.blueprints.meetings.models import CHECK_SOURCE, CONFIRMED, EQUIPMENT, Meeting
from portal.blueprints.notifications.services import notify
from portal.blueprints.repairs.models import RepairSettings
from portal.blueprints.repairs.services import submit_request
from portal.blueprints.tasks import services as tasks
from portal.blueprints.tasks.models import ACTIVE, Task
from portal.errors import Refused
from portal.extensions import db
from portal.i18n import N_
from portal.settings import read_settings
from portal.timeutil import to_local
from portal.urls import path_for

BEFORE_START = timedelta(hours=1)


def check_task(meeting: Meeting) -> Task | None:
    """The meeting's check still to be done (an accepted or cancelled one is history)."""
    return db.session.scalar(select(Task).where(
        Task.source_kind == CHECK_SOURCE, Task.source_id == meeting.id,
        Task.status.in_(ACTIVE)).order_by(Task.id.desc()))


def facilities_owner() -> tuple[User | None, Department | None]:
    """Who checks: the facilities lead; without one, the department most facilities staff are in."""
    lead = read_settings(RepairSettings).lead
    if lead is not None and lead.active:
        return lead, None
    department = db.session.scalar(
        select(Department).join(User, User.department_id == Department.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "facilities", User.active.is_(True))
        .group_by(Department.id).order_by(func.count().desc(), Department.id).limit(1))
    return None, department


def _words(meeting: Meeting, person: User | None) -> tuple[str, str]:
    """The task's title and details, in the language of the person who does it."""
    with force_locale(person.language if person else "zh_CN"):
        equipment = gettext(", ").join(str(EQUIPMENT[c]) for c in meeting.room.equipment_codes)
        title = gettext("Equipment check: %(room)s, %(when)s", room=meeting.room.name,
                        when=f"{to_local(meeting.starts_at):%m-%d %H:%M}")
        details = gettext("Meeting %(number)s %(subject)s in %(place)s. Check: %(equipment)s.",
                          number=meeting.number, subject=meeting.title,
                          place=str(meeting.room), equipment=equipment)
    return title, details


def order_check(meeting: Meeting) -> Task | None:
    """A check task for facilities, due an hour before the start, if the room has equipment."""
    if not meeting.room.equipment_codes or meeting.status != CONFIRMED:
        return None
    owner, department = facilities_owner()
    if owner is None and department is None:
        return None  # no facilities staff in the portal at all: nobody to ask
    title, details = _words(meeting, owner or (department.head if department else None))
    with force_locale(meeting.organiser.language or "zh_CN"):
        acceptance = gettext("Every listed device works; report a fault as a repair request.")
    return tasks.create_task(meeting.organiser, title, acceptance,
                             meeting.starts_at - BEFORE_START, owner=owner,
                             department=department, details=details,
                             source_kind=CHECK_SOURCE, source_id=meeting.id)


def move_check(meeting: Meeting, user: User, room_changed: bool) -> None:
    """The meeting moved: the same room moves the check's due time; another room, a new check
    (as does a check already done: the room is checked again for the new time)."""
    task = check_task(meeting)
    if task is not None and (room_changed or not meeting.room.equipment_codes):
        call_off_check(meeting, user)
        task = None
    if task is None:
        order_check(meeting)
        return
    if meeting.status != CONFIRMED:
        call_off_check(meeting, user)
        return
    with force_locale(_reader(task).language if _reader(task) else "zh_CN"):
        reason = gettext("Meeting %(number)s moved", number=meeting.number)
    tasks.move_due_for_source(CHECK_SOURCE, meeting.id, meeting.starts_at - BEFORE_START,
                              reason)
    task.title, task.details = _words(meeting, _reader(task))


def _reader(task: Task) -> User | None:
    """Who reads the check: its owner, or the head of the department it was given to."""
    return task.owner or (task.department.head if task.department else None)


def call_off_check(meeting: Meeting, user: User) -> None:
    """No meeting (or no equipment), no check: the task is cancelled with the reason on its
    timeline, and whoever had it is told (by the tasks module)."""
    task = check_task(meeting)
    if task is None:
        return
    reader = _reader(task)
    with force_locale(reader.language if reader else "zh_CN"):
        if meeting.cancelled:
            reason = gettext("Meeting %(number)s was cancelled: the equipment check is no "
                             "longer needed.", number=meeting.number)
        else:
            reason = gettext("Meeting %(number)s moved: this equipment check is no longer "
                             "needed.", number=meeting.number)
    record("meeting.check_off", task.number, actor=user, meeting=meeting.number)
    tasks.cancel_for_source(CHECK_SOURCE, meeting.id, reason)
    db.session.flush()


def report_fault(meeting: Meeting, user: User, description: str, category: str = "office"):
    """The check found a fault: a repair request for the room, and the organiser is told."""
    if not description.strip():
        raise Refused(_l("Say what is wrong."))
    request = submit_request(user, {"category": category, "urgency": "urgent",
                                    "location_id": meeting.room.location_id,
                                    "description": description.strip()}, [])
    meeting.fault_number = request.number
    task = check_task(meeting)
    if task is not None and "progress" in tasks.next_steps(task, user):
        tasks.report_progress(task, user, f"{request.number}: {description.strip()}")
    notify(meeting.organiser, N_("A fault was found in %(room)s before your meeting %(subject)s"),
           N_("Repair request %(repair)s is filed; facilities are on it."),
           link=path_for("meetings.detail", meeting_id=meeting.id), room=meeting.room.name,
           subject=meeting.title, repair=request.number)
    record("meeting.fault", meeting.number, actor=user, repair=request.number)
    return request
