"""Statements for finance, made in jobs: per employee and per department, PDF and XLSX."""

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.blueprints.overtime import queries
from portal.exports import xlsx_bytes
from portal.pdf import render_pdf


def _figures(month: str) -> dict:
    employees = queries.employee_totals(month)
    departments = queries.department_totals(month)
    return {"month": month, "employees": employees, "departments": departments,
            "total": sum(row[4] for row in employees),
            "count": sum(row[3] for row in employees)}


def statement_pdf(document) -> tuple[str, str, bytes]:
    """The month's approved claims per department and per employee, with the total."""
    month = document.params["month"]
    pdf = render_pdf("overtime/pdf/statement.html", **_figures(month))
    return f"overtime-rides-{month}.pdf", "application/pdf", pdf


def statement_xlsx(document) -> tuple[str, str, bytes]:
    """The same figures as two sheets: per employee, per department (amounts in yuan)."""
    figures = _figures(document.params["month"])
    employees = xlsx_bytes(_("Per employee"), [
        _("Employee no."), _("Name"), _("Department"), _("Claims"), _("Amount (yuan)")],
        [(*row[:4], row[4] / 100) for row in figures["employees"]]
        + [("", _("Total"), "", figures["count"], figures["total"] / 100)])
    workbook = _with_department_sheet(employees, figures)
    return (f"overtime-rides-{figures['month']}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook)


def _with_department_sheet(data: bytes, figures: dict) -> bytes:
    from openpyxl import load_workbook

    workbook: Workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.create_sheet(_("Per department")[:31])
    sheet.append([_("Department"), _("Claims"), _("Amount (yuan)")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name, count, cents in figures["departments"]:
        sheet.append([name, count, cents / 100])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


RENDERERS = {"overtime_statement_pdf": statement_pdf, "overtime_statement_xlsx": statement_xlsx}
