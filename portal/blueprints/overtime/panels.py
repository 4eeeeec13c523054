"""Home panels of this module: (roles or None, template, context function). See home/panels.py."""

from portal.blueprints.overtime import queries
from portal.timeutil import local_today


def tonight(user) -> dict | None:
    """Everyone: tonight's overtime and open claims (hidden when there is neither)."""
    today = local_today()
    record, claims = queries.record_of(user, today), queries.open_claims(user)
    if record is None and not claims:
        return None
    return {"record": record, "claims": claims}


def waiting(user) -> dict | None:
    """Heads, stand-ins and the office: claims waiting for them."""
    claims = queries.waiting_for(user, local_today())
    return {"count": len(claims), "oldest": claims[0] if claims else None} if claims else None


def month_state(user) -> dict:
    """The office: this month's claims by state, and whether it is closed."""
    month = f"{local_today():%Y-%m}"
    return {"month": month, "counts": queries.month_counts(month),
            "state": queries.month_state(month)}


PANELS: list = [
    (None, "overtime/_panel_tonight.html", tonight),
    ({"dept_head", "office"}, "overtime/_panel_waiting.html", waiting),
    ({"office"}, "overtime/_panel_month.html", month_state),
]
