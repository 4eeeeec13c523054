"""Badges, made in the background (documents' start_document): one visitor's badge, or an A4
sheet of the group's. The QR code carries the opaque visit code only, never a name or a phone.
"""

from sqlalchemy import select

from portal.blueprints.documents.models import Document
from portal.blueprints.visitors.models import Visit
from portal.extensions import db
from portal.pdf import qr_svg, render_pdf

KIND = "visit_badges"


def qr_payload(visit: Visit) -> str:
    """What the badge's QR code holds: the visit code, nothing else (scanned at the desk)."""
    return visit.code


def badges_pdf(document) -> tuple[str, str, bytes]:
    visit = db.session.get(Visit, document.params["visit_id"])
    visitor_id = document.params.get("visitor_id")
    visitors = [v for v in visit.visitors if visitor_id is None or v.id == visitor_id]
    pdf = render_pdf("visitors/pdf/badges.html", visit=visit, visitors=visitors,
                     qr=qr_svg(qr_payload(visit), border=2))
    return f"{visit.number}-badges.pdf", "application/pdf", pdf


def badge_documents(visit_ids: set[int]) -> list[Document]:
    """The badge files made for these visits (the purge deletes them with the names)."""
    if not visit_ids:
        return []
    rows = db.session.scalars(select(Document).where(Document.kind == KIND))
    return [d for d in rows if d.params.get("visit_id") in visit_ids]


RENDERERS = {KIND: badges_pdf}
