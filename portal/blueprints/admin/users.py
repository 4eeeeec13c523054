"""The office manages people: list, create, edit, deactivate, reset password, import."""

import secrets

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.blueprints.accounts.models import Department, User
from portal.blueprints.accounts.passwords import hash_password
from portal.blueprints.admin import importer
from portal.blueprints.admin.forms import ImportForm, UserForm
from portal.blueprints.admin.routes import bp
from portal.blueprints.audit.services import record
from portal.converters import db_int, page_number
from portal.extensions import db
from portal.htmx import render, see_other
from portal.security import role_required

PAGE_SIZE = 50


def _department_choices():
    departments = db.session.scalars(select(Department).order_by(Department.name))
    return [(0, _("— none —"))] + [(d.id, d.name) for d in departments]


@bp.get("/users")
@role_required("office")
def users():
    """People, searchable by name or number and filterable by department; htmx refreshes rows."""
    q = request.args.get("q", "").strip()
    department_id = request.args.get("department", type=db_int)
    page = request.args.get("page", 1, type=page_number)
    query = select(User).options(selectinload(User.department)).order_by(User.employee_no)
    if q:
        like = f"%{q}%"
        query = query.where(or_(User.name.ilike(like), User.employee_no.ilike(like)))
    if department_id:
        query = query.where(User.department_id == department_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    departments = db.session.scalars(select(Department).order_by(Department.name)).all()
    return render("admin/users.html", "results", users=rows, q=q, total=total, page=page,
                  pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), departments=departments,
                  department_id=department_id)


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("office")
def user_form(user_id: int | None = None):
    """Create or edit a person, with roles and active flag."""
    user = db.get_or_404(User, user_id) if user_id else None
    form = UserForm(obj=user)
    form.department_id.choices = _department_choices()
    if request.method == "GET" and user is not None:
        form.roles.data = sorted(user.roles)
        form.department_id.data = user.department_id or 0
    if form.validate_on_submit():
        clash = User.by_employee_no(form.employee_no.data)
        if clash is not None and clash is not user:
            form.employee_no.errors.append(_("This employee number is taken."))
        else:
            creating = user is None
            if creating:
                # No password yet: the office gives a one-time one with "Reset password".
                user = User(must_change_password=True)
                db.session.add(user)
            was_active = user.active
            for name in ("employee_no", "name", "phone", "email", "language", "active"):
                setattr(user, name, (getattr(form, name).data or "") if name != "active"
                        else form.active.data)
            user.department_id = form.department_id.data or None
            user.set_roles(form.roles.data or ["employee"])
            if was_active and not user.active:
                user.end_sessions()
            db.session.flush()
            record("user.create" if creating else "user.update", f"user:{user.id}",
                   employee_no=user.employee_no, roles=sorted(user.roles), active=user.active)
            db.session.commit()
            if creating:
                flash(_("Saved. %(name)s cannot sign in yet: use “Reset password” to give them "
                        "a one-time password.", name=user.name), "success")
                return see_other(url_for("admin.user_form", user_id=user.id))
            flash(_("Saved."), "success")
            return see_other(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.post("/users/<int:user_id>/reset-password")
@role_required("office")
def reset_password(user_id: int):
    """Give the person a new one-time password, shown once to the office: it lets them sign
    in only to choose their own (portal/security.py keeps every other page closed until then)."""
    user = db.get_or_404(User, user_id)
    password = secrets.token_urlsafe(9)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.end_sessions()
    record("user.reset_password", f"user:{user.id}")
    db.session.commit()
    return render_template("admin/password_reset.html", user=user, password=password)


@bp.route("/users/import", methods=["GET", "POST"])
@role_required("office")
def import_users():
    """Import people from CSV/XLSX: a report of accepted and refused rows; a bad file changes
    nothing."""
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = importer.read_rows(upload.filename, upload.read())
        except ValueError as error:
            form.file.errors.append(str(error))
        else:
            report = importer.check_rows(rows)
            if report.ok:
                importer.apply_rows(report)
                record("user.import", "users", created=report.created, updated=report.updated)
                db.session.commit()
    status = 422 if form.errors or (report and not report.ok) else 200
    return render_template("admin/import.html", form=form, report=report), status
