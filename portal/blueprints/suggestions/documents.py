"""Documents made in jobs: the weekly digest PDF for management and the paper box."""

from datetime import date

from portal.blueprints.suggestions import queries
from portal.pdf import render_pdf


def digest_pdf(document) -> tuple[str, str, bytes]:
    """New, answered and overdue items of a week by category and department, paper slips' codes
    (their first four characters) and outcomes, in Chinese."""
    monday = date.fromisoformat(document.params["monday"])
    data = queries.digest(monday)
    shown, hidden_people, hidden_items = queries.by_department(data["first"], data["last"])
    pdf = render_pdf("suggestions/pdf/digest.html", monday=monday, departments=shown,
                     hidden_people=hidden_people, hidden_items=hidden_items, **data)
    return f"suggestions-{monday:%Y%m%d}.pdf", "application/pdf", pdf


RENDERERS = {"suggestions_digest": digest_pdf}
