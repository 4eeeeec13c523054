"""Tasks 督办: my tasks, assigning one, its page with the next steps, the office's overview."""

import io

from flask import (
    Blueprint,
    abort,
    flash,
    get_template_attribute,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.accounts.sessions import reads_who_only
from portal.blueprints.pwa.outbox import outbox
from portal.blueprints.tasks import queries, services, sources
from portal.blueprints.tasks.cards import card_labels
from portal.blueprints.tasks.forms import (
    NOTE_FORMS,
    AssignForm,
    MoveDueForm,
    SubmitForm,
    TaskForm,
    aware,
)
from portal.blueprints.tasks.models import ACTIONS, NUMBER, STATUSES, TaskAttachment
from portal.errors import Refused
from portal.exports import table_download
from portal.extensions import db
from portal.htmx import see_other
from portal.i18n import Translated
from portal.keys import plain
from portal.security import role_required
from portal.templating import kept_page
from portal.timeutil import to_local, utcnow
from portal.uploads import UploadError, chosen, file_max_bytes, max_mb, read_any_uploads

bp = Blueprint("tasks", __name__, url_prefix="/tasks", template_folder="templates")

MAX_ATTACHMENTS = 3  # photos or files with one submitted result
# Who may take a step at all; whether the task's state allows it now is next_steps()'s answer.
_OWNER_STEPS = {"start", "progress", "submit"}
_JUDGE_STEPS = {"accept", "return", "move_due", "cancel"}
_HEAD_STEPS = {"assign"}
_FOLLOWER_STEPS = {"request_update"}  # the assigner, the office or the department's head


bp.add_app_template_global(Translated(STATUSES), "task_statuses")
bp.add_app_template_global(ACTIONS, "task_actions")
bp.add_app_template_global(NUMBER, "task_number")
bp.add_app_template_global(card_labels, "task_card_labels")


@bp.get("/")
@reads_who_only(apart=True)  # the person and the lists on one connection, outside the ORM
def index():
    """Assigned to me, assigned by me, my department's (for its head), and recently closed.

    The page's content is kept per the language, whether I am the office and the lists' rows
    (plain values, each card's status and whether overdue read with them).
    """
    me = current_user._get_current_object()
    lists = queries.my_lists(me, utcnow())
    office = me.has_role("office")
    key = ("tasks", office, plain(lists))
    return kept_page("tasks/index.html", key, lambda: dict(
        mine=lists[queries.MINE], given=lists[queries.GIVEN],
        department=lists[queries.DEPARTMENT], closed=lists[queries.CLOSED],
        head=bool(lists[queries.HEADS]), office=office,
        # The macro as loaded once: a {% from %} in the page would build its file again at
        # every request (the page has globals it has not).
        task_cards=get_template_attribute("tasks/_macros.html", "task_cards")))


def _department_choices() -> list[tuple[int, str]]:
    departments = db.session.scalars(select(Department).order_by(Department.name))
    return [(d.id, d.name) for d in departments]


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Assign a task: what, to whom, by when, and how it will be accepted."""
    form = TaskForm()
    form.department_id.choices = [(0, "")] + _department_choices()
    if form.validate_on_submit():
        person = form.owner if form.owner_kind.data == "person" else None
        department = (db.session.get(Department, form.department_id.data)
                      if person is None else None)
        task = services.create_task(current_user, form.title.data, form.acceptance.data,
                                    aware(form.due_at.data), owner=person, department=department,
                                    details=form.details.data or "")
        db.session.commit()
        flash(_("Task %(number)s assigned.", number=task.number), "success")
        return see_other(url_for("tasks.detail", task_id=task.id))
    return render_template("tasks/new.html", form=form), 422 if form.errors else 200


@bp.get("/<int:task_id>")
def detail(task_id: int):
    """One task: what it asks, its timeline, and the steps open to me."""
    return _detail_page(queries.get_task(task_id, current_user))


def _detail_page(task, status: int = 200, **forms):
    steps = services.next_steps(task, current_user)
    assign_form = forms.get("assign_form") or AssignForm()
    if "assign" in steps:
        department = services.department_of(task)
        members = department.members if department else []
        assign_form.person_id.choices = [(u.id, f"{u.name} ({u.employee_no})")
                                         for u in members if u.active]
    mine = current_user.id in (task.owner_id, task.assigner_id)
    page = render_template(
        "tasks/detail.html", task=task, steps=steps, now=utcnow(), offline=mine,
        # The refused form at the top level too: the outbox reads its errors from there.
        refused_form=forms.get("notes", {}).get(forms.get("failed", "")),
        files_again=forms.get("files_again", False), photo_mb=max_mb(),
        file_mb=file_max_bytes() // (1024 * 1024), max_files=MAX_ATTACHMENTS,
        source=sources.link_for(task, current_user),
        notes={step: form(prefix=step) for step, form in NOTE_FORMS.items()}
        | forms.get("notes", {}), failed=forms.get("failed", ""),
        due_form=forms.get("due_form") or MoveDueForm(formdata=None,
                                                      due_at=to_local(task.due_at)),
        assign_form=assign_form)
    return page, status


def _task_for(task_id: int, step: str):
    """The task, after checking `user` has a part in `step` at all (403) and sees it (404)."""
    task = queries.get_task(task_id, current_user, lock=True)
    owner = task.owner_id == current_user.id
    judge = task.assigner_id == current_user.id or current_user.has_role("office")
    head = services.heads_department(task, current_user) or current_user.has_role("office")
    if ((step in _OWNER_STEPS and not owner) or (step in _JUDGE_STEPS and not judge)
            or (step in _HEAD_STEPS and not head)
            or (step in _FOLLOWER_STEPS and not (judge or head))):
        abort(403)
    return task


def _done(task, message: str):
    db.session.commit()
    flash(message, "success")
    return see_other(url_for("tasks.detail", task_id=task.id))


def _refused(task, error: Refused):
    db.session.rollback()
    flash(str(error.message), "error")
    return see_other(url_for("tasks.detail", task_id=task.id))


def _with_note(task_id: int, step: str, action, message: str):
    task = _task_for(task_id, step)
    form = NOTE_FORMS[step](prefix=step)
    if not form.validate_on_submit():
        return _detail_page(task, 422, notes={step: form}, failed=step)
    try:
        action(task, current_user, form.note.data)
    except Refused as error:
        return _refused(task, error)
    return _done(task, message)


def _plain(task_id: int, step: str, action, message: str):
    task = _task_for(task_id, step)
    try:
        action(task, current_user)
    except Refused as error:
        return _refused(task, error)
    return _done(task, message)


@bp.post("/<int:task_id>/progress")
@outbox
def progress(task_id: int):
    """The owner reports how far the work is (works offline, through the outbox)."""
    return _with_note(task_id, "progress", services.report_progress, _("Progress reported."))


@bp.post("/<int:task_id>/submit")
@outbox
def submit(task_id: int):
    """The owner says what was done, with photos or files if any, and asks for acceptance
    (works offline, through the outbox, files included)."""
    task = _task_for(task_id, "submit")
    form = SubmitForm(prefix="submit")
    uploads = None
    if form.validate_on_submit():
        try:
            uploads = read_any_uploads(form.files.data, limit=MAX_ATTACHMENTS)
        except UploadError as error:
            form.files.errors.append(str(error))
    if uploads is None:
        return _detail_page(task, 422, notes={"submit": form}, failed="submit",
                            files_again=chosen(form.files.data))
    try:
        services.submit(task, current_user, form.note.data, uploads)
    except Refused as error:
        return _refused(task, error)
    return _done(task, _("Submitted for acceptance."))


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    """A photo or file of a result, only for those who may see its task (404 for others)."""
    item = db.get_or_404(TaskAttachment, attachment_id)
    queries.get_task(item.task_id, current_user)
    response = send_file(io.BytesIO(item.content), mimetype=item.mimetype,
                         as_attachment=item.kind != "photo", download_name=item.filename,
                         max_age=86400)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@bp.post("/<int:task_id>/return")
def return_task(task_id: int):
    """The assigner does not accept yet, and says what is missing."""
    return _with_note(task_id, "return", services.return_task, _("Returned to the owner."))


@bp.post("/<int:task_id>/cancel")
def cancel(task_id: int):
    """The assigner withdraws a task that is no longer needed, and says why."""
    return _with_note(task_id, "cancel", services.cancel, _("The task has been cancelled."))


@bp.post("/<int:task_id>/start")
def start(task_id: int):
    return _plain(task_id, "start", services.start, _("Marked as started."))


@bp.post("/<int:task_id>/accept")
def accept(task_id: int):
    return _plain(task_id, "accept", services.accept, _("Task accepted."))


@bp.post("/<int:task_id>/request-update")
def request_update(task_id: int):
    return _plain(task_id, "request_update", services.request_update,
                  _("The owner has been asked for an update."))


@bp.post("/<int:task_id>/due")
def move_due(task_id: int):
    """Move the due time; only with a reason, which the timeline keeps."""
    task = _task_for(task_id, "move_due")
    form = MoveDueForm()
    if not form.validate_on_submit():
        return _detail_page(task, 422, due_form=form, failed="move_due")
    try:
        services.move_due(task, current_user, aware(form.due_at.data), form.reason.data)
    except Refused as error:
        return _refused(task, error)
    return _done(task, _("The due time has been moved."))


@bp.post("/<int:task_id>/assign")
def assign(task_id: int):
    """The department head names who does a department's task."""
    task = _task_for(task_id, "assign")
    form = AssignForm()
    _detail_page(task, assign_form=form)  # fills the choices the form is checked against
    if not form.validate_on_submit():
        return _detail_page(task, 422, assign_form=form, failed="assign")
    try:
        services.assign(task, current_user, db.session.get(User, form.person_id.data))
    except Refused as error:
        return _refused(task, error)
    return _done(task, _("The task has an owner now."))


@bp.get("/office")
@role_required("office")
def office():
    """Every open task, by department, with what is overdue; one department's tasks listed."""
    now = utcnow()
    rows = queries.office_overview(now)
    chosen_id = request.args.get("department", type=int)
    listed = None
    if chosen_id is not None:
        key = chosen_id or None  # 0: owners without a department
        row = next((r for r in rows if r[0] == key), None)
        listed = (row, queries.open_in_department(key, now) if row else [])
    return render_template("tasks/office.html", rows=rows, listed=listed, now=now,
                           limit=queries.LIST_LIMIT)


@bp.get("/office/departments.<fmt>")
@role_required("office")
def office_departments_export(fmt: str):
    """Open and overdue tasks per department, as XLSX or CSV."""
    now = utcnow()
    headers = [_("Department"), _("Open"), _("Past due")]
    rows = [(name, count, overdue) for _id, name, count, overdue in queries.office_overview(now)]
    stamp = to_local(now).strftime("%Y%m%d")
    return table_download(fmt, f"tasks-by-department-{stamp}", _("Open tasks by department"),
                          headers, rows)


@bp.get("/office.<fmt>")
@role_required("office")
def office_export(fmt: str):
    """All open tasks as XLSX or CSV, department by department, soonest due first."""
    now = utcnow()
    headers = [_("Department"), _("Number"), _("Task"), _("Owner"), _("Assigned by"), _("Due"),
               _("Status"), _("Past due")]
    rows = sorted(((str(services.department_of(t) or "—"), t.number, t.title,
                    t.owner.name if t.owner else "", t.assigner.name,
                    to_local(t.due_at).strftime("%Y-%m-%d %H:%M"), str(STATUSES[t.status]),
                    _("yes") if t.is_overdue(now) else "")
                   for t in queries.all_open()), key=lambda row: row[0])
    stamp = to_local(now).strftime("%Y%m%d")
    return table_download(fmt, f"tasks-{stamp}", _("Open tasks"), headers, rows)
