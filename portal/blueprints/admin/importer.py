"""Importing people from CSV or XLSX: every row checked first, nothing written unless all pass.

Columns (header row, Chinese or English names): employee_no/工号, name/姓名,
department/部门, phone/电话, email/邮箱, roles/角色 (comma separated, e.g. "employee,dept_head").
Existing employee numbers are updated; new ones are created without a password: they sign in
once the office resets it, with a one-time password they must replace at once.
An update changes only what the file says: a column the file lacks, or a blank cell, leaves
that detail as it is (a list of names and phones must not strip the office of its roles).
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from portal.blueprints.accounts.models import ROLES, Department, User
from portal.blueprints.admin.forms import EMPLOYEE_NO
from portal.extensions import db
from portal.tabular import read_table

COLUMNS = {
    "employee_no": "employee_no", "工号": "employee_no",
    "name": "name", "姓名": "name",
    "department": "department", "部门": "department",
    "phone": "phone", "电话": "phone",
    "email": "email", "邮箱": "email",
    "roles": "roles", "角色": "roles",
}


@dataclass
class ImportReport:
    accepted: list[dict] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (line, employee_no, why)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.refused


def read_rows(filename: str, data: bytes) -> list[dict]:
    """Rows as dicts keyed by our column names; raises ValueError for an unreadable file."""
    return read_table(filename, data, COLUMNS, {"employee_no", "name"}, _(
        "The first row must name the columns employee_no (工号) and name (姓名)."))


def check_rows(rows: list[dict]) -> ImportReport:
    """Validate every row; nothing is written."""
    report = ImportReport()
    departments = {d.name: d for d in db.session.scalars(select(Department))}
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        number, name = row.get("employee_no", ""), row.get("name", "")
        roles = [r.strip() for r in row.get("roles", "").replace("，", ",").split(",") if r.strip()]
        problem = None
        if not number or EMPLOYEE_NO.regex.match(number) is None:
            problem = _("Employee number missing or invalid.")
        elif number in seen:
            problem = _("Employee number appears twice in the file.")
        elif not name or len(name) > 60:
            problem = _("Name missing or longer than 60 characters.")
        elif row.get("department") and row["department"] not in departments:
            problem = _("Unknown department: %(name)s", name=row["department"])
        elif any(role not in ROLES for role in roles):
            problem = _("Unknown role. Use: %(roles)s", roles=", ".join(ROLES))
        seen.add(number)
        if problem:
            report.refused.append((line, number, problem))
        else:
            row["roles"] = roles  # empty: new people are employees, existing keep theirs
            row["department_obj"] = departments.get(row.get("department", ""))
            report.accepted.append(row)
    return report


def apply_rows(report: ImportReport) -> None:
    """Write the accepted rows (only called when no row was refused). The caller commits."""
    numbers = [row["employee_no"] for row in report.accepted]
    existing = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        existing.update(
            {u.employee_no: u for u in db.session.scalars(
                select(User).where(User.employee_no.in_(chunk)))}
        )
    for row in report.accepted:
        user = existing.get(row["employee_no"])
        if user is None:
            user = User(employee_no=row["employee_no"], name=row["name"],
                        department=row["department_obj"], phone=row.get("phone", ""),
                        email=row.get("email", ""), must_change_password=True)
            user.set_roles(row["roles"] or ["employee"])
            db.session.add(user)
            report.created += 1
            continue
        report.updated += 1
        user.name = row["name"]
        if row.get("department"):
            user.department = row["department_obj"]
        for column in ("phone", "email"):
            if row.get(column):
                setattr(user, column, row[column])
        if row["roles"]:
            user.set_roles(row["roles"])
