"""The office's administration: departments, reports, and (in users.py) people."""

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.admin.forms import DepartmentForm
from portal.blueprints.audit.services import record
from portal.blueprints.documents.services import progress_widget, start_document
from portal.extensions import db
from portal.htmx import see_other
from portal.security import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _head_choices():
    people = db.session.scalars(select(User).where(User.active).order_by(User.employee_no))
    return [(0, _("— none —"))] + [(u.id, f"{u.name} ({u.employee_no})") for u in people]


@bp.get("/departments")
@role_required("office")
def departments():
    """All departments with their heads and sizes."""
    rows = db.session.scalars(select(Department).order_by(Department.name)).all()
    return render_template("admin/departments.html", departments=rows)


@bp.route("/departments/new", methods=["GET", "POST"])
@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@role_required("office")
def department_form(department_id: int | None = None):
    """Create or edit a department."""
    department = db.get_or_404(Department, department_id) if department_id else None
    form = DepartmentForm(obj=department)
    form.head_id.choices = _head_choices()
    if form.validate_on_submit():
        clash = db.session.scalar(select(Department).where(Department.name == form.name.data))
        if clash is not None and clash is not department:
            form.name.errors.append(_("A department with this name exists."))
        else:
            if department is None:
                department = Department()
                db.session.add(department)
            department.name = form.name.data.strip()
            department.head_id = form.head_id.data or None
            db.session.flush()
            record("department.save", f"department:{department.id}", name=department.name,
                   head_id=department.head_id)
            db.session.commit()
            flash(_("Saved."), "success")
            return see_other(url_for("admin.departments"))
    status = 422 if form.errors else 200
    return render_template("admin/department_form.html", form=form, department=department), status


@bp.post("/reports/roster.pdf")
@role_required("office")
def roster_pdf():
    """Start the department roster PDF; the page shows its progress, then the link."""
    return progress_widget(start_document("roster_pdf", current_user))


@bp.post("/reports/users.xlsx")
@role_required("office")
def users_xlsx():
    """Start the user list XLSX."""
    return progress_widget(start_document("users_xlsx", current_user))


from portal.blueprints.admin import locks, users  # noqa: E402,F401  (register their views on bp)
