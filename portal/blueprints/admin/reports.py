"""Office documents made in the background: the department roster PDF, the user list XLSX."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.blueprints.accounts.models import ROLES, Department, User
from portal.exports import XLSX_MIMETYPE, xlsx_bytes
from portal.extensions import db
from portal.pdf import render_pdf
from portal.timeutil import local_now


def roster_pdf(document) -> tuple[str, str, bytes]:
    """Every department with its head and active members, for the notice board."""
    departments = db.session.scalars(
        select(Department).options(selectinload(Department.members)).order_by(Department.name)
    ).all()
    pdf = render_pdf("admin/pdf/roster.html", departments=departments, now=local_now())
    return f"roster-{local_now():%Y%m%d}.pdf", "application/pdf", pdf


def users_xlsx(document) -> tuple[str, str, bytes]:
    """All accounts, one row each, for HR and finance."""
    people = db.session.scalars(
        select(User).options(selectinload(User.department)).order_by(User.employee_no)
    )
    headers = [_("Employee number"), _("Name"), _("Department"), _("Phone"), _("E-mail"),
               _("Roles"), _("Active")]
    rows = (
        [u.employee_no, u.name, u.department.name if u.department else "", u.phone, u.email,
         ", ".join(str(ROLES[r]) for r in sorted(u.roles)), _("yes") if u.active else _("no")]
        for u in people
    )
    return f"users-{local_now():%Y%m%d}.xlsx", XLSX_MIMETYPE, xlsx_bytes(_("Users"), headers, rows)
