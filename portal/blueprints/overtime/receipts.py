"""Receipts: a phone photo (re-encoded without metadata, as repair photos are) or the PDF of a
Chinese electronic invoice 电子发票, whose number, date and amount are read from its text."""

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from portal.uploads import PhotoError, max_bytes, process_photo

PDF_MIME = "application/pdf"

_NUMBER = re.compile(r"发票号码\s*[:：]?\s*(\d{8,20})")
_DATE = re.compile(r"开票日期\s*[:：]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
# 价税合计（大写）… （小写）¥23.50 — the figure after 小写, else the first ¥ amount after 价税合计.
_TOTAL = re.compile(r"价税合计.*?(?:小写\s*[)）]?\s*)?[¥￥]\s*([\d,]+\.\d{2})", re.S)


@dataclass
class Invoice:
    number: str | None
    issued: date | None
    amount_cents: int | None


@dataclass
class Receipt:
    content: bytes
    mime: str
    invoice: Invoice | None = None


def read_invoice_text(text: str) -> Invoice:
    """The invoice number, date and total (tax included) from an e-invoice's text."""
    number = _NUMBER.search(text)
    day = _DATE.search(text)
    total = _TOTAL.search(text)
    issued = None
    if day:
        try:
            issued = date(*(int(part) for part in day.groups()))
        except ValueError:
            issued = None
    cents = None
    if total:
        try:
            cents = int(Decimal(total.group(1).replace(",", "")) * 100)
        except InvalidOperation:
            cents = None
    return Invoice(number.group(1) if number else None, issued, cents)


def read_pdf(data: bytes) -> Invoice:
    """The invoice fields of a PDF, read from its text layer (a scanned PDF has none)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join((page.extract_text() or "") for page in reader.pages[:3])
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise PhotoError(_("this PDF cannot be read.")) from error
    return read_invoice_text(text)


def read_receipt(upload) -> Receipt | None:
    """The upload as a stored receipt (None if nothing was chosen); PhotoError says why not."""
    if not upload or not getattr(upload, "filename", ""):
        return None
    data = upload.read()
    if data.startswith(b"%PDF"):
        if len(data) > max_bytes():
            raise PhotoError(_("%(name)s: the file is too large.", name=upload.filename[-60:]))
        return Receipt(data, PDF_MIME, read_pdf(data))
    try:
        content, _width, _height = process_photo(data)
    except PhotoError as error:
        raise PhotoError(_("%(name)s: %(reason)s", name=upload.filename[-60:],
                           reason=str(error))) from error
    return Receipt(content, "image/jpeg")
