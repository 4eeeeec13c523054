"""Reading an uploaded table (CSV or XLSX) into rows keyed by our column names.

Shared by every import (people, rooms and devices …): the header row may use Chinese or English
column names; CSV may be UTF-8 or GB18030 (what Excel on Chinese Windows saves).
"""

import csv
import io

from flask_babel import gettext as _
from openpyxl import load_workbook


def _cells(filename: str, data: bytes) -> list[list[str]]:
    if filename.lower().endswith(".xlsx"):
        # Read-only openpyxl parses the sheet while iterating: a broken sheet raises there.
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            return [["" if v is None else str(v).strip() for v in row]
                    for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
            raise ValueError(_("The file is not a readable XLSX workbook.")) from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(_("The file is neither UTF-8 nor GB18030 text."))
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]


def read_table(filename: str, data: bytes, columns: dict[str, str], required: set[str],
               missing_message: str) -> list[dict]:
    """Rows as dicts keyed by `columns`' values; ValueError (with a message for the person)
    when the file cannot be read or its first row lacks a `required` column."""
    values = _cells(filename, data)
    if not values:
        raise ValueError(_("The file is empty."))
    header = [columns.get(h.strip().lower(), columns.get(h.strip())) for h in values[0]]
    if not required <= set(header):
        raise ValueError(missing_message)
    return [{key: row[i] if i < len(row) else "" for i, key in enumerate(header) if key}
            for row in values[1:] if any(row)]
