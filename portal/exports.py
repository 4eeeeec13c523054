"""CSV and XLSX from rows, for every table the office would otherwise copy by hand."""

import csv
import io

from flask import Response, abort
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to Excel, LibreOffice and WPS (OWASP, "CSV
# injection"): text people typed (a dish, a name) must never become one in the office's file.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_STARTS)


def _csv_safe_rows(rows):
    """CSV has no cell types: a leading quote tells the spreadsheet "text" (OWASP's advice)."""
    return (["'" + v if _is_formula_like(v) else v for v in row] for row in rows)


def xlsx_bytes(title: str, headers: list[str], rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Row numbers counted here: sheet.max_row scans every cell, which made a long export
    # quadratic (3,000 rows took 25 s).
    for number, row in enumerate(rows, start=2):
        values = list(row)
        sheet.append(values)
        for column, value in enumerate(values, start=1):
            if _is_formula_like(value):  # shown exactly as typed, never run as a formula
                sheet.cell(row=number, column=column).data_type = "s"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(10, width * 2), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: list[str], rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(_csv_safe_rows(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def table_download(fmt: str, filename: str, title: str, headers: list[str], rows) -> Response:
    """A table as a CSV or XLSX download, named `filename`.<fmt>; any other format is 404."""
    if fmt == "csv":
        content, mimetype = csv_bytes(headers, rows), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content, mimetype = xlsx_bytes(title, headers, rows), XLSX_MIMETYPE
    else:
        abort(404)
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={filename}.{fmt}",
        "Cache-Control": "private, no-store"})
